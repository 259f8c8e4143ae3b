-- The audit chain's head, read under the writers' lock in one round trip instead of two. A
-- VOLATILE function takes a fresh snapshot for each statement it runs (READ COMMITTED), so the
-- SELECT after the lock sees every event of the writer it waited for: exactly what taking the
-- lock and then reading in two statements gave.
CREATE FUNCTION "audit_chain_head"(lock_key BIGINT) RETURNS TABLE ("seq" BIGINT, "hash" TEXT)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  RETURN QUERY SELECT e.seq, e.hash FROM "audit_event" e ORDER BY e.seq DESC LIMIT 1;
END;
$$;

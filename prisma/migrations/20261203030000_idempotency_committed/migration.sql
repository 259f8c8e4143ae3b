-- An idempotency record notes, inside the command's own transaction, that the command committed.
-- A key left pending by an outage can then be told apart: committed (never run it again; its
-- answer was lost) or not (nothing was written, so after a while the key may be claimed afresh).
ALTER TABLE "idempotency_record" ADD COLUMN "committed_at" TIMESTAMPTZ(3);

-- Hardening: an Idempotency-Key remembers which request it was used for (method, path and a
-- hash of the body), so a reuse with another body is refused instead of replayed.
ALTER TABLE idempotency_record ADD COLUMN fingerprint text NOT NULL DEFAULT '';

-- Replacing a system's assignments is optimistic like every other write: the version the editor saw.
ALTER TABLE system ADD COLUMN assignments_version integer NOT NULL DEFAULT 1;

-- API tokens may expire; tokens created before this migration keep working until revoked.
ALTER TABLE api_token ADD COLUMN expires_at timestamptz(3);

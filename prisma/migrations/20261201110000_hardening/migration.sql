-- Hardening: an Idempotency-Key remembers which request it was used for (method, path and a
-- hash of the body), so a reuse with another body is refused instead of replayed.
ALTER TABLE idempotency_record ADD COLUMN fingerprint text NOT NULL DEFAULT '';

-- Replacing a system's assignments is optimistic like every other write: the version the editor saw.
ALTER TABLE system ADD COLUMN assignments_version integer NOT NULL DEFAULT 1;

-- API tokens may expire; tokens created before this migration keep working until revoked.
ALTER TABLE api_token ADD COLUMN expires_at timestamptz(3);

-- A signed-out browser session, by the session id its signed token carries, until the token
-- would have expired anyway: sign-out ends that one session on the server ("sign out everywhere"
-- moves app_user.sessions_valid_after instead).
CREATE TABLE ended_session (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  ended_at timestamptz(3) NOT NULL DEFAULT now(),
  expires_at timestamptz(3) NOT NULL
);
CREATE INDEX ended_session_expires_at_idx ON ended_session (expires_at);

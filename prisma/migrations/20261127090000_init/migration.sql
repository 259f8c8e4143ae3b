-- Resetboard initial schema: the whole domain (docs/RULES.md describes it in plain words).
-- Hand-written (Prisma's migrate cannot run offline); a test proves it matches schema.prisma.
-- Beyond what Prisma expresses it carries CHECK constraints, partial unique indexes and the
-- triggers that keep audit events, reviews and evidence append-only (docs/RULES.md section 9).

CREATE TYPE "role" AS ENUM ('LEAD', 'ENGINEER', 'EXECUTIVE');
CREATE TYPE "seniority" AS ENUM ('JUNIOR', 'MID', 'SENIOR', 'PRINCIPAL');
CREATE TYPE "tier" AS ENUM ('TIER_0', 'TIER_1', 'TIER_2');
CREATE TYPE "assignment_kind" AS ENUM ('OWNER', 'REVIEWER');
CREATE TYPE "checkpoint_status" AS ENUM ('NOT_STARTED', 'IN_PROGRESS', 'SUBMITTED', 'APPROVED', 'CHANGES_REQUESTED', 'WAIVED');
CREATE TYPE "evidence_kind" AS ENUM ('DOC', 'RUNBOOK', 'ROLLBACK_TEST', 'PULL_REQUEST', 'DASHBOARD', 'TICKET', 'OTHER');
CREATE TYPE "review_decision" AS ENUM ('APPROVE', 'REQUEST_CHANGES');

CREATE TABLE "app_user" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "role" "role" NOT NULL,
    "seniority" "seniority" NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "password_hash" TEXT,
    "sessions_valid_after" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "app_user_pkey" PRIMARY KEY ("id"),
    -- Emails are stored lower-cased so that uniqueness and sign-in ignore case.
    CONSTRAINT "app_user_email_lower" CHECK ("email" = lower("email") AND "email" ~ '^[^@\s]+@[^@\s]+$' AND length("email") <= 254),
    CONSTRAINT "app_user_name_present" CHECK (length(btrim("name")) BETWEEN 1 AND 200)
);
CREATE UNIQUE INDEX "app_user_email_key" ON "app_user"("email");

CREATE TABLE "program" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "duration_days" INTEGER NOT NULL DEFAULT 90,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "program_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "program_name_present" CHECK (length(btrim("name")) BETWEEN 1 AND 200),
    CONSTRAINT "program_duration_range" CHECK ("duration_days" BETWEEN 1 AND 3650),
    CONSTRAINT "program_version_positive" CHECK ("version" >= 1)
);
-- One active program at a time; the model keeps room for later ones.
CREATE UNIQUE INDEX "program_one_active" ON "program"("active") WHERE "active";

CREATE TABLE "milestone" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "program_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "sequence" INTEGER NOT NULL,
    "due_day" INTEGER NOT NULL,
    "required_approvals" INTEGER NOT NULL DEFAULT 1,
    "min_reviewer_seniority" "seniority" NOT NULL DEFAULT 'MID',
    "evidence_hint" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "milestone_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "milestone_key_slug" CHECK ("key" ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    CONSTRAINT "milestone_name_present" CHECK (length(btrim("name")) BETWEEN 1 AND 200),
    CONSTRAINT "milestone_sequence_positive" CHECK ("sequence" >= 1),
    CONSTRAINT "milestone_due_day_range" CHECK ("due_day" BETWEEN 0 AND 3650),
    CONSTRAINT "milestone_required_approvals_range" CHECK ("required_approvals" BETWEEN 1 AND 10)
);
CREATE UNIQUE INDEX "milestone_program_id_key_key" ON "milestone"("program_id", "key");
CREATE UNIQUE INDEX "milestone_program_id_sequence_key" ON "milestone"("program_id", "sequence");

CREATE TABLE "system" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "team" TEXT NOT NULL,
    "tier" "tier" NOT NULL,
    "ai_assisted" BOOLEAN NOT NULL DEFAULT false,
    "repo_url" TEXT,
    "runbook_url" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "system_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "system_key_slug" CHECK ("key" ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    CONSTRAINT "system_name_present" CHECK (length(btrim("name")) BETWEEN 1 AND 200),
    CONSTRAINT "system_team_present" CHECK (length(btrim("team")) BETWEEN 1 AND 100),
    -- docs/RULES.md rule 12: only http(s) links are ever stored.
    CONSTRAINT "system_repo_url_http" CHECK ("repo_url" IS NULL OR "repo_url" ~ '^https?://[^\s]+$'),
    CONSTRAINT "system_runbook_url_http" CHECK ("runbook_url" IS NULL OR "runbook_url" ~ '^https?://[^\s]+$')
);
CREATE UNIQUE INDEX "system_key_key" ON "system"("key");
CREATE INDEX "system_team_idx" ON "system"("team");

CREATE TABLE "assignment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "system_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "kind" "assignment_kind" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "assignment_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "assignment_system_id_user_id_key" ON "assignment"("system_id", "user_id");
CREATE INDEX "assignment_user_id_kind_idx" ON "assignment"("user_id", "kind");

CREATE TABLE "checkpoint" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "system_id" UUID NOT NULL,
    "milestone_id" UUID NOT NULL,
    "status" "checkpoint_status" NOT NULL DEFAULT 'NOT_STARTED',
    "due_on" DATE NOT NULL,
    "due_on_override_reason" TEXT,
    "due_on_overridden_by_id" UUID,
    "version" INTEGER NOT NULL DEFAULT 1,
    "round" INTEGER NOT NULL DEFAULT 0,
    "status_changed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "checkpoint_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "checkpoint_version_positive" CHECK ("version" >= 1),
    CONSTRAINT "checkpoint_round_non_negative" CHECK ("round" >= 0),
    -- An override always says why and who.
    CONSTRAINT "checkpoint_override_complete" CHECK (("due_on_override_reason" IS NULL) = ("due_on_overridden_by_id" IS NULL)),
    -- Done checkpoints carry the instant they were completed; others do not.
    CONSTRAINT "checkpoint_completed_at_matches" CHECK (("status" IN ('APPROVED', 'WAIVED')) = ("completed_at" IS NOT NULL))
);
CREATE UNIQUE INDEX "checkpoint_system_id_milestone_id_key" ON "checkpoint"("system_id", "milestone_id");
CREATE INDEX "checkpoint_milestone_id_status_idx" ON "checkpoint"("milestone_id", "status");
CREATE INDEX "checkpoint_status_due_on_idx" ON "checkpoint"("status", "due_on");

CREATE TABLE "evidence" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "checkpoint_id" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "kind" "evidence_kind" NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "submitted_by_id" UUID NOT NULL,
    "submitted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "evidence_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "evidence_url_http" CHECK ("url" ~ '^https?://[^\s]+$' AND length("url") <= 2048),
    CONSTRAINT "evidence_title_present" CHECK (length(btrim("title")) BETWEEN 1 AND 200),
    CONSTRAINT "evidence_note_length" CHECK (length("note") <= 2000)
);
CREATE INDEX "evidence_checkpoint_id_idx" ON "evidence"("checkpoint_id");

CREATE TABLE "evidence_withdrawal" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "evidence_id" UUID NOT NULL,
    "withdrawn_by_id" UUID NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "evidence_withdrawal_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "evidence_withdrawal_reason_length" CHECK (length("reason") <= 2000)
);
CREATE UNIQUE INDEX "evidence_withdrawal_evidence_id_key" ON "evidence_withdrawal"("evidence_id");

CREATE TABLE "review" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "checkpoint_id" UUID NOT NULL,
    "reviewer_id" UUID NOT NULL,
    "round" INTEGER NOT NULL,
    "decision" "review_decision" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "seniority" "seniority" NOT NULL,
    "evidence_digest" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "review_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "review_round_positive" CHECK ("round" >= 1),
    CONSTRAINT "review_comment_length" CHECK (length("comment") <= 4000),
    -- Requesting changes without saying which is not a review.
    CONSTRAINT "review_changes_need_comment" CHECK ("decision" = 'APPROVE' OR length(btrim("comment")) > 0),
    CONSTRAINT "review_digest_sha256" CHECK ("evidence_digest" ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX "review_checkpoint_id_round_reviewer_id_key" ON "review"("checkpoint_id", "round", "reviewer_id");
CREATE INDEX "review_reviewer_id_idx" ON "review"("reviewer_id");

CREATE TABLE "waiver" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "checkpoint_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "granted_by_id" UUID NOT NULL,
    "expires_on" DATE NOT NULL,
    "prior_status" "checkpoint_status" NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    "lapsed_at" TIMESTAMPTZ(3),
    CONSTRAINT "waiver_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "waiver_reason_present" CHECK (length(btrim("reason")) BETWEEN 1 AND 2000),
    CONSTRAINT "waiver_prior_status_not_waived" CHECK ("prior_status" <> 'WAIVED'),
    CONSTRAINT "waiver_revocation_complete" CHECK (("revoked_at" IS NULL) = ("revoked_by_id" IS NULL))
);
CREATE INDEX "waiver_checkpoint_id_idx" ON "waiver"("checkpoint_id");
-- At most one waiver in force per checkpoint.
CREATE UNIQUE INDEX "waiver_one_in_force" ON "waiver"("checkpoint_id") WHERE "revoked_at" IS NULL AND "lapsed_at" IS NULL;

CREATE TABLE "audit_event" (
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "actor_id" UUID,
    "actor_email" TEXT,
    "action" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "system_key" TEXT,
    "data" JSONB NOT NULL DEFAULT '{}',
    "prev_hash" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("seq"),
    CONSTRAINT "audit_event_seq_positive" CHECK ("seq" >= 1),
    CONSTRAINT "audit_event_hashes_sha256" CHECK ("hash" ~ '^[0-9a-f]{64}$' AND "prev_hash" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "audit_event_action_present" CHECK (length("action") BETWEEN 1 AND 100)
);
CREATE UNIQUE INDEX "audit_event_hash_key" ON "audit_event"("hash");
CREATE INDEX "audit_event_system_key_seq_idx" ON "audit_event"("system_key", "seq");
CREATE INDEX "audit_event_actor_id_seq_idx" ON "audit_event"("actor_id", "seq");
CREATE INDEX "audit_event_action_seq_idx" ON "audit_event"("action", "seq");

CREATE TABLE "api_token" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),
    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "api_token_hash_sha256" CHECK ("token_hash" ~ '^[0-9a-f]{64}$'),
    CONSTRAINT "api_token_name_present" CHECK (length(btrim("name")) BETWEEN 1 AND 100)
);
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");
CREATE INDEX "api_token_user_id_idx" ON "api_token"("user_id");

CREATE TABLE "login_attempt" (
    "id" BIGSERIAL NOT NULL,
    "email" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "success" BOOLEAN NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "login_attempt_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "login_attempt_email_at_idx" ON "login_attempt"("email", "at");
CREATE INDEX "login_attempt_ip_at_idx" ON "login_attempt"("ip", "at");

CREATE TABLE "idempotency_record" (
    "user_id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "response_body" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "idempotency_record_pkey" PRIMARY KEY ("user_id", "key"),
    CONSTRAINT "idempotency_record_key_length" CHECK (length("key") BETWEEN 1 AND 200)
);

ALTER TABLE "milestone" ADD CONSTRAINT "milestone_program_id_fkey" FOREIGN KEY ("program_id") REFERENCES "program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "system"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "assignment" ADD CONSTRAINT "assignment_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "system"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_milestone_id_fkey" FOREIGN KEY ("milestone_id") REFERENCES "milestone"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "checkpoint" ADD CONSTRAINT "checkpoint_due_on_overridden_by_id_fkey" FOREIGN KEY ("due_on_overridden_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "evidence" ADD CONSTRAINT "evidence_submitted_by_id_fkey" FOREIGN KEY ("submitted_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "evidence_withdrawal" ADD CONSTRAINT "evidence_withdrawal_evidence_id_fkey" FOREIGN KEY ("evidence_id") REFERENCES "evidence"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "evidence_withdrawal" ADD CONSTRAINT "evidence_withdrawal_withdrawn_by_id_fkey" FOREIGN KEY ("withdrawn_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "review" ADD CONSTRAINT "review_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "review" ADD CONSTRAINT "review_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "waiver" ADD CONSTRAINT "waiver_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "waiver" ADD CONSTRAINT "waiver_granted_by_id_fkey" FOREIGN KEY ("granted_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "waiver" ADD CONSTRAINT "waiver_revoked_by_id_fkey" FOREIGN KEY ("revoked_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "audit_event" ADD CONSTRAINT "audit_event_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "idempotency_record" ADD CONSTRAINT "idempotency_record_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Append-only records (docs/RULES.md section 9): the database itself refuses to change or remove
-- them, whatever the application does. Withdrawing evidence adds an evidence_withdrawal row.
CREATE FUNCTION "refuse_change_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% on % is refused: the table is append-only', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "review_append_only" BEFORE UPDATE OR DELETE ON "review"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "review_no_truncate" BEFORE TRUNCATE ON "review"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "evidence_append_only" BEFORE UPDATE OR DELETE ON "evidence"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "evidence_no_truncate" BEFORE TRUNCATE ON "evidence"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "evidence_withdrawal_append_only" BEFORE UPDATE OR DELETE ON "evidence_withdrawal"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "evidence_withdrawal_no_truncate" BEFORE TRUNCATE ON "evidence_withdrawal"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change_append_only"();

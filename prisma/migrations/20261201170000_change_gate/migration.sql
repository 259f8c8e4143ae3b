-- The change gate (docs/RULES.md, rule 16): production changes of a system, their reviews and
-- outcomes, and the service accounts through which deploy pipelines register changes and ask
-- whether one may ship. Reviews and outcomes are append-only, like checkpoint reviews.

CREATE TYPE "change_outcome_kind" AS ENUM ('SHIPPED', 'ROLLED_BACK');

-- A service account is backed by an app_user row (so its tokens, idempotency keys and audit
-- events work like a person's) and carries the scope of systems and teams it may act for.
CREATE TABLE "service_account" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "created_by_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "revoked_by_id" UUID,
    CONSTRAINT "service_account_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "service_account_name_present" CHECK (length(btrim("name")) BETWEEN 1 AND 100),
    CONSTRAINT "service_account_revocation_complete" CHECK (("revoked_at" IS NULL) = ("revoked_by_id" IS NULL))
);
CREATE UNIQUE INDEX "service_account_user_id_key" ON "service_account"("user_id");

-- One row per system or team the account may register changes for.
CREATE TABLE "service_account_scope" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "service_account_id" UUID NOT NULL,
    "system_id" UUID,
    "team" TEXT,
    CONSTRAINT "service_account_scope_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "service_account_scope_one_target" CHECK (("system_id" IS NULL) <> ("team" IS NULL))
);
CREATE INDEX "service_account_scope_service_account_id_idx" ON "service_account_scope"("service_account_id");

CREATE TABLE "change" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "system_id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "ai_assisted" BOOLEAN NOT NULL,
    "author_id" UUID NOT NULL,
    "rollback_plan_url" TEXT,
    "docs_url" TEXT,
    "planned_at" TIMESTAMPTZ(3),
    "revision" INTEGER NOT NULL DEFAULT 1,
    "version" INTEGER NOT NULL DEFAULT 1,
    "registered_by_id" UUID NOT NULL,
    "service_account_id" UUID,
    "first_checked_at" TIMESTAMPTZ(3),
    "first_check_allowed" BOOLEAN,
    "first_allowed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "change_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "change_title_present" CHECK (length(btrim("title")) BETWEEN 1 AND 200),
    -- Rule 12: only http(s) links are ever stored.
    CONSTRAINT "change_url_http" CHECK ("url" ~ '^https?://[^\s]+$' AND length("url") <= 2048),
    CONSTRAINT "change_rollback_plan_url_http" CHECK ("rollback_plan_url" IS NULL OR ("rollback_plan_url" ~ '^https?://[^\s]+$' AND length("rollback_plan_url") <= 2048)),
    CONSTRAINT "change_docs_url_http" CHECK ("docs_url" IS NULL OR ("docs_url" ~ '^https?://[^\s]+$' AND length("docs_url") <= 2048)),
    CONSTRAINT "change_revision_positive" CHECK ("revision" >= 1),
    CONSTRAINT "change_version_positive" CHECK ("version" >= 1),
    CONSTRAINT "change_first_check_complete" CHECK (("first_checked_at" IS NULL) = ("first_check_allowed" IS NULL))
);
CREATE INDEX "change_system_id_created_at_idx" ON "change"("system_id", "created_at");
CREATE INDEX "change_created_at_idx" ON "change"("created_at");
CREATE INDEX "change_author_id_idx" ON "change"("author_id");

CREATE TABLE "change_co_author" (
    "change_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    CONSTRAINT "change_co_author_pkey" PRIMARY KEY ("change_id", "user_id")
);

-- A review of one revision of a change's links. `renewal` numbers a reviewer's reviews within a
-- revision (an expired approval may be renewed), so the unique key lets exactly one of any number
-- of concurrent approvals by the same reviewer through.
CREATE TABLE "change_review" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "change_id" UUID NOT NULL,
    "reviewer_id" UUID NOT NULL,
    "revision" INTEGER NOT NULL,
    "renewal" INTEGER NOT NULL DEFAULT 0,
    "decision" "review_decision" NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "seniority" "seniority" NOT NULL,
    "links_digest" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "change_review_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "change_review_revision_positive" CHECK ("revision" >= 1),
    CONSTRAINT "change_review_renewal_non_negative" CHECK ("renewal" >= 0),
    CONSTRAINT "change_review_comment_length" CHECK (length("comment") <= 4000),
    CONSTRAINT "change_review_changes_need_comment" CHECK ("decision" = 'APPROVE' OR length(btrim("comment")) > 0),
    CONSTRAINT "change_review_digest_sha256" CHECK ("links_digest" ~ '^[0-9a-f]{64}$')
);
CREATE UNIQUE INDEX "change_review_change_id_revision_reviewer_id_renewal_key" ON "change_review"("change_id", "revision", "reviewer_id", "renewal");
CREATE INDEX "change_review_reviewer_id_idx" ON "change_review"("reviewer_id");

-- What happened to the change, each at most once, with the gate's decision at that moment: a
-- change reported shipped while blocked stays on record as such.
CREATE TABLE "change_outcome" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "change_id" UUID NOT NULL,
    "kind" "change_outcome_kind" NOT NULL,
    "incident_url" TEXT,
    "allowed" BOOLEAN NOT NULL,
    "reasons" JSONB NOT NULL DEFAULT '[]',
    "recorded_by_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "change_outcome_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "change_outcome_incident_url_http" CHECK ("incident_url" IS NULL OR ("incident_url" ~ '^https?://[^\s]+$' AND length("incident_url") <= 2048)),
    CONSTRAINT "change_outcome_reasons_array" CHECK (jsonb_typeof("reasons") = 'array')
);
CREATE UNIQUE INDEX "change_outcome_change_id_kind_key" ON "change_outcome"("change_id", "kind");

ALTER TABLE "service_account" ADD CONSTRAINT "service_account_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "service_account" ADD CONSTRAINT "service_account_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "service_account" ADD CONSTRAINT "service_account_revoked_by_id_fkey" FOREIGN KEY ("revoked_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "service_account_scope" ADD CONSTRAINT "service_account_scope_service_account_id_fkey" FOREIGN KEY ("service_account_id") REFERENCES "service_account"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "service_account_scope" ADD CONSTRAINT "service_account_scope_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "system"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "change" ADD CONSTRAINT "change_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "system"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "change" ADD CONSTRAINT "change_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "change" ADD CONSTRAINT "change_registered_by_id_fkey" FOREIGN KEY ("registered_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "change" ADD CONSTRAINT "change_service_account_id_fkey" FOREIGN KEY ("service_account_id") REFERENCES "service_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "change_co_author" ADD CONSTRAINT "change_co_author_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "change_co_author" ADD CONSTRAINT "change_co_author_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "change_review" ADD CONSTRAINT "change_review_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "change_review" ADD CONSTRAINT "change_review_reviewer_id_fkey" FOREIGN KEY ("reviewer_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "change_outcome" ADD CONSTRAINT "change_outcome_change_id_fkey" FOREIGN KEY ("change_id") REFERENCES "change"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "change_outcome" ADD CONSTRAINT "change_outcome_recorded_by_id_fkey" FOREIGN KEY ("recorded_by_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Reviews and outcomes are the proof of who let a change through: the database refuses to change
-- or remove them, whatever the application does (the function comes from the init migration).
CREATE TRIGGER "change_review_append_only" BEFORE UPDATE OR DELETE ON "change_review"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "change_review_no_truncate" BEFORE TRUNCATE ON "change_review"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "change_outcome_append_only" BEFORE UPDATE OR DELETE ON "change_outcome"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "change_outcome_no_truncate" BEFORE TRUNCATE ON "change_outcome"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change_append_only"();

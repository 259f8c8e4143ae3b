-- Who can sign each open checkpoint, stored: the assigned reviewers who could approve its current
-- (or, before it is submitted, its next) round, and rule 14's shortfall in words when they cannot
-- reach the quorum. Computed by the application's domain code (lib/domain/eligibility.ts), never
-- here. The lead's queue, the reviewer load and the registry's "no eligible reviewer" filter read
-- these rows instead of judging every open checkpoint of the program on every view.
-- Rows exist for the open checkpoints of active systems in the active program only.
-- No foreign keys: a foreign key would make writing a row take a share lock on its checkpoint,
-- which a command may hold while its trigger waits on the mark this refresh holds. A deleted
-- checkpoint or system marks its system, and the next refresh drops its rows.
CREATE TABLE "review_pool" (
    "checkpoint_id" UUID NOT NULL,
    "system_id" UUID NOT NULL,
    -- In assignment order, as the queue lists who can sign.
    "eligible_reviewer_ids" UUID[] NOT NULL,
    -- Null when the assigned reviewers can reach the quorum.
    "shortfall" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "review_pool_pkey" PRIMARY KEY ("checkpoint_id")
);
CREATE INDEX "review_pool_system_id_idx" ON "review_pool"("system_id");
-- The lead's queue reads the flagged checkpoints only: a handful whatever the fleet size.
CREATE INDEX "review_pool_flagged_idx" ON "review_pool"("system_id") WHERE "shortfall" IS NOT NULL;

-- Systems whose stored pools may be behind. Every change to what the verdict reads marks them,
-- here in the database, so that no command can forget to: a checkpoint's status, round, system or
-- milestone; its evidence, withdrawals and reviews; the system's assignments, tier, AI-assisted
-- flag and archiving; an assigned person's role, seniority or account; a milestone's approval
-- rule; which program is active. The next read that needs the pools recomputes the marked
-- systems (lib/data/review-pool.ts); a command pays one upsert per statement.
CREATE TABLE "review_pool_dirty" (
    "system_id" UUID NOT NULL,
    "marked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "review_pool_dirty_pkey" PRIMARY KEY ("system_id")
);

CREATE FUNCTION "mark_review_pool"(system_ids UUID[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "review_pool_dirty" ("system_id")
  SELECT DISTINCT id FROM unnest(system_ids) AS t(id) WHERE id IS NOT NULL
  ORDER BY id
  ON CONFLICT ("system_id") DO UPDATE SET "marked_at" = CURRENT_TIMESTAMP;
$$;

-- Checkpoints: created, deleted, or moved in what the verdict reads.
CREATE FUNCTION "mark_review_pool_checkpoint"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "mark_review_pool"(ARRAY(SELECT n.system_id FROM new_rows n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "mark_review_pool"(ARRAY(SELECT o.system_id FROM old_rows o));
  ELSE
    PERFORM "mark_review_pool"(ARRAY(
      SELECT x.system_id
        FROM new_rows n JOIN old_rows o ON o.id = n.id
       CROSS JOIN LATERAL (VALUES (n.system_id), (o.system_id)) AS x(system_id)
       WHERE (n.status, n.round, n.system_id, n.milestone_id) IS DISTINCT FROM (o.status, o.round, o.system_id, o.milestone_id)));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "checkpoint_review_pool_insert" AFTER INSERT ON "checkpoint"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_checkpoint"();
CREATE TRIGGER "checkpoint_review_pool_update" AFTER UPDATE ON "checkpoint"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_checkpoint"();
CREATE TRIGGER "checkpoint_review_pool_delete" AFTER DELETE ON "checkpoint"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_checkpoint"();

-- Evidence and reviews of a checkpoint (rows with a checkpoint_id): any change marks its system.
CREATE FUNCTION "mark_review_pool_checkpoint_child"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "mark_review_pool"(ARRAY(SELECT c.system_id FROM new_rows n JOIN "checkpoint" c ON c.id = n.checkpoint_id));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "mark_review_pool"(ARRAY(SELECT c.system_id FROM old_rows o JOIN "checkpoint" c ON c.id = o.checkpoint_id));
  ELSE
    PERFORM "mark_review_pool"(ARRAY(
      SELECT c.system_id FROM (SELECT checkpoint_id FROM new_rows UNION SELECT checkpoint_id FROM old_rows) x
        JOIN "checkpoint" c ON c.id = x.checkpoint_id));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "evidence_review_pool_insert" AFTER INSERT ON "evidence"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_checkpoint_child"();
CREATE TRIGGER "evidence_review_pool_update" AFTER UPDATE ON "evidence"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_checkpoint_child"();
CREATE TRIGGER "evidence_review_pool_delete" AFTER DELETE ON "evidence"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_checkpoint_child"();
CREATE TRIGGER "review_review_pool_insert" AFTER INSERT ON "review"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_checkpoint_child"();
CREATE TRIGGER "review_review_pool_update" AFTER UPDATE ON "review"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_checkpoint_child"();
CREATE TRIGGER "review_review_pool_delete" AFTER DELETE ON "review"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_checkpoint_child"();

-- A withdrawal takes evidence out of the current set (its author may then sign).
CREATE FUNCTION "mark_review_pool_withdrawal"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "mark_review_pool"(ARRAY(
      SELECT c.system_id FROM new_rows n JOIN "evidence" e ON e.id = n.evidence_id JOIN "checkpoint" c ON c.id = e.checkpoint_id));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "mark_review_pool"(ARRAY(
      SELECT c.system_id FROM old_rows o JOIN "evidence" e ON e.id = o.evidence_id JOIN "checkpoint" c ON c.id = e.checkpoint_id));
  ELSE
    PERFORM "mark_review_pool"(ARRAY(
      SELECT c.system_id FROM (SELECT evidence_id FROM new_rows UNION SELECT evidence_id FROM old_rows) x
        JOIN "evidence" e ON e.id = x.evidence_id JOIN "checkpoint" c ON c.id = e.checkpoint_id));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "evidence_withdrawal_review_pool_insert" AFTER INSERT ON "evidence_withdrawal"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_withdrawal"();
CREATE TRIGGER "evidence_withdrawal_review_pool_update" AFTER UPDATE ON "evidence_withdrawal"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_withdrawal"();
CREATE TRIGGER "evidence_withdrawal_review_pool_delete" AFTER DELETE ON "evidence_withdrawal"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_withdrawal"();

-- Assignments: who owns and who reviews.
CREATE FUNCTION "mark_review_pool_assignment"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "mark_review_pool"(ARRAY(SELECT n.system_id FROM new_rows n));
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "mark_review_pool"(ARRAY(SELECT o.system_id FROM old_rows o));
  ELSE
    PERFORM "mark_review_pool"(ARRAY(SELECT system_id FROM new_rows UNION SELECT system_id FROM old_rows));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "assignment_review_pool_insert" AFTER INSERT ON "assignment"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_assignment"();
CREATE TRIGGER "assignment_review_pool_update" AFTER UPDATE ON "assignment"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_assignment"();
CREATE TRIGGER "assignment_review_pool_delete" AFTER DELETE ON "assignment"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_assignment"();

-- A person's role, seniority or account marks every system they are assigned to.
CREATE FUNCTION "mark_review_pool_user"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "mark_review_pool"(ARRAY(
    SELECT a.system_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN "assignment" a ON a.user_id = n.id
     WHERE (n.role, n.seniority, n.active) IS DISTINCT FROM (o.role, o.seniority, o.active)));
  RETURN NULL;
END;
$$;
CREATE TRIGGER "app_user_review_pool_update" AFTER UPDATE ON "app_user"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_user"();

-- A system's tier and AI-assisted flag set its rule; archiving takes it out of the queues.
CREATE FUNCTION "mark_review_pool_system"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "mark_review_pool"(ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (n.tier, n.ai_assisted, n.archived_at) IS DISTINCT FROM (o.tier, o.ai_assisted, o.archived_at)));
  RETURN NULL;
END;
$$;
CREATE TRIGGER "system_review_pool_update" AFTER UPDATE ON "system"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_system"();

-- A milestone's approval rule, or its program, marks every system with a checkpoint of it.
CREATE FUNCTION "mark_review_pool_milestone"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "mark_review_pool"(ARRAY(
    SELECT c.system_id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN "checkpoint" c ON c.milestone_id = n.id
     WHERE (n.required_approvals, n.min_reviewer_seniority, n.program_id)
           IS DISTINCT FROM (o.required_approvals, o.min_reviewer_seniority, o.program_id)));
  RETURN NULL;
END;
$$;
CREATE TRIGGER "milestone_review_pool_update" AFTER UPDATE ON "milestone"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_milestone"();

-- Which program is active decides which checkpoints have pools at all.
CREATE FUNCTION "mark_review_pool_program"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.active IS DISTINCT FROM o.active) THEN
    PERFORM "mark_review_pool"(ARRAY(SELECT s.id FROM "system" s));
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "program_review_pool_update" AFTER UPDATE ON "program"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_review_pool_program"();

-- Every existing system starts behind: the first read computes its pools.
SELECT "mark_review_pool"(ARRAY(SELECT s.id FROM "system" s));

-- The lead's queue lists the submissions waiting longest: an index walk, not a sort of them all.
CREATE INDEX "checkpoint_waiting_since_idx" ON "checkpoint"("submitted_at" NULLS FIRST) WHERE "status" = 'SUBMITTED';

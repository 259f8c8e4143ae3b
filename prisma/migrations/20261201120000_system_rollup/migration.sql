-- The per-system roll-up: one narrow row per system with what the listings and charts need
-- (counts by status, the current milestone, the earliest open and the earliest not-yet-submitted
-- due dates), computed by the application's domain code and written in the same transaction as
-- every change that moves a checkpoint. Reads compare the stored dates with today instead of
-- re-aggregating every checkpoint of the program.
CREATE TABLE "system_rollup" (
    "system_id" UUID NOT NULL,
    "total" INTEGER NOT NULL DEFAULT 0,
    "not_started" INTEGER NOT NULL DEFAULT 0,
    "in_progress" INTEGER NOT NULL DEFAULT 0,
    "submitted" INTEGER NOT NULL DEFAULT 0,
    "approved" INTEGER NOT NULL DEFAULT 0,
    "changes_requested" INTEGER NOT NULL DEFAULT 0,
    "waived" INTEGER NOT NULL DEFAULT 0,
    "current_sequence" INTEGER,
    "current_milestone_id" UUID,
    "next_due_on" DATE,
    "next_due_milestone_id" UUID,
    "next_due_checkpoint_id" UUID,
    "unsubmitted_due_on" DATE,
    "unsubmitted_checkpoint_id" UUID,
    "oldest_submitted_at" TIMESTAMPTZ(3),
    "progress_rank" DOUBLE PRECISION NOT NULL DEFAULT 0,
    -- What this system last added to checkpoint_tally, so a refresh can take exactly that back out.
    "tally_cells" JSONB NOT NULL DEFAULT '[]',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "system_rollup_pkey" PRIMARY KEY ("system_id"),
    CONSTRAINT "system_rollup_counts_add_up" CHECK ("total" = "not_started" + "in_progress" + "submitted" + "approved" + "changes_requested" + "waived")
);
-- The registry's sorts by progress and next due, and the dashboard's at-risk scan, walk these.
CREATE INDEX "system_rollup_progress_rank_idx" ON "system_rollup"("progress_rank");
CREATE INDEX "system_rollup_next_due_on_idx" ON "system_rollup"("next_due_on");
CREATE INDEX "system_rollup_unsubmitted_due_on_idx" ON "system_rollup"("unsubmitted_due_on");
CREATE INDEX "system_rollup_oldest_submitted_at_idx" ON "system_rollup"("oldest_submitted_at");
ALTER TABLE "system_rollup" ADD CONSTRAINT "system_rollup_system_id_fkey" FOREIGN KEY ("system_id") REFERENCES "system"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Systems whose roll-up may no longer match their checkpoints. The commands refresh the roll-ups
-- they touch in their own transaction and clear these marks; the triggers below mark every other
-- change (a hand-written UPDATE, a restore, a test's fixture), and the reads refresh what is
-- marked before they count. The triggers compute nothing: the figures stay in the domain code.
-- No foreign key: a system deleted with its checkpoints leaves a mark that the next refresh drops.
-- `mark` grows with every marking, so a read that refreshed a system from what it saw can clear
-- the mark only if nothing marked the system again meanwhile (lib/data/rollup.ts).
CREATE TABLE "system_rollup_dirty" (
    "system_id" UUID NOT NULL,
    "mark" BIGSERIAL NOT NULL,
    "marked_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "system_rollup_dirty_pkey" PRIMARY KEY ("system_id")
);

CREATE FUNCTION "mark_rollup_dirty_checkpoint"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "system_rollup_dirty" ("system_id") SELECT DISTINCT n.system_id FROM new_rows n ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "system_rollup_dirty" ("system_id") SELECT DISTINCT o.system_id FROM old_rows o ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
  ELSE
    -- Only what a roll-up reads: a version bump alone (evidence on work in progress) moves nothing.
    INSERT INTO "system_rollup_dirty" ("system_id")
    SELECT DISTINCT x.system_id
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     CROSS JOIN LATERAL (VALUES (n.system_id), (o.system_id)) AS x(system_id)
     WHERE (n.status, n.due_on, n.submitted_at, n.system_id, n.milestone_id)
           IS DISTINCT FROM (o.status, o.due_on, o.submitted_at, o.system_id, o.milestone_id)
    ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "checkpoint_rollup_dirty_insert" AFTER INSERT ON "checkpoint"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_rollup_dirty_checkpoint"();
CREATE TRIGGER "checkpoint_rollup_dirty_update" AFTER UPDATE ON "checkpoint"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_rollup_dirty_checkpoint"();
CREATE TRIGGER "checkpoint_rollup_dirty_delete" AFTER DELETE ON "checkpoint"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "mark_rollup_dirty_checkpoint"();

-- A milestone's place in the program, or which program is active, changes what every roll-up reads.
CREATE FUNCTION "mark_rollup_dirty_program"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'milestone' THEN
    IF NEW.sequence IS DISTINCT FROM OLD.sequence OR NEW.program_id IS DISTINCT FROM OLD.program_id THEN
      INSERT INTO "system_rollup_dirty" ("system_id") SELECT DISTINCT c.system_id FROM "checkpoint" c WHERE c.milestone_id = NEW.id ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
    END IF;
  ELSIF NEW.active IS DISTINCT FROM OLD.active THEN
    INSERT INTO "system_rollup_dirty" ("system_id") SELECT s.id FROM "system" s ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "milestone_rollup_dirty" AFTER UPDATE ON "milestone"
  FOR EACH ROW EXECUTE FUNCTION "mark_rollup_dirty_program"();
CREATE TRIGGER "program_rollup_dirty" AFTER UPDATE ON "program"
  FOR EACH ROW EXECUTE FUNCTION "mark_rollup_dirty_program"();

-- The program's checkpoints counted by everything the charts slice them by: milestone, team,
-- tier, status, due date and (for approved and waived ones) the day they were completed. A few
-- hundred rows whatever the fleet size; kept by the same refresh as the roll-ups, by deltas.
CREATE TABLE "checkpoint_tally" (
    "cell" TEXT NOT NULL,
    "milestone_id" UUID NOT NULL,
    "team" TEXT NOT NULL,
    "tier" "tier" NOT NULL,
    "status" "checkpoint_status" NOT NULL,
    "due_on" DATE NOT NULL,
    "completed_on" DATE,
    "n" INTEGER NOT NULL DEFAULT 0,
    -- No CHECK on n: a delta row is checked before ON CONFLICT turns it into an addition.
    CONSTRAINT "checkpoint_tally_pkey" PRIMARY KEY ("cell")
);

-- A system's team or tier moves its checkpoints between tally cells.
CREATE FUNCTION "mark_rollup_dirty_system"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.team IS DISTINCT FROM OLD.team OR NEW.tier IS DISTINCT FROM OLD.tier THEN
    INSERT INTO "system_rollup_dirty" ("system_id") VALUES (NEW.id)
    ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
  END IF;
  RETURN NULL;
END;
$$;
CREATE TRIGGER "system_rollup_dirty" AFTER UPDATE ON "system"
  FOR EACH ROW EXECUTE FUNCTION "mark_rollup_dirty_system"();

-- Existing databases: every system is marked, so the first read (or `npm run cli -- rollup
-- rebuild`) computes its roll-up and tally with the application's code; nothing is restated here.
INSERT INTO "system_rollup_dirty" ("system_id") SELECT s.id FROM "system" s;

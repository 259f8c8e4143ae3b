-- Archiving or unarchiving a system takes its checkpoints out of (or back into) the program's
-- tally (docs/RULES.md, rule 15), so it marks the system's roll-up as behind like a team or tier
-- change does. The archive command refreshes the roll-up itself; the mark covers any other writer.
CREATE OR REPLACE FUNCTION "mark_rollup_dirty_system"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.team IS DISTINCT FROM OLD.team OR NEW.tier IS DISTINCT FROM OLD.tier OR NEW.archived_at IS DISTINCT FROM OLD.archived_at THEN
    INSERT INTO "system_rollup_dirty" ("system_id") VALUES (NEW.id)
    ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
  END IF;
  RETURN NULL;
END;
$$;

-- Systems archived before this migration: their roll-ups are computed again by the next read.
INSERT INTO "system_rollup_dirty" ("system_id") SELECT s.id FROM "system" s WHERE s.archived_at IS NOT NULL
ON CONFLICT ("system_id") DO NOTHING;

-- The burn-up's tally counts each done checkpoint on the day it was completed, so a change of
-- completed_at alone (a status written again with a new time, outside the commands) must mark the
-- system's roll-up as behind too; the first version of this trigger compared every column the
-- roll-up reads except that one.
CREATE OR REPLACE FUNCTION "mark_rollup_dirty_checkpoint"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "system_rollup_dirty" ("system_id") SELECT DISTINCT n.system_id FROM new_rows n ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "system_rollup_dirty" ("system_id") SELECT DISTINCT o.system_id FROM old_rows o ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
  ELSE
    -- Only what a roll-up or the tally reads: a version bump alone (evidence on work in progress) moves nothing.
    INSERT INTO "system_rollup_dirty" ("system_id")
    SELECT DISTINCT x.system_id
      FROM new_rows n JOIN old_rows o ON o.id = n.id
     CROSS JOIN LATERAL (VALUES (n.system_id), (o.system_id)) AS x(system_id)
     WHERE (n.status, n.due_on, n.submitted_at, n.completed_at, n.system_id, n.milestone_id)
           IS DISTINCT FROM (o.status, o.due_on, o.submitted_at, o.completed_at, o.system_id, o.milestone_id)
    ON CONFLICT ("system_id") DO UPDATE SET "mark" = nextval('system_rollup_dirty_mark_seq'), "marked_at" = CURRENT_TIMESTAMP;
  END IF;
  RETURN NULL;
END;
$$;

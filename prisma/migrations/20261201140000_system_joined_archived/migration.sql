-- Late joiners and archiving (docs/RULES.md rules 13 and 15). joined_on is the day a system
-- joined a program already under way (NULL: it was there from the start), so its due dates can
-- be derived from it again when the schedule changes. archived_at/archived_reason set a system
-- aside: it leaves every figure, queue and default listing and keeps its history.
ALTER TABLE "system" ADD COLUMN "joined_on" DATE;
ALTER TABLE "system" ADD COLUMN "archived_at" TIMESTAMPTZ(3);
ALTER TABLE "system" ADD COLUMN "archived_reason" TEXT;
ALTER TABLE "system" ADD CONSTRAINT "system_archived_has_reason" CHECK (("archived_at" IS NULL) = ("archived_reason" IS NULL));

-- Weekly snapshots: each finished program week's figures, frozen once so that the
-- report can show week-over-week change. A snapshot is never rewritten: the table is append-only.
CREATE TABLE "weekly_snapshot" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "program_id" UUID NOT NULL,
    "week" INTEGER NOT NULL,
    "week_ends_on" DATE NOT NULL,
    "figures" JSONB NOT NULL,
    "captured_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "weekly_snapshot_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "weekly_snapshot_week_positive" CHECK ("week" >= 1),
    CONSTRAINT "weekly_snapshot_figures_object" CHECK (jsonb_typeof("figures") = 'object')
);
CREATE UNIQUE INDEX "weekly_snapshot_program_id_week_key" ON "weekly_snapshot"("program_id", "week");
ALTER TABLE "weekly_snapshot" ADD CONSTRAINT "weekly_snapshot_program_id_fkey" FOREIGN KEY ("program_id") REFERENCES "program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TRIGGER "weekly_snapshot_append_only" BEFORE UPDATE OR DELETE ON "weekly_snapshot"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "weekly_snapshot_no_truncate" BEFORE TRUNCATE ON "weekly_snapshot"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change_append_only"();

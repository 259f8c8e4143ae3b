-- The program's time zone (an IANA name, checked by the settings command): the wall clock the
-- weekly executive summary (Monday 08:00) and the daily digests' hour are read on.
-- The weekly summary is a notification event like any other; `weekly_summary` records each ISO
-- week's summary once (its primary key), so two instances never send the same week twice.

ALTER TABLE "program" ADD COLUMN "time_zone" TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE "program" ADD CONSTRAINT "program_time_zone_shape" CHECK ("time_zone" ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$');

ALTER TYPE "notification_event" ADD VALUE 'WEEKLY_SUMMARY';

CREATE TABLE "weekly_summary" (
    "week" TEXT NOT NULL,
    "program_id" UUID NOT NULL,
    "time_zone" TEXT NOT NULL,
    "recipients" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "weekly_summary_pkey" PRIMARY KEY ("week"),
    CONSTRAINT "weekly_summary_week_shape" CHECK ("week" ~ '^\d{4}-W\d{2}$')
);
ALTER TABLE "weekly_summary" ADD CONSTRAINT "weekly_summary_program_id_fkey" FOREIGN KEY ("program_id") REFERENCES "program"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

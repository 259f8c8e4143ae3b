-- Notifications: the in-app notification centre and the outbox that delivers by e-mail and team
-- chat webhooks. A notification is a row before anything is sent, written in the same
-- transaction as the change that causes it; its deduplication key (event, subject, recipient,
-- day) is unique here, so a notification exists once however many instances or retries race.

CREATE TYPE "notification_event" AS ENUM (
  'EVIDENCE_SUBMITTED', 'CHANGES_REQUESTED', 'REVIEW_APPROVED', 'QUORUM_REACHED',
  'AT_RISK', 'OVERDUE', 'OVERDUE_ESCALATION', 'REVIEW_WAITING', 'REVIEW_ESCALATION', 'WAIVER_EXPIRING', 'NO_ELIGIBLE_REVIEWER'
);
CREATE TYPE "delivery_channel" AS ENUM ('EMAIL', 'WEBHOOK');
CREATE TYPE "delivery_status" AS ENUM ('PENDING', 'SENT', 'FAILED');
CREATE TYPE "webhook_format" AS ENUM ('SLACK', 'GENERIC');
CREATE TYPE "email_mode" AS ENUM ('IMMEDIATE', 'DAILY_DIGEST');

CREATE TABLE "notification" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "recipient_id" UUID NOT NULL,
    "event" "notification_event" NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "system_key" TEXT,
    "milestone" TEXT,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL DEFAULT '',
    "url" TEXT NOT NULL,
    -- False when the person turned this event's in-app channel off (the row still carries e-mail).
    "in_app" BOOLEAN NOT NULL DEFAULT true,
    -- Set when the e-mail waits for the person's daily digest of that day.
    "digest_day" DATE,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "read_at" TIMESTAMPTZ(3),
    CONSTRAINT "notification_pkey" PRIMARY KEY ("id"),
    -- In-app links stay inside the app: a path, never another origin or a javascript: URL.
    CONSTRAINT "notification_url_path" CHECK ("url" ~ '^/[^/\\]')
);
CREATE UNIQUE INDEX "notification_dedup_key_key" ON "notification"("dedup_key");
CREATE INDEX "notification_recipient_id_created_at_idx" ON "notification"("recipient_id", "created_at");
CREATE INDEX "notification_recipient_id_digest_day_idx" ON "notification"("recipient_id", "digest_day");
ALTER TABLE "notification" ADD CONSTRAINT "notification_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A team's chat webhook, set up by a lead. `secret` signs the generic JSON body (HMAC-SHA256).
CREATE TABLE "team_webhook" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "team" TEXT NOT NULL,
    "format" "webhook_format" NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "team_webhook_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "team_webhook_url_http" CHECK ("url" ~ '^https?://'),
    CONSTRAINT "team_webhook_generic_signed" CHECK ("format" <> 'GENERIC' OR length(coalesce("secret", '')) >= 16)
);
CREATE UNIQUE INDEX "team_webhook_team_url_key" ON "team_webhook"("team", "url");

-- One delivery per channel and target. The payload is rendered when the notification is made,
-- so a retry sends exactly what the first attempt would have sent.
CREATE TABLE "notification_delivery" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "notification_id" UUID,
    -- A daily digest is one e-mail for many notifications: it names its recipient instead.
    "recipient_id" UUID,
    "webhook_id" UUID,
    "channel" "delivery_channel" NOT NULL,
    "dedup_key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" "delivery_status" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "max_attempts" INTEGER NOT NULL DEFAULT 5,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- A worker's claim: until this instant no other worker takes the row.
    "locked_until" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "notification_delivery_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_delivery_target" CHECK (("channel" = 'EMAIL' AND ("notification_id" IS NOT NULL OR "recipient_id" IS NOT NULL)) OR ("channel" = 'WEBHOOK' AND "webhook_id" IS NOT NULL)),
    CONSTRAINT "notification_delivery_attempts_bounded" CHECK ("attempts" >= 0 AND "attempts" <= "max_attempts" AND "max_attempts" BETWEEN 1 AND 20),
    CONSTRAINT "notification_delivery_payload_object" CHECK (jsonb_typeof("payload") = 'object')
);
CREATE UNIQUE INDEX "notification_delivery_dedup_key_key" ON "notification_delivery"("dedup_key");
CREATE INDEX "notification_delivery_status_next_attempt_at_idx" ON "notification_delivery"("status", "next_attempt_at");
CREATE INDEX "notification_delivery_notification_id_idx" ON "notification_delivery"("notification_id");
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_notification_id_fkey" FOREIGN KEY ("notification_id") REFERENCES "notification"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_recipient_id_fkey" FOREIGN KEY ("recipient_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification_delivery" ADD CONSTRAINT "notification_delivery_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "team_webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every attempt, kept so the outbox shows what happened (and when) before a delivery failed.
CREATE TABLE "delivery_attempt" (
    "id" BIGSERIAL NOT NULL,
    "delivery_id" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "error" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "delivery_attempt_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "delivery_attempt_delivery_id_number_key" ON "delivery_attempt"("delivery_id", "number");
ALTER TABLE "delivery_attempt" ADD CONSTRAINT "delivery_attempt_delivery_id_fkey" FOREIGN KEY ("delivery_id") REFERENCES "notification_delivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Which channels a person wants per event. A row with no user is the program's default, set by a
-- lead; a person's own row overrides it; with neither, every channel is on.
CREATE TABLE "notification_preference" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "user_id" UUID,
    "event" "notification_event" NOT NULL,
    "in_app" BOOLEAN NOT NULL DEFAULT true,
    "email" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "notification_preference_pkey" PRIMARY KEY ("id")
);
-- NULLS NOT DISTINCT: one default row per event, as well as one per person and event.
CREATE UNIQUE INDEX "notification_preference_user_id_event_key" ON "notification_preference"("user_id", "event") NULLS NOT DISTINCT;
ALTER TABLE "notification_preference" ADD CONSTRAINT "notification_preference_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- How a person's e-mail arrives: at once or in a daily digest at an hour (UTC), and whether
-- weekends are quiet (e-mail that would go out on Saturday or Sunday waits for Monday).
CREATE TABLE "notification_setting" (
    "user_id" UUID NOT NULL,
    "email_mode" "email_mode" NOT NULL DEFAULT 'IMMEDIATE',
    "digest_hour" INTEGER NOT NULL DEFAULT 8,
    "quiet_weekends" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "notification_setting_pkey" PRIMARY KEY ("user_id"),
    CONSTRAINT "notification_setting_digest_hour_range" CHECK ("digest_hour" BETWEEN 0 AND 23)
);
ALTER TABLE "notification_setting" ADD CONSTRAINT "notification_setting_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

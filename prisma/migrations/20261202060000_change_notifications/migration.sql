-- The change gate's notifications (docs/RULES.md, section 7): a registered change asks the
-- reviewers whose approval it needs, and a change whose decision turns to "allowed" tells its
-- author and the team's webhooks (a deploy pipeline listening on one can go ahead).

ALTER TYPE "notification_event" ADD VALUE 'CHANGE_REVIEW_REQUESTED';
ALTER TYPE "notification_event" ADD VALUE 'CHANGE_ALLOWED';

-- Discussion threads on checkpoints (docs/RULES.md, section 7). A comment is immutable like
-- evidence and reviews: the database refuses to change or remove one, whatever the application
-- does. Posting one is an audit event in the same transaction, and a mention notifies the person
-- through the outbox with its own event.

ALTER TYPE "notification_event" ADD VALUE 'MENTION';

CREATE TABLE "checkpoint_comment" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "checkpoint_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "body" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "checkpoint_comment_pkey" PRIMARY KEY ("id"),
    -- The API's limit, held here too so no other writer stores an empty or unbounded comment.
    CONSTRAINT "checkpoint_comment_body_length" CHECK (length(btrim("body")) >= 1 AND length("body") <= 4000)
);
CREATE INDEX "checkpoint_comment_checkpoint_id_created_at_idx" ON "checkpoint_comment"("checkpoint_id", "created_at");
ALTER TABLE "checkpoint_comment" ADD CONSTRAINT "checkpoint_comment_checkpoint_id_fkey" FOREIGN KEY ("checkpoint_id") REFERENCES "checkpoint"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "checkpoint_comment" ADD CONSTRAINT "checkpoint_comment_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

CREATE TRIGGER "checkpoint_comment_append_only" BEFORE UPDATE OR DELETE ON "checkpoint_comment"
  FOR EACH ROW EXECUTE FUNCTION "refuse_change_append_only"();
CREATE TRIGGER "checkpoint_comment_no_truncate" BEFORE TRUNCATE ON "checkpoint_comment"
  FOR EACH STATEMENT EXECUTE FUNCTION "refuse_change_append_only"();

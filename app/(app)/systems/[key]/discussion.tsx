// A checkpoint's discussion thread on the system page: every comment, oldest first (newest last),
// with its author and time, and the form to post one for those who may.
import { MessageSquare } from "lucide-react";
import type { CommentDto } from "@/lib/data/comments";
import type { MentionCandidate } from "@/lib/domain/mentions";
import { formatDateTime } from "@/lib/format";
import { CommentForm } from "./comment-form";

export function Discussion({
  systemKey,
  milestone,
  milestoneName,
  comments,
  audience,
  canPost,
}: {
  systemKey: string;
  milestone: string;
  milestoneName: string;
  comments: readonly CommentDto[];
  audience: MentionCandidate[];
  canPost: boolean;
}) {
  const headingId = `cp-${milestone}-discussion`;
  return (
    <section aria-labelledby={headingId} className="mt-3">
      <h4 id={headingId} className="text-xs font-medium uppercase tracking-wide text-muted">
        Discussion{comments.length ? ` (${comments.length})` : ""}
      </h4>
      {comments.length ? (
        <ol className="mt-1 space-y-2 text-sm">
          {comments.map((c) => (
            <li key={c.id} id={`comment-${c.id}`} className="border-base border-l-2 pl-3">
              <p className="text-xs text-muted">
                <span className="font-medium text-[var(--text)]">{c.author.name}</span> ·{" "}
                <time dateTime={c.createdAt}>{formatDateTime(new Date(c.createdAt))}</time>
              </p>
              <p className="whitespace-pre-wrap break-words">{c.body}</p>
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-1 inline-flex items-center gap-1.5 text-sm text-muted">
          <MessageSquare aria-hidden className="size-4" /> No comments yet.
        </p>
      )}
      {canPost ? (
        <CommentForm systemKey={systemKey} milestone={milestone} milestoneName={milestoneName} audience={audience} />
      ) : null}
    </section>
  );
}

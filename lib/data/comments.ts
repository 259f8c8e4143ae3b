// Discussion threads on checkpoints (docs/RULES.md, section 7). Comments are immutable (the
// database refuses UPDATE and DELETE); posting one writes the comment, its audit event and the
// mentions' notifications in one transaction.
//
// Who has access to a system's threads: its active owners and reviewers and the program's active
// leads. Anyone who may view the system may read them; those people may post; executives read.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize, denied } from "@/lib/data/authz";
import { slugSchema } from "@/lib/data/checkpoints.schema";
import { commentSchema } from "@/lib/data/comments.schema";
import { db } from "@/lib/db";
import { mentionRecipients, type MentionCandidate } from "@/lib/domain/mentions";
import { isoDay } from "@/lib/domain/schedule";
import { NotFound, RuleViolation, ValidationError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { contextOf, loadCheckpointFacts, writeNotifications } from "@/lib/notifications/outbox";

type Tx = Prisma.TransactionClient;

export interface CommentDto {
  id: string;
  milestone: string;
  body: string;
  author: { id: string; name: string };
  createdAt: string;
}

export interface PostedCommentDto extends CommentDto {
  /** The people the comment mentioned and who were notified (never the author). */
  mentioned: { id: string; name: string }[];
}

const commentSelect = {
  id: true,
  body: true,
  createdAt: true,
  author: { select: { id: true, name: true } },
  checkpoint: { select: { milestone: { select: { key: true } } } },
} satisfies Prisma.CheckpointCommentSelect;

function toDto(row: Prisma.CheckpointCommentGetPayload<{ select: typeof commentSelect }>): CommentDto {
  return {
    id: row.id,
    milestone: row.checkpoint.milestone.key,
    body: row.body,
    author: row.author,
    createdAt: row.createdAt.toISOString(),
  };
}

function key(value: string): string {
  const parsed = slugSchema.safeParse(value);
  if (!parsed.success) throw new NotFound("No such checkpoint.");
  return parsed.data;
}

const activeProgram = { program: { active: true } } as const;

async function findCheckpoint(client: Tx | ReturnType<typeof db>, systemKey: string, milestoneKey: string) {
  const checkpoint = await client.checkpoint.findFirst({
    where: { system: { key: key(systemKey) }, milestone: { key: key(milestoneKey), ...activeProgram } },
    select: { id: true, systemId: true, system: { select: { key: true, team: true } } },
  });
  if (!checkpoint) throw new NotFound(`No checkpoint "${milestoneKey}" on system "${systemKey}".`);
  return checkpoint;
}

/** The people with access to a system's threads: whom "@" can mention, and who may post. */
async function audienceOf(client: Tx | ReturnType<typeof db>, systemId: string): Promise<MentionCandidate[]> {
  const people = await client.user.findMany({
    where: {
      active: true,
      OR: [{ role: "LEAD" }, { assignments: { some: { systemId } } }],
      // Service accounts are not people in a discussion.
      serviceAccount: null,
    },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  return people;
}

function mayPost(actor: Actor & { kind: "user" }, audience: readonly MentionCandidate[]): boolean {
  return actor.role !== "EXECUTIVE" && audience.some((p) => p.id === actor.id);
}

/** One checkpoint's thread, oldest first (newest last). */
export async function listComments(actor: Actor, systemKey: string, milestoneKey: string): Promise<CommentDto[]> {
  await authorize(actor, "system.read", { type: "system", id: systemKey, systemKey });
  const checkpoint = await findCheckpoint(db(), systemKey, milestoneKey);
  const rows = await db().checkpointComment.findMany({
    where: { checkpointId: checkpoint.id },
    select: commentSelect,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return rows.map(toDto);
}

export interface SystemDiscussionDto {
  /** Each milestone's comments, oldest first. */
  byMilestone: Record<string, CommentDto[]>;
  /** Whom "@" may mention on this system. */
  audience: MentionCandidate[];
  /** Whether the caller may post on this system's threads. */
  canPost: boolean;
}

/** Every thread of a system at once, for its page. */
export async function getSystemDiscussion(actor: Actor, systemKey: string): Promise<SystemDiscussionDto> {
  await authorize(actor, "system.read", { type: "system", id: systemKey, systemKey });
  const system = await db().system.findUnique({ where: { key: key(systemKey) }, select: { id: true } });
  if (!system) throw new NotFound(`No system "${systemKey}".`);
  const [rows, audience] = await Promise.all([
    db().checkpointComment.findMany({
      where: { checkpoint: { systemId: system.id, milestone: activeProgram } },
      select: commentSelect,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    audienceOf(db(), system.id),
  ]);
  const byMilestone: Record<string, CommentDto[]> = {};
  for (const row of rows.map(toDto)) (byMilestone[row.milestone] ??= []).push(row);
  return { byMilestone, audience, canPost: actor.kind === "user" && mayPost(actor, audience) };
}

/**
 * Posts a comment: the comment, its audit event and a MENTION notification for each person with
 * access it names (their preferences decide the channels), in one transaction.
 */
export async function postComment(
  actor: Actor,
  systemKey: string,
  milestoneKey: string,
  input: unknown,
  now = new Date(),
): Promise<PostedCommentDto> {
  if (actor.kind !== "user") throw new RuleViolation("Comments are posted by a signed-in person.");
  const checkpoint = await findCheckpoint(db(), systemKey, milestoneKey);
  const before = await audienceOf(db(), checkpoint.systemId);
  if (!mayPost(actor, before)) {
    await denied(
      actor,
      "comment.post",
      { type: "checkpoint", id: checkpoint.id, systemKey: checkpoint.system.key },
      "Only the system's owners and reviewers, and program leads, can comment on its checkpoints.",
    );
  }
  const parsed = commentSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { body } = parsed.data;

  return db().$transaction(async (tx) => {
    // Read again inside the transaction: who may be mentioned is who has access as it commits.
    const audience = await audienceOf(tx, checkpoint.systemId);
    if (!mayPost(actor, audience)) throw new RuleViolation("You no longer have access to this system.");
    const row = await tx.checkpointComment.create({
      data: { checkpointId: checkpoint.id, authorId: actor.id, body, createdAt: now },
      select: commentSelect,
    });
    const mentionedIds = mentionRecipients(body, audience, actor.id);
    const mentioned = audience.filter((p) => mentionedIds.includes(p.id));
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "comment.post",
      subjectType: "checkpoint_comment",
      subjectId: row.id,
      systemKey: checkpoint.system.key,
      data: { milestone: row.checkpoint.milestone.key, body, mentioned: mentioned.map((p) => p.id) },
    });
    if (mentioned.length > 0) {
      const [facts] = await loadCheckpointFacts(tx, { id: checkpoint.id });
      const author = audience.find((p) => p.id === actor.id)!;
      await writeNotifications(
        tx,
        mentioned.map((p) => ({ event: "MENTION", recipientId: p.id, subject: `comment:${row.id}`, day: isoDay(now) })),
        { ...contextOf(facts!, author.name), excerpt: body },
        // A mention is personal: the team's chat channel does not hear of it.
        null,
        now,
      );
    }
    return { ...toDto(row), mentioned };
  });
}

// Rules 3–6: an assigned reviewer approves or requests changes; a quorum of approvals in the
// round approves the checkpoint.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import type { Actor } from "@/lib/data/actor";
import {
  decided,
  event,
  eventFactsOf,
  load,
  parseFor,
  readAfter,
  respond,
  transition,
} from "@/lib/data/checkpoints/command";
import { reviewSchema } from "@/lib/data/checkpoints.schema";
import { db } from "@/lib/db";
import { notifyCheckpointEvent } from "@/lib/notifications/outbox";
import { decideReview } from "@/lib/domain/checkpoint-workflow";
import { evidenceDigest } from "@/lib/domain/evidence-digest";
import { Conflict, RuleViolation, isUniqueViolation } from "@/lib/errors";

/** Rules 3–6: a sign-off, frozen with the reviewer's seniority and the digest of the evidence it saw. */
export async function reviewCheckpoint(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  const data = await parseFor(actor, systemKey, milestoneKey, reviewSchema, input, {
    who: "reviewer",
    attempted: "checkpoint.review",
    message:
      actor.kind === "user" && actor.role === "EXECUTIVE"
        ? "Executives have read-only access and cannot sign off."
        : "Only the system's assigned reviewers can sign off.",
  });
  if (actor.kind !== "user") throw new RuleViolation("Only a signed-in reviewer can sign off.");
  try {
    const { loaded, review, after } = await db().$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      const next = await decided(
        decideReview(loaded.context, data.decision, data.comment),
        actor,
        "checkpoint.review",
        loaded,
        data.version,
      );
      await transition(tx, loaded, data.version, next);
      const current = loaded.checkpoint.evidence.filter((e) => e.withdrawal === null).map((e) => e.id);
      const review = await tx.review.create({
        data: {
          checkpointId: loaded.checkpoint.id,
          reviewerId: actor.id,
          round: loaded.checkpoint.round,
          decision: data.decision,
          comment: data.comment,
          seniority: actor.seniority,
          evidenceDigest: evidenceDigest(current),
        },
        select: { id: true },
      });
      // The outbox row before the audit event: the chain's lock is taken last and held shortest.
      const after = await readAfter(tx, loaded);
      await notifyCheckpointEvent(
        tx,
        data.decision === "REQUEST_CHANGES"
          ? "CHANGES_REQUESTED"
          : next.status === "APPROVED"
            ? "QUORUM_REACHED"
            : "REVIEW_APPROVED",
        eventFactsOf(loaded, after),
        actor.id,
      );
      await appendAuditEvent(
        tx,
        event(
          actor,
          loaded,
          data.decision === "APPROVE" ? "review.approve" : "review.request_changes",
          { type: "review", id: review.id },
          {
            decision: data.decision,
            comment: data.comment,
            round: loaded.checkpoint.round,
            seniority: actor.seniority,
            evidence: current.length,
            from: loaded.checkpoint.status,
            to: next.status,
          },
        ),
      );
      return { loaded, review, after };
    });
    const checkpoint = respond(loaded, after);
    return { ...checkpoint.reviews.find((r) => r.id === review.id)!, checkpoint };
  } catch (error) {
    // The same reviewer racing themself in one round: the unique key lets one through.
    if (isUniqueViolation(error))
      throw new Conflict("You have already reviewed this submission.", undefined, "already_reviewed");
    throw error;
  }
}

// The checkpoint state machine and the sign-off policy (docs/RULES.md, section 3), as pure decisions:
// facts in, a transition or a refusal (with the words the user sees) out. lib/data loads the
// facts, asks here, and writes what was decided; the UI asks here which actions to offer.
import type { CheckpointStatus } from "@/lib/domain/schedule";
import { Seniority, type Role, type Tier } from "@/lib/generated/prisma/enums";
import { seniorityWord } from "@/lib/labels";
import { forbidden, rule, type Refusal } from "@/lib/domain/refusal";

export type { Refusal } from "@/lib/domain/refusal";

export type { Role, Tier } from "@/lib/generated/prisma/enums";
export type { Seniority };
export type Decision = "APPROVE" | "REQUEST_CHANGES";

// Most junior first: schema.prisma declares the seniorities in rank order.
export const SENIORITY_ORDER: readonly Seniority[] = Object.values(Seniority);
const rank = (s: Seniority) => SENIORITY_ORDER.indexOf(s);

/** Whether a seniority is `min` or above (rules 5 and 16.2). */
export function atLeast(seniority: Seniority, min: Seniority): boolean {
  return rank(seniority) >= rank(min);
}

export interface Person {
  id: string;
  role: Role;
  seniority: Seniority;
}

export interface SystemFacts {
  tier: Tier;
  aiAssisted: boolean;
  ownerIds: readonly string[];
  reviewerIds: readonly string[];
}

export interface MilestoneFacts {
  requiredApprovals: number;
  minReviewerSeniority: Seniority;
}

export interface EvidenceFacts {
  id: string;
  submittedById: string;
  withdrawn: boolean;
}

export interface ReviewFacts {
  reviewerId: string;
  round: number;
  decision: Decision;
}

export interface CheckpointFacts {
  status: CheckpointStatus;
  /** The current submission round (0 before the first submission). */
  round: number;
  evidence: readonly EvidenceFacts[];
  reviews: readonly ReviewFacts[];
}

/** A loaded checkpoint as the decide functions see it: each evidence link withdrawn or not. */
export function checkpointFactsOf(row: {
  status: CheckpointStatus;
  round: number;
  evidence: readonly { id: string; submittedById: string; withdrawal: object | null }[];
  reviews: readonly ReviewFacts[];
}): CheckpointFacts {
  return {
    status: row.status,
    round: row.round,
    evidence: row.evidence.map((e) => ({ id: e.id, submittedById: e.submittedById, withdrawn: e.withdrawal !== null })),
    reviews: row.reviews,
  };
}

export interface WorkflowContext {
  actor: Person;
  system: SystemFacts;
  milestone: MilestoneFacts;
  checkpoint: CheckpointFacts;
}

export type Transition = { ok: true; status: CheckpointStatus; round: number };
export type Outcome = Transition | Refusal;

const to = (status: CheckpointStatus, round: number): Transition => ({ ok: true, status, round });

/** Rule 6: max(the milestone's approvals, 2 on a Tier 0 system). */
export function approvalsNeeded(
  system: Pick<SystemFacts, "tier">,
  milestone: Pick<MilestoneFacts, "requiredApprovals">,
): number {
  return Math.max(milestone.requiredApprovals, system.tier === "TIER_0" ? 2 : 1);
}

/** Rule 5: the milestone's minimum, raised to SENIOR on a system that ships AI-assisted changes. */
export function seniorityNeeded(
  system: Pick<SystemFacts, "aiAssisted">,
  milestone: Pick<MilestoneFacts, "minReviewerSeniority">,
): Seniority {
  const min = milestone.minReviewerSeniority;
  return system.aiAssisted && rank(min) < rank("SENIOR") ? "SENIOR" : min;
}

export function currentEvidence(checkpoint: Pick<CheckpointFacts, "evidence">): EvidenceFacts[] {
  return checkpoint.evidence.filter((e) => !e.withdrawn);
}

/** Distinct reviewers who approved in the current round. */
export function approversInRound(checkpoint: Pick<CheckpointFacts, "reviews" | "round">): Set<string> {
  return new Set(
    checkpoint.reviews.filter((r) => r.round === checkpoint.round && r.decision === "APPROVE").map((r) => r.reviewerId),
  );
}

/**
 * Rule 7: an approval is stale once its round no longer stands — a later round began, or the
 * checkpoint was reopened or sent back in that round. History keeps stale approvals.
 */
export function isStale(
  review: Pick<ReviewFacts, "round" | "decision">,
  checkpoint: Pick<CheckpointFacts, "status" | "round">,
  waiverPriorStatus?: CheckpointStatus | null,
): boolean {
  if (review.decision !== "APPROVE") return false;
  if (review.round < checkpoint.round) return true;
  // A waiver sets a checkpoint aside without judging the round it interrupted.
  const status = checkpoint.status === "WAIVED" && waiverPriorStatus ? waiverPriorStatus : checkpoint.status;
  return status !== "SUBMITTED" && status !== "APPROVED";
}

const isOwner = (ctx: WorkflowContext) => ctx.system.ownerIds.includes(ctx.actor.id);
const mayActAsOwner = (ctx: WorkflowContext) =>
  ctx.actor.role === "LEAD" || (ctx.actor.role === "ENGINEER" && isOwner(ctx));

/** Rules 1 and 7: adding evidence starts work, and reopens a checkpoint under review or approved. */
export function decideAddEvidence(ctx: WorkflowContext): Outcome {
  if (!mayActAsOwner(ctx))
    return forbidden("not_owner", "Only the system's owners (or a program lead) can add evidence.");
  const { status, round } = ctx.checkpoint;
  if (status === "WAIVED")
    return rule("waived", "This checkpoint is waived; a lead must revoke the waiver before it takes new evidence.");
  return to("IN_PROGRESS", round);
}

/** Rule 7: withdrawing evidence from a checkpoint under review or approved reopens it. */
export function decideWithdrawEvidence(ctx: WorkflowContext, evidenceId: string): Outcome {
  if (!mayActAsOwner(ctx))
    return forbidden("not_owner", "Only the system's owners (or a program lead) can withdraw evidence.");
  const evidence = ctx.checkpoint.evidence.find((e) => e.id === evidenceId);
  if (!evidence) return rule("evidence_not_found", "That evidence does not belong to this checkpoint.");
  if (evidence.withdrawn) return rule("already_withdrawn", "That evidence is already withdrawn.");
  const { status, round } = ctx.checkpoint;
  if (status === "WAIVED")
    return rule("waived", "This checkpoint is waived; a lead must revoke the waiver before its evidence changes.");
  return to(status === "SUBMITTED" || status === "APPROVED" ? "IN_PROGRESS" : status, round);
}

/** Rule 2: submitting needs current evidence and opens a new review round. */
export function decideSubmit(ctx: WorkflowContext): Outcome {
  if (!mayActAsOwner(ctx))
    return forbidden("not_owner", "Only the system's owners (or a program lead) can submit a checkpoint.");
  const { status, round } = ctx.checkpoint;
  if (status === "SUBMITTED")
    return rule("already_submitted", "This checkpoint is already submitted and waiting for review.");
  if (status === "APPROVED") return rule("already_approved", "This checkpoint is already approved.");
  if (status === "WAIVED") return rule("waived", "This checkpoint is waived.");
  if (currentEvidence(ctx.checkpoint).length === 0)
    return rule("no_evidence", "Add at least one piece of evidence before submitting.");
  return to("SUBMITTED", round + 1);
}

/** Rules 3–6: who may sign off, and what a sign-off does to the round. */
export function decideReview(ctx: WorkflowContext, decision: Decision, comment: string): Outcome {
  const { actor, system, milestone, checkpoint } = ctx;
  if (actor.role === "EXECUTIVE")
    return forbidden("read_only", "Executives have read-only access and cannot sign off.");
  // Separation of duties is named as such, before "not assigned": an owner trying to approve
  // their own system should learn why, not just that they are not a reviewer.
  if (system.ownerIds.includes(actor.id))
    return rule("separation_of_duties", "You own this system, so you cannot sign it off.");
  if (!system.reviewerIds.includes(actor.id))
    return forbidden("not_assigned", "Only the system's assigned reviewers can sign off.");
  if (checkpoint.status !== "SUBMITTED") return rule("wrong_status", "This checkpoint is not waiting for review.");
  if (currentEvidence(checkpoint).some((e) => e.submittedById === actor.id)) {
    return rule("evidence_author", "You added evidence to this checkpoint, so you cannot sign it off.");
  }
  const needed = seniorityNeeded(system, milestone);
  if (rank(actor.seniority) < rank(needed)) {
    return rule(
      "seniority_too_low",
      system.aiAssisted && milestone.minReviewerSeniority !== needed
        ? `This system ships AI-assisted changes, so it needs a ${seniorityWord(needed)} reviewer (or more senior).`
        : `This milestone needs a ${seniorityWord(needed)} reviewer (or more senior).`,
    );
  }
  if (checkpoint.reviews.some((r) => r.round === checkpoint.round && r.reviewerId === actor.id)) {
    return rule("already_reviewed", "You have already reviewed this submission.");
  }
  if (decision === "REQUEST_CHANGES") {
    if (!comment.trim()) return rule("comment_required", "Say what needs to change when requesting changes.");
    return to("CHANGES_REQUESTED", checkpoint.round);
  }
  const approvers = approversInRound(checkpoint);
  approvers.add(actor.id);
  return to(approvers.size >= approvalsNeeded(system, milestone) ? "APPROVED" : "SUBMITTED", checkpoint.round);
}

/** Rule 8: waivers by leads, with an expiry in the future and no later than the program's end. */
export function decideWaive(
  ctx: WorkflowContext,
  waiver: { reason: string; expiresOn: Date; today: Date; programEndsOn: Date },
): Outcome {
  if (ctx.actor.role !== "LEAD") return forbidden("lead_only", "Only a program lead can waive a checkpoint.");
  const { status, round } = ctx.checkpoint;
  if (status === "WAIVED") return rule("already_waived", "This checkpoint is already waived.");
  if (status === "APPROVED") return rule("already_approved", "This checkpoint is approved; there is nothing to waive.");
  if (!waiver.reason.trim()) return rule("reason_required", "Give the reason for the waiver.");
  if (waiver.expiresOn.getTime() <= waiver.today.getTime())
    return rule("waiver_expiry_past", "A waiver must expire after today.");
  if (waiver.expiresOn.getTime() > waiver.programEndsOn.getTime())
    return rule(
      "waiver_outlasts_program",
      "A waiver cannot outlast the program: choose an expiry on or before its last day.",
    );
  return to("WAIVED", round);
}

/** Rule 8: an expired or revoked waiver returns the checkpoint to where it was. */
export function decideWaiverEnd(priorStatus: CheckpointStatus, round: number): Transition {
  return to(priorStatus, round);
}

/**
 * Rule 8: a lead ends a waiver in force before its expiry, with a reason; the checkpoint returns
 * to the status it had when it was waived. `waiver` is the waiver in force, or null.
 */
export function decideRevokeWaiver(
  ctx: WorkflowContext,
  revocation: { reason: string; waiver: { priorStatus: CheckpointStatus } | null },
): Outcome {
  if (ctx.actor.role !== "LEAD") return forbidden("lead_only", "Only a program lead can revoke a waiver.");
  if (ctx.checkpoint.status !== "WAIVED" || !revocation.waiver)
    return rule(
      "no_waiver_in_force",
      "This checkpoint has no waiver in force to revoke; it may have been revoked or lapsed already.",
    );
  if (!revocation.reason.trim()) return rule("reason_required", "Give the reason for revoking the waiver.");
  return decideWaiverEnd(revocation.waiver.priorStatus, ctx.checkpoint.round);
}

export type WorkflowAction = "addEvidence" | "submit" | "review" | "waive" | "revokeWaiver";

/** What the UI offers this person on this checkpoint: the same decisions the server makes. */
export function availableActions(
  ctx: WorkflowContext,
  dates: { today: Date; programEndsOn: Date },
  waiver: { priorStatus: CheckpointStatus } | null = null,
): Record<WorkflowAction, Outcome> {
  return {
    addEvidence: decideAddEvidence(ctx),
    submit: decideSubmit(ctx),
    review: decideReview(ctx, "APPROVE", ""),
    waive: decideWaive(ctx, {
      reason: "—",
      expiresOn: dates.programEndsOn,
      today: dates.today,
      programEndsOn: dates.programEndsOn,
    }),
    revokeWaiver: decideRevokeWaiver(ctx, { reason: "—", waiver }),
  };
}

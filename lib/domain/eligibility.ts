// Who can act on a checkpoint now, and whether its assigned reviewers can ever reach the quorum
// (docs/RULES.md rule 14). Queues, counts, charts and notifications ask here, and only here; the
// answers are built from the decide functions of checkpoint-workflow.ts, so a queue never offers
// what the server would refuse.
import {
  approvalsNeeded,
  approversInRound,
  decideAddEvidence,
  decideReview,
  decideSubmit,
  seniorityNeeded,
  SENIORITY_ORDER,
  type Person,
  type Tier,
  type WorkflowContext,
} from "@/lib/domain/checkpoint-workflow";
import type { RefusalCode } from "@/lib/domain/refusal";
import { isDone } from "@/lib/domain/schedule";
import { TIER_LABEL } from "@/lib/labels";

/** What a person may do next on a checkpoint, as its owner or as one of its reviewers. */
export type NextAction = "addEvidence" | "submit" | "review";

export type Eligibility =
  | { canAct: true; as: "owner" | "reviewer"; action: NextAction }
  | {
      canAct: false;
      /** In the user's words: why it is not theirs to do now. */
      reason: string;
      /** The same, for code to switch on (lib/domain/refusal.ts). */
      code: RefusalCode;
      /** Who the checkpoint waits on instead: its reviewers, its owners, or nobody (done). */
      waitingOn: "reviewers" | "owners" | "nobody";
    };

/**
 * Whether `ctx.actor` can act on this checkpoint now, by their assignment (a lead's power to act
 * as any owner is not work waiting on them, so leads count only where they are assigned):
 * - an owner has work while the checkpoint is open and not waiting for review: submit when it
 *   holds current evidence, otherwise add evidence;
 * - a reviewer has work when decideReview would accept their approval: the checkpoint is
 *   submitted, they have the seniority, are not an owner or an author of its current evidence,
 *   and have not reviewed this round (a reached quorum leaves it APPROVED, so it is open).
 */
export function eligibility(ctx: WorkflowContext): Eligibility {
  const { actor, system, checkpoint } = ctx;
  const status = checkpoint.status;
  if (isDone(status))
    return {
      canAct: false,
      reason: status === "WAIVED" ? "This checkpoint is waived." : "This checkpoint is approved.",
      code: status === "WAIVED" ? "waived" : "already_approved",
      waitingOn: "nobody",
    };
  if (actor.role !== "EXECUTIVE" && system.ownerIds.includes(actor.id)) {
    if (status === "SUBMITTED")
      return {
        canAct: false,
        reason: "Submitted: waiting for the reviewers' sign-off.",
        code: "already_submitted",
        waitingOn: "reviewers",
      };
    const submit = decideSubmit(ctx);
    if (submit.ok) return { canAct: true, as: "owner", action: "submit" };
    const add = decideAddEvidence(ctx);
    if (add.ok) return { canAct: true, as: "owner", action: "addEvidence" };
    return { canAct: false, reason: add.reason, code: add.code, waitingOn: "owners" };
  }
  if (system.reviewerIds.includes(actor.id)) {
    const review = decideReview(ctx, "APPROVE", "");
    if (review.ok) return { canAct: true, as: "reviewer", action: "review" };
    return {
      canAct: false,
      reason: review.reason,
      code: review.code,
      waitingOn: status === "SUBMITTED" ? "reviewers" : "owners",
    };
  }
  return {
    canAct: false,
    reason: actor.role === "EXECUTIVE" ? "Executives have read-only access." : "You are not assigned to this system.",
    code: actor.role === "EXECUTIVE" ? "read_only" : "not_assigned",
    waitingOn: status === "SUBMITTED" ? "reviewers" : "owners",
  };
}

/** A person assigned as a reviewer, with what the rules look at. `active: false` cannot sign in. */
export interface ReviewerFacts extends Person {
  active?: boolean;
}

export interface ReviewerPool {
  /** Approvals the rules require (rule 6). */
  needed: number;
  /** Approvals already standing in the current round (a submitted checkpoint only). */
  standing: number;
  /** Assigned reviewers who could still approve, by id. */
  eligibleIds: string[];
  /** Why each other assigned reviewer cannot approve, by id. */
  ineligible: { id: string; reason: string; code: RefusalCode }[];
}

/**
 * The assigned reviewers who could approve this checkpoint's current (or, when it is not yet
 * submitted, next) round, as decideReview judges each of them. On a checkpoint not yet submitted
 * the round is judged as if it had just been submitted with the evidence it holds now.
 */
export function reviewerPool(ctx: Omit<WorkflowContext, "actor">, reviewers: readonly ReviewerFacts[]): ReviewerPool {
  const { system, milestone, checkpoint } = ctx;
  const submitted = checkpoint.status === "SUBMITTED";
  // The round as the reviewers will see it: the current one, or the next one once submitted.
  const round = submitted ? checkpoint : { ...checkpoint, status: "SUBMITTED" as const, round: checkpoint.round + 1 };
  const standing = submitted ? approversInRound(checkpoint).size : 0;
  const pool: ReviewerPool = { needed: approvalsNeeded(system, milestone), standing, eligibleIds: [], ineligible: [] };
  for (const reviewer of reviewers) {
    if (!system.reviewerIds.includes(reviewer.id)) continue;
    if (reviewer.active === false) {
      pool.ineligible.push({ id: reviewer.id, reason: "This account is disabled.", code: "account_disabled" });
      continue;
    }
    const outcome = decideReview({ actor: reviewer, system, milestone, checkpoint: round }, "APPROVE", "");
    if (outcome.ok) pool.eligibleIds.push(reviewer.id);
    else pool.ineligible.push({ id: reviewer.id, reason: outcome.reason, code: outcome.code });
  }
  return pool;
}

/**
 * Rule 14's flag: the assigned reviewers can never reach the quorum — counting the approvals
 * already standing in this round and every assigned reviewer who could still approve. Done
 * checkpoints are never flagged. Judged on the current assignments and current evidence.
 */
export function noEligibleReviewer(ctx: Omit<WorkflowContext, "actor">, reviewers: readonly ReviewerFacts[]): boolean {
  if (isDone(ctx.checkpoint.status)) return false;
  const pool = reviewerPool(ctx, reviewers);
  return pool.standing + pool.eligibleIds.length < pool.needed;
}

/** The same verdict in words, for the system page, the lead's queue and assignment warnings. */
export function reviewerShortfall(
  ctx: Omit<WorkflowContext, "actor">,
  reviewers: readonly ReviewerFacts[],
): string | null {
  if (!noEligibleReviewer(ctx, reviewers)) return null;
  const pool = reviewerPool(ctx, reviewers);
  const seniority = seniorityNeeded(ctx.system, ctx.milestone);
  const have = pool.standing + pool.eligibleIds.length;
  const from = seniority === SENIORITY_ORDER[0] ? "" : ` from ${seniorityLabel(seniority)} or above`;
  return `Needs ${pool.needed} approval${pool.needed === 1 ? "" : "s"}${from}, not an owner or evidence author; ${have === 0 ? "no assigned reviewer qualifies" : `only ${have} can`}.`;
}

/** The effective rule a milestone applies on a system, in words: "2 approvals from Senior or above". */
export function effectiveRule(
  system: Pick<WorkflowContext["system"], "tier" | "aiAssisted">,
  milestone: WorkflowContext["milestone"],
): string {
  const needed = approvalsNeeded(system, milestone);
  return `${needed} approval${needed === 1 ? "" : "s"} from ${seniorityLabel(seniorityNeeded(system, milestone))} or above`;
}

function seniorityLabel(s: Person["seniority"]): string {
  return s.charAt(0) + s.slice(1).toLowerCase();
}

/** One line of a milestone's effective rules: the tiers it holds for, AI-assisted or not. */
export interface EffectiveRuleLine {
  tiers: Tier[];
  aiAssisted: boolean;
  approvals: number;
  seniority: Person["seniority"];
  /** "Tier 0: 2 approvals from Senior or above". */
  text: string;
}

/**
 * What a milestone really needs on each kind of system (rules 5 and 6), for Program settings:
 * per tier, then for systems that ship AI-assisted changes; tiers with the same rule share a line.
 * Built from approvalsNeeded and seniorityNeeded, as the workflow decides.
 */
export function effectiveRules(milestone: WorkflowContext["milestone"]): EffectiveRuleLine[] {
  const tiers = Object.keys(TIER_LABEL) as Tier[];
  const lines: EffectiveRuleLine[] = [];
  for (const aiAssisted of [false, true]) {
    for (const tier of tiers) {
      const approvals = approvalsNeeded({ tier }, milestone);
      const seniority = seniorityNeeded({ aiAssisted }, milestone);
      const same = lines.find(
        (l) => l.aiAssisted === aiAssisted && l.approvals === approvals && l.seniority === seniority,
      );
      if (same) same.tiers.push(tier);
      else lines.push({ tiers: [tier], aiAssisted, approvals, seniority, text: "" });
    }
  }
  for (const line of lines) {
    const who = `${line.tiers.map((t) => TIER_LABEL[t]).join(", ")}${line.aiAssisted ? ", AI-assisted" : ""}`;
    line.text = `${who}: ${effectiveRule({ tier: line.tiers[0]!, aiAssisted: line.aiAssisted }, milestone)}`;
  }
  return lines;
}

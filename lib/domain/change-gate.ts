// The change gate (docs/RULES.md, rule 16): may this production change ship? Facts in, a decision
// out, with the reasons in words a pipeline log or an author can act on. lib/data loads the facts
// and asks here; the review refusals live here too so that the UI offers what the server allows.
import { seniorityWord } from "@/lib/labels";
import type { Refusal } from "@/lib/domain/refusal";
import { SENIORITY_ORDER, type Decision, type Seniority, type Tier } from "@/lib/domain/checkpoint-workflow";

const rank = (s: Seniority) => SENIORITY_ORDER.indexOf(s);

/** Approvals last this long unless the change ships first (rule 16.5); configurable per deployment. */
export const DEFAULT_APPROVAL_TTL_DAYS = 7;

/** The least seniority whose approval of a production change is recorded at all. */
export const MIN_CHANGE_REVIEWER_SENIORITY: Seniority = "MID";

export interface ChangePerson {
  id: string;
  name: string;
  seniority: Seniority;
}

export interface ChangeReviewFacts {
  reviewerId: string;
  reviewerName: string;
  /** The reviewer's seniority when they signed, frozen like a checkpoint sign-off's. */
  seniority: Seniority;
  decision: Decision;
  comment: string;
  /** The links revision the review was given on; a link edit starts a new one. */
  revision: number;
  at: Date;
}

export interface ChangeFacts {
  author: ChangePerson;
  coAuthorIds: readonly string[];
  aiAssisted: boolean;
  rollbackPlanUrl: string | null;
  revision: number;
  /** When the change was reported shipped; approvals are judged as of that moment. */
  shippedAt: Date | null;
  reviews: readonly ChangeReviewFacts[];
}

export interface ChangeSystemFacts {
  tier: Tier;
  /** The system's `rollback` checkpoint status, or null when the program has no such milestone. */
  rollbackStatus: string | null;
}

export type Requirement =
  "peer-approval" | "senior-approval" | "principal-approval" | "rollback-plan" | "changes-addressed";

export interface Missing {
  requirement: Requirement;
  needed: number;
  have: number;
}

export interface CountedApproval {
  reviewerId: string;
  reviewerName: string;
  seniority: Seniority;
  at: Date;
  expiresAt: Date;
}

export interface ChangeDecision {
  allowed: boolean;
  reasons: string[];
  approvals: CountedApproval[];
  missing: Missing[];
}

export interface GateOptions {
  now: Date;
  approvalTtlDays?: number;
}

const DAY_MS = 86_400_000;

const rollbackDone = (status: string | null) => status === "APPROVED" || status === "WAIVED";

/** Rule 16.2: AI-assisted work of a JUNIOR or MID author needs SENIOR+ approvals (two on Tier 0). */
export function seniorApprovalsNeeded(
  change: Pick<ChangeFacts, "aiAssisted" | "author">,
  system: Pick<ChangeSystemFacts, "tier">,
): number {
  if (!change.aiAssisted || rank(change.author.seniority) >= rank("SENIOR")) return 0;
  return system.tier === "TIER_0" ? 2 : 1;
}

const isAuthor = (change: Pick<ChangeFacts, "author" | "coAuthorIds">, personId: string) =>
  change.author.id === personId || change.coAuthorIds.includes(personId);

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * Which approvals stand now: on the current links revision (rule 16.4), not from the author or a
 * co-author (16.1), and not older than the time-to-live unless the change shipped within it (16.5).
 */
export function standingApprovals(change: ChangeFacts, options: GateOptions): CountedApproval[] {
  const ttl = (options.approvalTtlDays ?? DEFAULT_APPROVAL_TTL_DAYS) * DAY_MS;
  const asOf = change.shippedAt ?? options.now;
  const latest = new Map<string, CountedApproval>();
  for (const r of change.reviews) {
    if (r.decision !== "APPROVE" || r.revision !== change.revision || isAuthor(change, r.reviewerId)) continue;
    const expiresAt = new Date(r.at.getTime() + ttl);
    if (expiresAt.getTime() <= asOf.getTime()) continue;
    const prior = latest.get(r.reviewerId);
    if (!prior || prior.at < r.at)
      latest.set(r.reviewerId, {
        reviewerId: r.reviewerId,
        reviewerName: r.reviewerName,
        seniority: r.seniority,
        at: r.at,
        expiresAt,
      });
  }
  return [...latest.values()].sort((a, b) => a.at.getTime() - b.at.getTime());
}

/** Rule 16 as one decision. Every unmet requirement is named, not just the first. */
export function decideChange(change: ChangeFacts, system: ChangeSystemFacts, options: GateOptions): ChangeDecision {
  const approvals = standingApprovals(change, options);
  const reasons: string[] = [];
  const missing: Missing[] = [];
  const need = (requirement: Requirement, needed: number, have: number, reason: string) => {
    if (have >= needed) return;
    missing.push({ requirement, needed, have });
    reasons.push(reason);
  };

  need(
    "rollback-plan",
    1,
    change.rollbackPlanUrl ? 1 : 0,
    "Add a link to the rollback plan: no change ships without a way back.",
  );

  const requested = change.reviews.filter(
    (r) => r.decision === "REQUEST_CHANGES" && r.revision === change.revision && !isAuthor(change, r.reviewerId),
  );
  for (const r of requested) {
    reasons.push(
      `${r.reviewerName} asked for changes${r.comment.trim() ? `: “${r.comment.trim()}”` : ""}. Update the change's links to start a new review.`,
    );
  }
  if (requested.length) missing.push({ requirement: "changes-addressed", needed: requested.length, have: 0 });

  need("peer-approval", 1, approvals.length, "It needs an approval from someone other than its author and co-authors.");

  const seniorNeeded = seniorApprovalsNeeded(change, system);
  const seniors = approvals.filter((a) => rank(a.seniority) >= rank("SENIOR")).length;
  need(
    "senior-approval",
    seniorNeeded,
    seniors,
    `It is AI-assisted and its author is ${seniorityWord(change.author.seniority)}, so it needs ${seniorNeeded === 2 ? "two approvals" : "an approval"} from a senior or principal reviewer${system.tier === "TIER_0" ? " on a Tier 0 system" : ""}${seniors ? ` (${seniors} so far)` : ""}.`,
  );

  if (!rollbackDone(system.rollbackStatus)) {
    const principals = approvals.filter((a) => a.seniority === "PRINCIPAL").length;
    need(
      "principal-approval",
      1,
      principals,
      system.rollbackStatus === null
        ? "The program has no rollback milestone to show this system's rollback is tested, so it needs a principal engineer's approval."
        : "This system's rollback milestone is not approved or waived yet, so it needs a principal engineer's approval.",
    );
  }

  const expired = change.reviews.filter(
    (r) =>
      r.decision === "APPROVE" &&
      r.revision === change.revision &&
      !approvals.some((a) => a.reviewerId === r.reviewerId) &&
      !isAuthor(change, r.reviewerId),
  );
  const stale = change.reviews.filter((r) => r.decision === "APPROVE" && r.revision < change.revision);
  if (reasons.length && expired.length) {
    reasons.push(
      `${[...new Set(expired.map((r) => r.reviewerName))].join(", ")}: approval expired after ${plural(options.approvalTtlDays ?? DEFAULT_APPROVAL_TTL_DAYS, "day")}; ask them to approve again.`,
    );
  }
  if (reasons.length && stale.length && !approvals.length) {
    reasons.push("Earlier approvals no longer count: the change's links were edited after they were given.");
  }

  const allowed = missing.length === 0;
  if (allowed) {
    reasons.push(
      `Allowed: approved by ${approvals.map((a) => `${a.reviewerName} (${seniorityWord(a.seniority)})`).join(", ")}.`,
    );
  }
  return { allowed, reasons, approvals, missing };
}

export type ReviewRefusal = Refusal;
export type ReviewAllowed = { ok: true };

export interface ChangeReviewContext {
  reviewer: { id: string; role: string; seniority: Seniority };
  change: ChangeFacts & { state: "OPEN" | "SHIPPED" | "ROLLED_BACK" };
  /** The system's assigned reviewers. */
  reviewerIds: readonly string[];
}

/** Who may review a change, in the order that tells the person the real reason. */
export function decideChangeReview(
  ctx: ChangeReviewContext,
  decision: Decision,
  comment: string,
  options: GateOptions,
): ReviewAllowed | ReviewRefusal {
  const { reviewer, change } = ctx;
  if (reviewer.role === "EXECUTIVE")
    return {
      ok: false,
      kind: "forbidden",
      code: "read_only",
      reason: "Executives have read-only access and cannot review changes.",
    };
  // Separation of duties comes first: an author who tries to approve their own change should
  // hear why, not merely that they are not a reviewer of the system.
  if (change.author.id === reviewer.id)
    return {
      ok: false,
      kind: "rule",
      code: "separation_of_duties",
      reason: "You wrote this change, so you cannot review it.",
    };
  if (change.coAuthorIds.includes(reviewer.id))
    return {
      ok: false,
      kind: "rule",
      code: "separation_of_duties",
      reason: "You are a co-author of this change, so you cannot review it.",
    };
  if (!ctx.reviewerIds.includes(reviewer.id))
    return {
      ok: false,
      kind: "forbidden",
      code: "not_assigned",
      reason: "Only the system's assigned reviewers can review its changes.",
    };
  if (change.state !== "OPEN")
    return {
      ok: false,
      kind: "rule",
      code: "change_shipped",
      reason: "This change has already shipped; its reviews are closed.",
    };
  if (rank(reviewer.seniority) < rank(MIN_CHANGE_REVIEWER_SENIORITY)) {
    return {
      ok: false,
      kind: "rule",
      code: "seniority_too_low",
      reason: `Reviewing a production change needs a ${seniorityWord(MIN_CHANGE_REVIEWER_SENIORITY)} engineer or more senior.`,
    };
  }
  if (decision === "REQUEST_CHANGES" && !comment.trim())
    return {
      ok: false,
      kind: "rule",
      code: "comment_required",
      reason: "Say what needs to change when requesting changes.",
    };
  const standing = standingApprovals(change, options).some((a) => a.reviewerId === reviewer.id);
  const mine = change.reviews.filter((r) => r.reviewerId === reviewer.id && r.revision === change.revision);
  // An expired approval may be renewed; anything else on this revision is final.
  if (standing || mine.some((r) => r.decision === "REQUEST_CHANGES")) {
    return {
      ok: false,
      kind: "rule",
      code: "already_reviewed",
      reason: "You have already reviewed this version of the change.",
    };
  }
  return { ok: true };
}

/** How many reviews this reviewer already gave on the current revision: the next one's renewal number. */
export function renewalOf(change: Pick<ChangeFacts, "reviews" | "revision">, reviewerId: string): number {
  return change.reviews.filter((r) => r.reviewerId === reviewerId && r.revision === change.revision).length;
}

export interface ChangeLinks {
  url: string;
  rollbackPlanUrl: string;
  docsUrl: string | null;
}

/** Rule 16.4: a new revision (and so stale approvals) whenever any link differs. */
export function linksChanged(before: ChangeLinks, after: ChangeLinks): boolean {
  return (
    before.url !== after.url ||
    before.rollbackPlanUrl !== after.rollbackPlanUrl ||
    (before.docsUrl ?? null) !== (after.docsUrl ?? null)
  );
}

export type ChangeReviewEligibility = { canAct: true } | { canAct: false; reason: string };

/** What the approvals still lack: each missing approval requirement's shortfall, summed. */
const approvalShortfall = (decision: ChangeDecision) =>
  decision.missing
    .filter((m) => m.requirement !== "rollback-plan" && m.requirement !== "changes-addressed")
    .reduce((sum, m) => sum + (m.needed - m.have), 0);

/**
 * Whether a change waits on this reviewer now (My work, its count and the API ask here): the
 * review rules above would take their approval, a reviewer's request for changes on this revision
 * is not waiting on the author, and their approval would meet a requirement still missing (a
 * peer's; a Senior's when the author is Junior or Mid and used AI; a Principal's while the
 * system's rollback is not proven). A change already allowed, or one only a more senior reviewer
 * can unblock, does not wait on them.
 */
export function changeReviewEligibility(
  ctx: ChangeReviewContext,
  system: ChangeSystemFacts,
  options: GateOptions,
): ChangeReviewEligibility {
  const review = decideChangeReview(ctx, "APPROVE", "", options);
  if (!review.ok) return { canAct: false, reason: review.reason };
  const before = decideChange(ctx.change, system, options);
  if (before.allowed) return { canAct: false, reason: "This change is already allowed to ship." };
  if (before.missing.some((m) => m.requirement === "changes-addressed"))
    return { canAct: false, reason: "Changes were requested: it waits on its author." };
  const mine: ChangeReviewFacts = {
    reviewerId: ctx.reviewer.id,
    reviewerName: "",
    seniority: ctx.reviewer.seniority,
    decision: "APPROVE",
    comment: "",
    revision: ctx.change.revision,
    at: options.now,
  };
  const after = decideChange({ ...ctx.change, reviews: [...ctx.change.reviews, mine] }, system, options);
  if (approvalShortfall(after) >= approvalShortfall(before))
    return { canAct: false, reason: "Your approval would not unblock it: it needs a more senior reviewer's." };
  return { canAct: true };
}

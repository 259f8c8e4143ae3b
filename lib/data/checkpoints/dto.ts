// The system page's and the API's checkpoint DTOs, and how a loaded checkpoint row becomes one:
// the actions offered come from the same decide functions the commands apply
// (docs/RULES.md, section 3), so a button is shown only when the server would accept it.
import "server-only";
import type { RefusalCode } from "@/lib/domain/refusal";
import {
  approvalsNeeded,
  availableActions,
  checkpointFactsOf,
  isStale,
  seniorityNeeded,
  type WorkflowAction,
  type WorkflowContext,
} from "@/lib/domain/checkpoint-workflow";
import { reviewerShortfall, type ReviewerFacts } from "@/lib/domain/eligibility";
import { checkpointHealth, isoDay, type CheckpointStatus, type Health, type Progress } from "@/lib/domain/schedule";
import type { EvidenceKind, ReviewDecision, Role, Seniority, Tier } from "@/lib/generated/prisma/enums";

export interface UserRef {
  email: string;
  name: string;
  role: Role;
  seniority: Seniority;
}

export interface EvidenceDto {
  id: string;
  url: string;
  title: string;
  kind: string;
  note: string;
  submittedBy: UserRef;
  submittedAt: string;
  withdrawn: boolean;
  withdrawnAt: string | null;
}

export interface ReviewDto {
  id: string;
  reviewer: UserRef;
  decision: "APPROVE" | "REQUEST_CHANGES";
  comment: string;
  seniority: string;
  stale: boolean;
  round: number;
  at: string;
}

export interface WaiverDto {
  id: string;
  reason: string;
  expiresOn: string;
  grantedBy: UserRef;
  at: string;
}

export interface CheckpointDto {
  milestone: string;
  name: string;
  description: string;
  evidenceHint: string;
  sequence: number;
  status: CheckpointStatus;
  dueOn: string;
  /** Set when a lead moved the due date away from program start + the milestone's due day. */
  dueOnOverride: { reason: string; by: UserRef | null } | null;
  health: Health;
  version: number;
  round: number;
  requiredApprovals: number;
  minReviewerSeniority: string;
  evidence: EvidenceDto[];
  reviews: ReviewDto[];
  waiver: WaiverDto | null;
  /** What the caller may do here now, decided by the same rules the commands apply. */
  actions: Record<WorkflowAction, { allowed: true } | { allowed: false; reason: string; code: RefusalCode }>;
  /** Rule 14: why the assigned reviewers can never reach the quorum, or null when they can. */
  noEligibleReviewer: string | null;
}

export interface SystemDetailDto {
  key: string;
  name: string;
  team: string;
  tier: Tier;
  aiAssisted: boolean;
  description: string;
  repoUrl: string | null;
  runbookUrl: string | null;
  /** Send it back with PUT assignments (or as If-Match): a stale one is a 409. */
  assignmentsVersion: number;
  owners: UserRef[];
  reviewers: UserRef[];
  progress: Progress;
  health: Health;
  nextDue: { milestone: string; dueOn: string } | null;
  /** The day it joined a program already under way (rule 13), or null. */
  joinedOn: string | null;
  /** Rule 15: archived systems leave the figures and queues; their history stays. */
  archived: { at: string; reason: string } | null;
  checkpoints: CheckpointDto[];
}

/** A checkpoint with what the rules and the page need, as the one-statement read returns it. */
export interface CheckpointRow {
  id: string;
  status: CheckpointStatus;
  dueOn: Date;
  dueOnOverrideReason: string | null;
  dueOnOverriddenBy: UserRef | null;
  version: number;
  round: number;
  milestone: {
    key: string;
    name: string;
    description: string;
    evidenceHint: string;
    sequence: number;
    requiredApprovals: number;
    minReviewerSeniority: Seniority;
  };
  evidence: {
    id: string;
    url: string;
    title: string;
    kind: EvidenceKind;
    note: string;
    submittedAt: Date;
    submittedById: string;
    submittedBy: UserRef;
    withdrawal: { at: Date } | null;
  }[];
  reviews: {
    id: string;
    reviewerId: string;
    round: number;
    decision: ReviewDecision;
    comment: string;
    seniority: Seniority;
    at: Date;
    reviewer: UserRef;
  }[];
  /** The waiver in force, if any (neither revoked nor lapsed). */
  waivers: {
    id: string;
    reason: string;
    expiresOn: Date;
    priorStatus: CheckpointStatus;
    at: Date;
    grantedBy: UserRef;
  }[];
}

export type ContextFacts = Omit<WorkflowContext, "milestone" | "checkpoint">;

export function workflowContext(row: CheckpointRow, facts: ContextFacts): WorkflowContext {
  return {
    ...facts,
    milestone: row.milestone,
    checkpoint: checkpointFactsOf(row),
  };
}

const NO_ACTIONS: CheckpointDto["actions"] = {
  addEvidence: { allowed: false, reason: "", code: "forbidden" },
  submit: { allowed: false, reason: "", code: "forbidden" },
  review: { allowed: false, reason: "", code: "forbidden" },
  waive: { allowed: false, reason: "", code: "forbidden" },
  revokeWaiver: { allowed: false, reason: "", code: "forbidden" },
};

export function toCheckpointDto(
  row: CheckpointRow,
  system: { tier: WorkflowContext["system"]["tier"]; aiAssisted: boolean },
  today: Date,
  facts?: ContextFacts & { programEndsOn: Date; reviewers: ReviewerFacts[] },
): CheckpointDto {
  const waiver = row.waivers[0] ?? null;
  let actions = NO_ACTIONS;
  if (facts) {
    const outcomes = availableActions(
      workflowContext(row, facts),
      { today, programEndsOn: facts.programEndsOn },
      waiver,
    );
    actions = Object.fromEntries(
      Object.entries(outcomes).map(([action, outcome]) => [
        action,
        outcome.ok ? { allowed: true } : { allowed: false, reason: outcome.reason, code: outcome.code },
      ]),
    ) as CheckpointDto["actions"];
  }
  return {
    milestone: row.milestone.key,
    name: row.milestone.name,
    description: row.milestone.description,
    evidenceHint: row.milestone.evidenceHint,
    sequence: row.milestone.sequence,
    status: row.status,
    dueOn: isoDay(row.dueOn),
    dueOnOverride:
      row.dueOnOverrideReason === null ? null : { reason: row.dueOnOverrideReason, by: row.dueOnOverriddenBy },
    health: checkpointHealth(row, today),
    version: row.version,
    round: row.round,
    requiredApprovals: approvalsNeeded(system, row.milestone),
    minReviewerSeniority: seniorityNeeded(system, row.milestone),
    evidence: row.evidence.map((e) => ({
      id: e.id,
      url: e.url,
      title: e.title,
      kind: e.kind,
      note: e.note,
      submittedBy: e.submittedBy,
      submittedAt: e.submittedAt.toISOString(),
      withdrawn: e.withdrawal !== null,
      withdrawnAt: e.withdrawal?.at.toISOString() ?? null,
    })),
    reviews: row.reviews.map((r) => ({
      id: r.id,
      reviewer: r.reviewer,
      decision: r.decision,
      comment: r.comment,
      seniority: r.seniority,
      stale: isStale(r, row, waiver?.priorStatus),
      round: r.round,
      at: r.at.toISOString(),
    })),
    waiver: waiver
      ? {
          id: waiver.id,
          reason: waiver.reason,
          expiresOn: isoDay(waiver.expiresOn),
          grantedBy: waiver.grantedBy,
          at: waiver.at.toISOString(),
        }
      : null,
    actions,
    noEligibleReviewer: facts ? reviewerShortfall(workflowContext(row, facts), facts.reviewers) : null,
  };
}

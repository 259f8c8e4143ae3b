// The checkpoint workflow's commands and the system detail read. Each command: validate (zod) →
// load the facts in a transaction → lib/domain decides (refusals: 403 recorded, or 422) → write
// with the version check (409 when someone changed it first) → append the audit event, all in
// the same transaction. One transition happens once, however many requests race.
import "server-only";
import type { RefusalCode } from "@/lib/domain/refusal";
import { appendAuditEvent } from "@/lib/audit/append";
import type { JsonValue } from "@/lib/audit/chain";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize, denied } from "@/lib/data/authz";
import { markedCheckpointsSql, markedRollups, refreshRollups, type MarkedRollups } from "@/lib/data/rollup";
import {
  addEvidenceSchema,
  reviewSchema,
  revokeWaiverSchema,
  slugSchema,
  submitSchema,
  waiverSchema,
  withdrawEvidenceSchema,
} from "@/lib/data/checkpoints.schema";
import { db } from "@/lib/db";
import { notifyCheckpointEvent } from "@/lib/notifications/outbox";
import {
  approvalsNeeded,
  decideAddEvidence,
  decideReview,
  decideRevokeWaiver,
  decideSubmit,
  decideWaive,
  decideWaiverEnd,
  decideWithdrawEvidence,
  isStale,
  availableActions,
  seniorityNeeded,
  type Outcome,
  type WorkflowAction,
  type WorkflowContext,
} from "@/lib/domain/checkpoint-workflow";
import { reviewerShortfall, type ReviewerFacts } from "@/lib/domain/eligibility";
import { evidenceDigest } from "@/lib/domain/evidence-digest";
import {
  checkpointHealth,
  isDone,
  isoDay,
  progressOf,
  systemHealth,
  utcDay,
  type CheckpointStatus,
  type Health,
  type Progress,
} from "@/lib/domain/schedule";
import { Conflict, NotFound, RuleViolation, ValidationError, isUniqueViolation } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { EvidenceKind, ReviewDecision, Role, Seniority, Tier } from "@/lib/generated/prisma/enums";
import type { z } from "zod";

type Tx = Prisma.TransactionClient;

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
interface CheckpointRow {
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

type ContextFacts = Omit<WorkflowContext, "milestone" | "checkpoint">;

function workflowContext(row: CheckpointRow, facts: ContextFacts): WorkflowContext {
  return {
    ...facts,
    milestone: row.milestone,
    checkpoint: {
      status: row.status,
      round: row.round,
      evidence: row.evidence.map((e) => ({
        id: e.id,
        submittedById: e.submittedById,
        withdrawn: e.withdrawal !== null,
      })),
      reviews: row.reviews,
    },
  };
}

const NO_ACTIONS: CheckpointDto["actions"] = {
  addEvidence: { allowed: false, reason: "", code: "forbidden" },
  submit: { allowed: false, reason: "", code: "forbidden" },
  review: { allowed: false, reason: "", code: "forbidden" },
  waive: { allowed: false, reason: "", code: "forbidden" },
  revokeWaiver: { allowed: false, reason: "", code: "forbidden" },
};

function toCheckpointDto(
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

/** Rule 8: waivers whose expiry has passed end, and their checkpoints return to where they were. */
export async function lapseExpiredWaivers(
  tx: Tx,
  where: { systemId?: string } = {},
  today = utcDay(new Date()),
): Promise<number> {
  const expired = await tx.waiver.findMany({
    where: {
      revokedAt: null,
      lapsedAt: null,
      expiresOn: { lt: today },
      ...(where.systemId ? { checkpoint: { systemId: where.systemId } } : {}),
    },
    select: {
      id: true,
      priorStatus: true,
      checkpoint: {
        select: {
          id: true,
          systemId: true,
          round: true,
          version: true,
          system: { select: { key: true } },
          milestone: { select: { key: true } },
        },
      },
    },
  });
  const lapsed: { waiver: (typeof expired)[number]; next: ReturnType<typeof decideWaiverEnd> }[] = [];
  for (const waiver of expired) {
    const next = decideWaiverEnd(waiver.priorStatus, waiver.checkpoint.round);
    // Two readers may find the same expired waiver at once: the row lock lets one through, and
    // the other then sees it ended (or revoked meanwhile) and leaves it alone.
    const { count } = await tx.waiver.updateMany({
      where: { id: waiver.id, revokedAt: null, lapsedAt: null },
      data: { lapsedAt: new Date() },
    });
    if (count === 0) continue;
    await tx.checkpoint.update({
      where: { id: waiver.checkpoint.id },
      data: {
        status: next.status,
        version: { increment: 1 },
        statusChangedAt: new Date(),
        completedAt: isDone(next.status) ? new Date() : null,
      },
    });
    lapsed.push({ waiver, next });
  }
  // The roll-ups before the audit events: the chain's lock is the last one taken.
  await refreshRollups(
    tx,
    lapsed.map((l) => l.waiver.checkpoint.systemId),
  );
  for (const { waiver, next } of lapsed) {
    await appendAuditEvent(tx, {
      actorId: null,
      actorEmail: null,
      action: "waiver.lapse",
      subjectType: "waiver",
      subjectId: waiver.id,
      systemKey: waiver.checkpoint.system.key,
      data: {
        checkpointId: waiver.checkpoint.id,
        milestone: waiver.checkpoint.milestone.key,
        from: "WAIVED",
        to: next.status,
      },
    });
  }
  return expired.length;
}

/**
 * For reads that span the whole program (dashboard, registry, exports): lapse every waiver past its
 * expiry first, so that none is counted as waived, and compute the roll-ups the database marked as
 * behind, for the read to use and store (lib/data/rollup.ts). One cheap statement when there is
 * nothing to do.
 */
export async function lapseDueWaivers(today = utcDay(new Date())): Promise<MarkedRollups> {
  const client = db();
  const [state] = await client.$queryRaw<[{ due: boolean; marked: Record<string, unknown>[] }]>`
    SELECT EXISTS (SELECT 1 FROM waiver WHERE revoked_at IS NULL AND lapsed_at IS NULL AND expires_on < ${isoDay(today)}::date) AS due,
           ${markedCheckpointsSql} AS marked`;
  if (!state.due) return markedRollups(state.marked);
  await client.$transaction((tx) => lapseExpiredWaivers(tx, {}, today));
  // The lapses refreshed their systems' roll-ups: what is still marked is read again.
  const [after] = await client.$queryRaw<
    [{ marked: Record<string, unknown>[] }]
  >`SELECT ${markedCheckpointsSql} AS marked`;
  return markedRollups(after.marked);
}

const userJson = (alias: string) =>
  Prisma.raw(
    `json_build_object('email', ${alias}.email, 'name', ${alias}.name, 'role', ${alias}.role, 'seniority', ${alias}.seniority)`,
  );

interface DetailRow {
  id: string;
  key: string;
  name: string;
  team: string;
  tier: WorkflowContext["system"]["tier"];
  ai_assisted: boolean;
  description: string;
  repo_url: string | null;
  runbook_url: string | null;
  joined_on: string | null;
  archived_at: string | null;
  archived_reason: string | null;
  assignments_version: number;
  assignments: { kind: "OWNER" | "REVIEWER"; userId: string; active: boolean; user: UserRef }[];
  ends_on: Date | null;
  lapse_due: boolean;
  checkpoints: (Omit<CheckpointRow, "dueOn" | "evidence" | "reviews" | "waivers"> & {
    dueOn: string;
    evidence: (Omit<CheckpointRow["evidence"][number], "submittedAt" | "withdrawal"> & {
      submittedAt: string;
      withdrawal: { at: string } | null;
    })[];
    reviews: (Omit<CheckpointRow["reviews"][number], "at"> & { at: string })[];
    waivers: (Omit<CheckpointRow["waivers"][number], "at" | "expiresOn"> & { at: string; expiresOn: string })[];
  })[];
}

/**
 * The system page's facts in ONE statement (instead of a query per relation): the system, its
 * people, whether a waiver of it has expired, and every checkpoint of the active program with its
 * milestone, evidence, reviews and waiver, nested as JSON in milestone order.
 */
async function readSystemDetail(client: Pick<Tx, "$queryRaw">, key: string, today: Date): Promise<DetailRow | null> {
  const [row] = await client.$queryRaw<DetailRow[]>`
    SELECT s.id, s.key, s.name, s.team, s.tier::text AS tier, s.ai_assisted, s.description, s.repo_url, s.runbook_url,
           s.joined_on::text AS joined_on, s.archived_at, s.archived_reason, s.assignments_version,
           coalesce((SELECT json_agg(json_build_object('kind', a.kind, 'userId', a.user_id, 'active', u.active, 'user', ${userJson("u")}) ORDER BY u.name)
                       FROM assignment a JOIN app_user u ON u.id = a.user_id WHERE a.system_id = s.id), '[]'::json) AS assignments,
           (SELECT p.starts_on + p.duration_days FROM program p WHERE p.active) AS ends_on,
           EXISTS (SELECT 1 FROM waiver w JOIN checkpoint wc ON wc.id = w.checkpoint_id
                    WHERE wc.system_id = s.id AND w.revoked_at IS NULL AND w.lapsed_at IS NULL AND w.expires_on < ${isoDay(today)}::date) AS lapse_due,
           coalesce((
             SELECT json_agg(json_build_object(
                      'id', c.id, 'status', c.status, 'dueOn', c.due_on, 'dueOnOverrideReason', c.due_on_override_reason,
                      'dueOnOverriddenBy', (SELECT ${userJson("ou")} FROM app_user ou WHERE ou.id = c.due_on_overridden_by_id),
                      'version', c.version, 'round', c.round,
                      'milestone', json_build_object('key', m.key, 'name', m.name, 'description', m.description, 'evidenceHint', m.evidence_hint,
                                                     'sequence', m.sequence, 'requiredApprovals', m.required_approvals, 'minReviewerSeniority', m.min_reviewer_seniority),
                      'evidence', coalesce((
                        SELECT json_agg(json_build_object('id', e.id, 'url', e.url, 'title', e.title, 'kind', e.kind, 'note', e.note, 'submittedAt', e.submitted_at,
                                                          'submittedById', e.submitted_by_id, 'submittedBy', ${userJson("eu")},
                                                          'withdrawal', CASE WHEN ew.id IS NULL THEN NULL ELSE json_build_object('at', ew.at) END)
                                        ORDER BY e.submitted_at, e.id)
                          FROM evidence e JOIN app_user eu ON eu.id = e.submitted_by_id LEFT JOIN evidence_withdrawal ew ON ew.evidence_id = e.id
                         WHERE e.checkpoint_id = c.id), '[]'::json),
                      'reviews', coalesce((
                        SELECT json_agg(json_build_object('id', r.id, 'reviewerId', r.reviewer_id, 'round', r.round, 'decision', r.decision, 'comment', r.comment,
                                                          'seniority', r.seniority, 'at', r.at, 'reviewer', ${userJson("ru")})
                                        ORDER BY r.at, r.id)
                          FROM review r JOIN app_user ru ON ru.id = r.reviewer_id WHERE r.checkpoint_id = c.id), '[]'::json),
                      'waivers', coalesce((
                        SELECT json_agg(json_build_object('id', w.id, 'reason', w.reason, 'expiresOn', w.expires_on, 'priorStatus', w.prior_status, 'at', w.at,
                                                          'grantedBy', ${userJson("wu")})
                                        ORDER BY w.at)
                          FROM waiver w JOIN app_user wu ON wu.id = w.granted_by_id
                         WHERE w.checkpoint_id = c.id AND w.revoked_at IS NULL AND w.lapsed_at IS NULL), '[]'::json))
                    ORDER BY m.sequence)
               FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active
              WHERE c.system_id = s.id), '[]'::json) AS checkpoints
      FROM system s
     WHERE s.key = ${key}`;
  return row ?? null;
}

/** The assigned reviewers as the eligibility rule (rule 14) sees them. */
function reviewerFactsOf(system: Pick<DetailRow, "assignments">): ReviewerFacts[] {
  return system.assignments
    .filter((a) => a.kind === "REVIEWER")
    .map((a) => ({ id: a.userId, role: a.user.role, seniority: a.user.seniority, active: a.active }));
}

/** The JSON's dates and instants back as Dates, in the shape the commands load (CheckpointRow). */
function checkpointRowOf(c: DetailRow["checkpoints"][number]): CheckpointRow {
  return {
    ...c,
    dueOn: new Date(c.dueOn),
    evidence: c.evidence.map((e) => ({
      ...e,
      submittedAt: new Date(e.submittedAt),
      withdrawal: e.withdrawal ? { at: new Date(e.withdrawal.at) } : null,
    })),
    reviews: c.reviews.map((r) => ({ ...r, at: new Date(r.at) })),
    waivers: c.waivers.map((w) => ({ ...w, at: new Date(w.at), expiresOn: new Date(w.expiresOn) })),
  };
}

/** GET /api/v1/systems/{key}: the system, its people and every checkpoint in milestone order. */
export async function getSystemDetail(actor: Actor, rawKey: string): Promise<SystemDetailDto> {
  await authorize(actor, "system.read", { type: "system", id: rawKey, systemKey: rawKey });
  const key = slugSchema.safeParse(rawKey);
  if (!key.success) throw new NotFound(`There is no system with the key “${rawKey}”.`);
  const today = utcDay(new Date());
  let system = await readSystemDetail(db(), key.data, today);
  if (!system) throw new NotFound(`There is no system with the key “${key.data}”.`);
  if (system.lapse_due) {
    // Rule 8: an expired waiver ends before the page shows the checkpoint (rare: read again after).
    const systemId = system.id;
    await db().$transaction((tx) => lapseExpiredWaivers(tx, { systemId }, today));
    system = await readSystemDetail(db(), key.data, today);
    if (!system) throw new NotFound(`There is no system with the key “${key.data}”.`);
  }
  const checkpoints = system.checkpoints.map(checkpointRowOf);
  const nextDue = checkpoints.filter((c) => !isDone(c.status)).sort((a, b) => a.dueOn.getTime() - b.dueOn.getTime())[0];
  // Whether an account can still sign in matters to rule 14, not to the DTO's people.
  const assignments = system.assignments.map(({ active: _active, ...a }) => a);
  const facts = {
    actor: personOf(actor),
    system: {
      tier: system.tier,
      aiAssisted: system.ai_assisted,
      ownerIds: assignments.filter((a) => a.kind === "OWNER").map((a) => a.userId),
      reviewerIds: assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.userId),
    },
    programEndsOn: system.ends_on ?? today,
    reviewers: reviewerFactsOf(system),
  };
  const traits = { tier: system.tier, aiAssisted: system.ai_assisted };
  return {
    key: system.key,
    name: system.name,
    team: system.team,
    tier: system.tier,
    aiAssisted: system.ai_assisted,
    description: system.description,
    repoUrl: system.repo_url,
    runbookUrl: system.runbook_url,
    assignmentsVersion: system.assignments_version,
    owners: assignments.filter((a) => a.kind === "OWNER").map((a) => a.user),
    reviewers: assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.user),
    progress: progressOf(checkpoints),
    health: systemHealth(checkpoints, today),
    nextDue: nextDue ? { milestone: nextDue.milestone.key, dueOn: isoDay(nextDue.dueOn) } : null,
    joinedOn: system.joined_on ? isoDay(new Date(system.joined_on)) : null,
    archived:
      system.archived_at && system.archived_reason !== null
        ? { at: new Date(system.archived_at).toISOString(), reason: system.archived_reason }
        : null,
    checkpoints: checkpoints.map((c) => toCheckpointDto(c, traits, today, facts)),
  };
}

function personOf(actor: Actor): WorkflowContext["actor"] {
  return actor.kind === "user"
    ? { id: actor.id, role: actor.role, seniority: actor.seniority }
    : // The operator's CLI acts with a lead's rights on owner actions; it never signs off.
      { id: "system", role: "LEAD", seniority: "PRINCIPAL" };
}

interface Loaded {
  system: { id: string; key: string; tier: WorkflowContext["system"]["tier"]; aiAssisted: boolean };
  checkpoint: CheckpointRow;
  context: WorkflowContext;
  programEndsOn: Date;
  reviewers: ReviewerFacts[];
}

/**
 * Loads the facts for a decision in one statement (the system page's read); unknown systems and
 * milestones are 404s. An expired waiver is lapsed first (rule 8), and the facts read again.
 */
async function load(tx: Tx, actor: Actor, systemKey: string, milestoneKey: string): Promise<Loaded> {
  const sk = slugSchema.safeParse(systemKey);
  const mk = slugSchema.safeParse(milestoneKey);
  if (!sk.success) throw new NotFound(`There is no system with the key “${systemKey}”.`);
  if (!mk.success) throw new NotFound(`There is no milestone with the key “${milestoneKey}”.`);
  const today = utcDay(new Date());
  let system = await readSystemDetail(tx, sk.data, today);
  if (!system) throw new NotFound(`There is no system with the key “${sk.data}”.`);
  if (system.lapse_due) {
    await lapseExpiredWaivers(tx, { systemId: system.id }, today);
    system = (await readSystemDetail(tx, sk.data, today))!;
  }
  const row = system.checkpoints.find((c) => c.milestone.key === mk.data);
  if (!row) throw new NotFound(`There is no milestone with the key “${mk.data}” in the active program.`);
  const checkpoint = checkpointRowOf(row);
  const person = personOf(actor);
  return {
    system: { id: system.id, key: system.key, tier: system.tier, aiAssisted: system.ai_assisted },
    checkpoint,
    programEndsOn: system.ends_on ?? today,
    reviewers: reviewerFactsOf(system),
    context: {
      actor: person,
      system: {
        tier: system.tier,
        aiAssisted: system.ai_assisted,
        ownerIds: system.assignments.filter((a) => a.kind === "OWNER").map((a) => a.userId),
        reviewerIds: system.assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.userId),
      },
      milestone: checkpoint.milestone,
      checkpoint: {
        status: checkpoint.status,
        round: checkpoint.round,
        evidence: checkpoint.evidence.map((e) => ({
          id: e.id,
          submittedById: e.submittedById,
          withdrawn: e.withdrawal !== null,
        })),
        reviews: checkpoint.reviews,
      },
    },
  };
}

/** Rule 10: a request that saw an older version is refused before anything is decided. */
function checkVersion(loaded: Loaded, expected: number | undefined) {
  if (expected !== undefined && expected !== loaded.checkpoint.version) {
    throw new Conflict(
      `This checkpoint changed since you loaded it (you sent version ${expected}; it is now at ${loaded.checkpoint.version}). Reload it and try again.`,
      undefined,
      "stale_version",
    );
  }
}

async function enforce(outcome: Outcome, actor: Actor, attempted: string, loaded: Loaded) {
  if (outcome.ok) return outcome;
  if (outcome.kind === "forbidden") {
    return denied(
      actor,
      attempted,
      { type: "checkpoint", id: loaded.checkpoint.id, systemKey: loaded.system.key },
      outcome.reason,
      outcome.code,
    );
  }
  throw new RuleViolation(outcome.reason, outcome.code);
}

/** The optimistic-concurrency write: exactly one request moves a given version forward. */
async function transition(
  tx: Tx,
  loaded: Loaded,
  expectedVersion: number | undefined,
  to: { status: CheckpointStatus; round: number },
) {
  const from = loaded.checkpoint;
  const version = expectedVersion ?? from.version;
  const now = new Date();
  const changed = to.status !== from.status;
  const { count } = await tx.checkpoint.updateMany({
    where: { id: from.id, version },
    data: {
      status: to.status,
      round: to.round,
      version: { increment: 1 },
      ...(changed ? { statusChangedAt: now, completedAt: isDone(to.status) ? now : null } : {}),
      ...(to.status === "SUBMITTED" && changed ? { submittedAt: now } : {}),
    },
  });
  // Someone else moved the same version forward between our read and this write.
  if (count === 0)
    throw new Conflict(
      `This checkpoint changed while your request ran (version ${version} is no longer current). Reload it and try again.`,
      undefined,
      "stale_version",
    );
  // The roll-up reads status, due date and submission time: nothing else here can move it.
  if (changed) await refreshRollups(tx, [loaded.system.id]);
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  return parsed.data;
}

/**
 * The checkpoint as it is after the change, read AFTER the commit: the response costs the
 * transaction nothing, and every lock (the audit chain's above all) is already released.
 */
async function reload(loaded: Loaded): Promise<CheckpointDto> {
  const today = utcDay(new Date());
  const system = await readSystemDetail(db(), loaded.system.key, today);
  const row = system?.checkpoints.find((c) => c.id === loaded.checkpoint.id);
  if (!system || !row) throw new NotFound("This checkpoint is no longer part of the active program.");
  const { milestone: _m, checkpoint: _c, ...facts } = loaded.context;
  return toCheckpointDto(checkpointRowOf(row), loaded.system, today, {
    ...facts,
    programEndsOn: loaded.programEndsOn,
    reviewers: loaded.reviewers,
  });
}

function event(
  actor: Actor,
  loaded: Loaded,
  action: string,
  subject: { type: string; id: string },
  data: Record<string, JsonValue>,
) {
  return {
    ...auditActor(actor),
    action,
    subjectType: subject.type,
    subjectId: subject.id,
    systemKey: loaded.system.key,
    data: { checkpointId: loaded.checkpoint.id, milestone: loaded.checkpoint.milestone.key, ...data },
  };
}

/**
 * Authorize before validating: a person who may not act on this checkpoint at all is refused
 * (an audited 403) before their body is read, so a malformed body cannot turn a refusal into a
 * 400 or be used to probe the schema. The full decision still runs inside the transaction.
 */
async function refuseOutsiders(
  actor: Actor,
  systemKey: string,
  milestoneKey: string,
  who: "owner" | "reviewer" | "lead",
  attempted: string,
  message: string,
) {
  if (actor.kind !== "user") return;
  if (actor.role === "LEAD" && who !== "reviewer") return;
  const sk = slugSchema.safeParse(systemKey);
  const mk = slugSchema.safeParse(milestoneKey);
  if (!sk.success || !mk.success) return; // a 404 once loaded
  // One statement: the checkpoint and the caller's assignment on its system, if any.
  const [checkpoint] = await db().$queryRaw<{ id: string; kind: "OWNER" | "REVIEWER" | null }[]>`
    SELECT c.id, (SELECT a.kind::text FROM assignment a WHERE a.system_id = s.id AND a.user_id = ${actor.id}::uuid) AS kind
      FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active
     WHERE s.key = ${sk.data} AND m.key = ${mk.data}`;
  if (!checkpoint) return;
  const kind = checkpoint.kind;
  const allowed =
    who === "lead"
      ? false
      : who === "owner"
        ? actor.role === "ENGINEER" && kind === "OWNER"
        : // An owner is refused by the separation-of-duties rule (a 422 that says why), not here.
          actor.role !== "EXECUTIVE" && (kind === "REVIEWER" || kind === "OWNER");
  // The same codes as the decide functions' refusals (lib/domain/checkpoint-workflow.ts).
  const code =
    who === "lead"
      ? "lead_only"
      : who === "owner"
        ? "not_owner"
        : actor.role === "EXECUTIVE"
          ? "read_only"
          : "not_assigned";
  if (!allowed)
    await denied(actor, attempted, { type: "checkpoint", id: checkpoint.id, systemKey: sk.data }, message, code);
}

/** Rule 1 (and 7): evidence from an owner or lead; it starts work or reopens a reviewed checkpoint. */
export async function addEvidence(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(
    actor,
    systemKey,
    milestoneKey,
    "owner",
    "evidence.add",
    "Only the system's owners (or a program lead) can add evidence.",
  );
  const data = parse(addEvidenceSchema, input);
  // Evidence always has a person as its author; the operator's CLI has no identity to sign with.
  if (actor.kind !== "user") throw new RuleViolation("Evidence is added by a signed-in owner or lead.");
  const { loaded, evidence } = await db().$transaction(async (tx) => {
    const loaded = await load(tx, actor, systemKey, milestoneKey);
    checkVersion(loaded, data.version);
    const next = await enforce(decideAddEvidence(loaded.context), actor, "evidence.add", loaded);
    await transition(tx, loaded, data.version, next);
    const evidence = await tx.evidence.create({
      data: {
        checkpointId: loaded.checkpoint.id,
        url: data.url,
        title: data.title,
        kind: data.kind,
        note: data.note,
        submittedById: actor.id,
      },
      select: { id: true },
    });
    await appendAuditEvent(
      tx,
      event(
        actor,
        loaded,
        "evidence.add",
        { type: "evidence", id: evidence.id },
        { url: data.url, title: data.title, kind: data.kind, from: loaded.checkpoint.status, to: next.status },
      ),
    );
    return { loaded, evidence };
  });
  const checkpoint = await reload(loaded);
  return { ...checkpoint.evidence.find((e) => e.id === evidence.id)!, checkpoint };
}

/** Rule 7: withdrawal is a record of its own (evidence is immutable) and reopens a reviewed checkpoint. */
export async function withdrawEvidence(
  actor: Actor,
  systemKey: string,
  milestoneKey: string,
  evidenceId: string,
  input: unknown,
) {
  await refuseOutsiders(
    actor,
    systemKey,
    milestoneKey,
    "owner",
    "evidence.withdraw",
    "Only the system's owners (or a program lead) can withdraw evidence.",
  );
  const data = parse(withdrawEvidenceSchema, input ?? {});
  if (actor.kind !== "user") throw new RuleViolation("Evidence is withdrawn by a signed-in owner or lead.");
  return db()
    .$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      checkVersion(loaded, data.version);
      const next = await enforce(
        decideWithdrawEvidence(loaded.context, evidenceId),
        actor,
        "evidence.withdraw",
        loaded,
      );
      await transition(tx, loaded, data.version, next);
      await tx.evidenceWithdrawal.create({ data: { evidenceId, withdrawnById: actor.id, reason: data.reason } });
      await appendAuditEvent(
        tx,
        event(
          actor,
          loaded,
          "evidence.withdraw",
          { type: "evidence", id: evidenceId },
          { reason: data.reason, from: loaded.checkpoint.status, to: next.status },
        ),
      );
      return loaded;
    })
    .then(reload);
}

/** Rule 2: submit for review, opening a new round. */
export async function submitCheckpoint(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(
    actor,
    systemKey,
    milestoneKey,
    "owner",
    "checkpoint.submit",
    "Only the system's owners (or a program lead) can submit a checkpoint.",
  );
  const data = parse(submitSchema, input);
  return db()
    .$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      checkVersion(loaded, data.version);
      const next = await enforce(decideSubmit(loaded.context), actor, "checkpoint.submit", loaded);
      await transition(tx, loaded, data.version, next);
      // The outbox row before the audit event: the chain's lock is taken last and held shortest.
      await notifyCheckpointEvent(
        tx,
        "EVIDENCE_SUBMITTED",
        loaded.checkpoint.id,
        actor.kind === "user" ? actor.id : null,
      );
      await appendAuditEvent(
        tx,
        event(
          actor,
          loaded,
          "checkpoint.submit",
          { type: "checkpoint", id: loaded.checkpoint.id },
          { round: next.round, from: loaded.checkpoint.status, to: next.status },
        ),
      );
      return loaded;
    })
    .then(reload);
}

/** Rules 3–6: a sign-off, frozen with the reviewer's seniority and the digest of the evidence it saw. */
export async function reviewCheckpoint(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(
    actor,
    systemKey,
    milestoneKey,
    "reviewer",
    "checkpoint.review",
    actor.kind === "user" && actor.role === "EXECUTIVE"
      ? "Executives have read-only access and cannot sign off."
      : "Only the system's assigned reviewers can sign off.",
  );
  const data = parse(reviewSchema, input);
  if (actor.kind !== "user") throw new RuleViolation("Only a signed-in reviewer can sign off.");
  try {
    const { loaded, review } = await db().$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      checkVersion(loaded, data.version);
      const next = await enforce(
        decideReview(loaded.context, data.decision, data.comment),
        actor,
        "checkpoint.review",
        loaded,
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
      await notifyCheckpointEvent(
        tx,
        data.decision === "REQUEST_CHANGES"
          ? "CHANGES_REQUESTED"
          : next.status === "APPROVED"
            ? "QUORUM_REACHED"
            : "REVIEW_APPROVED",
        loaded.checkpoint.id,
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
      return { loaded, review };
    });
    const checkpoint = await reload(loaded);
    return { ...checkpoint.reviews.find((r) => r.id === review.id)!, checkpoint };
  } catch (error) {
    // The same reviewer racing themself in one round: the unique key lets one through.
    if (isUniqueViolation(error))
      throw new Conflict("You have already reviewed this submission.", undefined, "already_reviewed");
    throw error;
  }
}

/** Rule 8: a lead sets a checkpoint aside until a date; it counts as waived, never approved. */
export async function grantWaiver(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(
    actor,
    systemKey,
    milestoneKey,
    "lead",
    "waiver.grant",
    "Only a program lead can waive a checkpoint.",
  );
  const data = parse(waiverSchema, input);
  if (actor.kind !== "user") throw new RuleViolation("Waivers are granted by a signed-in lead.");
  const done = await db().$transaction(async (tx) => {
    const loaded = await load(tx, actor, systemKey, milestoneKey);
    checkVersion(loaded, data.version);
    const expiresOn = new Date(`${data.expiresOn}T00:00:00Z`);
    const next = await enforce(
      decideWaive(loaded.context, {
        reason: data.reason,
        expiresOn,
        today: utcDay(new Date()),
        programEndsOn: loaded.programEndsOn,
      }),
      actor,
      "waiver.grant",
      loaded,
    );
    await transition(tx, loaded, data.version, next);
    const waiver = await tx.waiver.create({
      data: {
        checkpointId: loaded.checkpoint.id,
        reason: data.reason,
        expiresOn,
        grantedById: actor.id,
        priorStatus: loaded.checkpoint.status,
      },
      select: { id: true },
    });
    await appendAuditEvent(
      tx,
      event(
        actor,
        loaded,
        "waiver.grant",
        { type: "waiver", id: waiver.id },
        { reason: data.reason, expiresOn: data.expiresOn, from: loaded.checkpoint.status, to: next.status },
      ),
    );
    return loaded;
  });
  const checkpoint = await reload(done);
  return { ...checkpoint.waiver!, checkpoint };
}

/** Rule 8: a lead ends a waiver before its expiry; the checkpoint returns to its prior status. */
export async function revokeWaiver(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(
    actor,
    systemKey,
    milestoneKey,
    "lead",
    "waiver.revoke",
    "Only a program lead can revoke a waiver.",
  );
  const data = parse(revokeWaiverSchema, input);
  if (actor.kind !== "user") throw new RuleViolation("Waivers are revoked by a signed-in lead.");
  return db()
    .$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      checkVersion(loaded, data.version);
      const waiver = loaded.checkpoint.waivers[0] ?? null;
      const next = await enforce(
        decideRevokeWaiver(loaded.context, { reason: data.reason, waiver }),
        actor,
        "waiver.revoke",
        loaded,
      );
      await transition(tx, loaded, data.version, next);
      // The checkpoint's version check above already let exactly one request through; the waiver's
      // own guard keeps a revoked or lapsed waiver from being ended a second time regardless.
      const { count } = await tx.waiver.updateMany({
        where: { id: waiver!.id, revokedAt: null, lapsedAt: null },
        data: { revokedAt: new Date(), revokedById: actor.id },
      });
      if (count === 0)
        throw new Conflict(
          "This waiver was ended while your request ran. Reload the checkpoint to see where it stands.",
          undefined,
          "stale_version",
        );
      await appendAuditEvent(
        tx,
        event(
          actor,
          loaded,
          "waiver.revoke",
          { type: "waiver", id: waiver!.id },
          {
            reason: data.reason,
            expiresOn: isoDay(waiver!.expiresOn),
            from: loaded.checkpoint.status,
            to: next.status,
          },
        ),
      );
      return loaded;
    })
    .then(reload);
}

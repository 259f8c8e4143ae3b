// The checkpoint workflow's commands and the system detail read. Each command: validate (zod) →
// load the facts in a transaction → lib/domain decides (refusals: 403 recorded, or 422) → write
// with the version check (409 when someone changed it first) → append the audit event, all in
// the same transaction. One transition happens once, however many requests race.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import type { JsonValue } from "@/lib/audit/chain";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize, denied } from "@/lib/data/authz";
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
import { evidenceDigest } from "@/lib/domain/evidence-digest";
import {
  checkpointHealth,
  isDone,
  isoDay,
  programEndsOn,
  progressOf,
  systemHealth,
  utcDay,
  type CheckpointStatus,
  type Health,
  type Progress,
} from "@/lib/domain/schedule";
import { Conflict, NotFound, RuleViolation, ValidationError, isUniqueViolation } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { z } from "zod";

type Tx = Prisma.TransactionClient;

export interface UserRef {
  email: string;
  name: string;
  role: "LEAD" | "ENGINEER" | "EXECUTIVE";
  seniority: "JUNIOR" | "MID" | "SENIOR" | "PRINCIPAL";
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
  actions: Record<WorkflowAction, { allowed: true } | { allowed: false; reason: string }>;
}

export interface SystemDetailDto {
  key: string;
  name: string;
  team: string;
  tier: "TIER_0" | "TIER_1" | "TIER_2";
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
  checkpoints: CheckpointDto[];
}

const userRef = { select: { email: true, name: true, role: true, seniority: true } } as const;

const checkpointSelect = {
  id: true,
  status: true,
  dueOn: true,
  dueOnOverrideReason: true,
  dueOnOverriddenBy: userRef,
  version: true,
  round: true,
  milestone: {
    select: { key: true, name: true, description: true, evidenceHint: true, sequence: true, requiredApprovals: true, minReviewerSeniority: true },
  },
  evidence: {
    orderBy: { submittedAt: "asc" },
    select: { id: true, url: true, title: true, kind: true, note: true, submittedAt: true, submittedById: true, submittedBy: userRef, withdrawal: { select: { at: true } } },
  },
  reviews: {
    orderBy: { at: "asc" },
    select: { id: true, reviewerId: true, round: true, decision: true, comment: true, seniority: true, at: true, reviewer: userRef },
  },
  waivers: {
    where: { revokedAt: null, lapsedAt: null },
    select: { id: true, reason: true, expiresOn: true, priorStatus: true, at: true, grantedBy: userRef },
  },
} satisfies Prisma.CheckpointSelect;

type CheckpointRow = Prisma.CheckpointGetPayload<{ select: typeof checkpointSelect }>;

type ContextFacts = Omit<WorkflowContext, "milestone" | "checkpoint">;

function workflowContext(row: CheckpointRow, facts: ContextFacts): WorkflowContext {
  return {
    ...facts,
    milestone: row.milestone,
    checkpoint: {
      status: row.status,
      round: row.round,
      evidence: row.evidence.map((e) => ({ id: e.id, submittedById: e.submittedById, withdrawn: e.withdrawal !== null })),
      reviews: row.reviews,
    },
  };
}

const NO_ACTIONS: CheckpointDto["actions"] = {
  addEvidence: { allowed: false, reason: "" },
  submit: { allowed: false, reason: "" },
  review: { allowed: false, reason: "" },
  waive: { allowed: false, reason: "" },
  revokeWaiver: { allowed: false, reason: "" },
};

function toCheckpointDto(
  row: CheckpointRow,
  system: { tier: WorkflowContext["system"]["tier"]; aiAssisted: boolean },
  today: Date,
  facts?: ContextFacts & { programEndsOn: Date },
): CheckpointDto {
  const waiver = row.waivers[0] ?? null;
  let actions = NO_ACTIONS;
  if (facts) {
    const outcomes = availableActions(workflowContext(row, facts), { today, programEndsOn: facts.programEndsOn }, waiver);
    actions = Object.fromEntries(
      Object.entries(outcomes).map(([action, outcome]) => [action, outcome.ok ? { allowed: true } : { allowed: false, reason: outcome.reason }]),
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
    dueOnOverride: row.dueOnOverrideReason === null ? null : { reason: row.dueOnOverrideReason, by: row.dueOnOverriddenBy },
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
    waiver: waiver ? { id: waiver.id, reason: waiver.reason, expiresOn: isoDay(waiver.expiresOn), grantedBy: waiver.grantedBy, at: waiver.at.toISOString() } : null,
    actions,
  };
}

/** Rule 8: waivers whose expiry has passed end, and their checkpoints return to where they were. */
export async function lapseExpiredWaivers(tx: Tx, where: { systemId?: string } = {}, today = utcDay(new Date())): Promise<number> {
  const expired = await tx.waiver.findMany({
    where: { revokedAt: null, lapsedAt: null, expiresOn: { lt: today }, ...(where.systemId ? { checkpoint: { systemId: where.systemId } } : {}) },
    select: { id: true, priorStatus: true, checkpoint: { select: { id: true, round: true, version: true, system: { select: { key: true } }, milestone: { select: { key: true } } } } },
  });
  for (const waiver of expired) {
    const next = decideWaiverEnd(waiver.priorStatus, waiver.checkpoint.round);
    // Two readers may find the same expired waiver at once: the row lock lets one through, and
    // the other then sees it ended (or revoked meanwhile) and leaves it alone.
    const { count } = await tx.waiver.updateMany({ where: { id: waiver.id, revokedAt: null, lapsedAt: null }, data: { lapsedAt: new Date() } });
    if (count === 0) continue;
    await tx.checkpoint.update({
      where: { id: waiver.checkpoint.id },
      data: { status: next.status, version: { increment: 1 }, statusChangedAt: new Date(), completedAt: isDone(next.status) ? new Date() : null },
    });
    await appendAuditEvent(tx, {
      actorId: null,
      actorEmail: null,
      action: "waiver.lapse",
      subjectType: "waiver",
      subjectId: waiver.id,
      systemKey: waiver.checkpoint.system.key,
      data: { checkpointId: waiver.checkpoint.id, milestone: waiver.checkpoint.milestone.key, from: "WAIVED", to: next.status },
    });
  }
  return expired.length;
}

/**
 * For reads that span the whole program (dashboard, registry, exports): lapse every waiver past its
 * expiry first, so that none is counted as waived. One cheap count when there is nothing to do.
 */
export async function lapseDueWaivers(today = utcDay(new Date())): Promise<void> {
  const client = db();
  const due = await client.waiver.count({ where: { revokedAt: null, lapsedAt: null, expiresOn: { lt: today } } });
  if (due > 0) await client.$transaction((tx) => lapseExpiredWaivers(tx, {}, today));
}

const systemSelect = {
  id: true,
  key: true,
  name: true,
  team: true,
  tier: true,
  aiAssisted: true,
  description: true,
  repoUrl: true,
  runbookUrl: true,
  assignmentsVersion: true,
  assignments: { orderBy: { user: { name: "asc" } }, select: { kind: true, userId: true, user: userRef } },
} satisfies Prisma.SystemSelect;

/** GET /api/v1/systems/{key}: the system, its people and every checkpoint in milestone order. */
export async function getSystemDetail(actor: Actor, rawKey: string): Promise<SystemDetailDto> {
  await authorize(actor, "system.read", { type: "system", id: rawKey, systemKey: rawKey });
  const key = slugSchema.safeParse(rawKey);
  if (!key.success) throw new NotFound(`There is no system with the key “${rawKey}”.`);
  const today = utcDay(new Date());
  return db().$transaction(async (tx) => {
    const system = await tx.system.findUnique({ where: { key: key.data }, select: systemSelect });
    if (!system) throw new NotFound(`There is no system with the key “${key.data}”.`);
    await lapseExpiredWaivers(tx, { systemId: system.id }, today);
    const checkpoints = await tx.checkpoint.findMany({
      where: { systemId: system.id, milestone: { program: { active: true } } },
      orderBy: { milestone: { sequence: "asc" } },
      select: checkpointSelect,
    });
    const nextDue = checkpoints.filter((c) => !isDone(c.status)).sort((a, b) => a.dueOn.getTime() - b.dueOn.getTime())[0];
    const { assignments, id: _id, ...rest } = system;
    const program = await tx.program.findFirst({ where: { active: true }, select: { startsOn: true, durationDays: true } });
    const facts = {
      actor: personOf(actor),
      system: {
        tier: system.tier,
        aiAssisted: system.aiAssisted,
        ownerIds: assignments.filter((a) => a.kind === "OWNER").map((a) => a.userId),
        reviewerIds: assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.userId),
      },
      programEndsOn: program ? programEndsOn(program) : today,
    };
    return {
      ...rest,
      owners: assignments.filter((a) => a.kind === "OWNER").map((a) => a.user),
      reviewers: assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.user),
      progress: progressOf(checkpoints),
      health: systemHealth(checkpoints, today),
      nextDue: nextDue ? { milestone: nextDue.milestone.key, dueOn: isoDay(nextDue.dueOn) } : null,
      checkpoints: checkpoints.map((c) => toCheckpointDto(c, system, today, facts)),
    };
  });
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
}

/** Loads the facts for a decision; unknown systems and milestones are 404s. */
async function load(tx: Tx, actor: Actor, systemKey: string, milestoneKey: string): Promise<Loaded> {
  const sk = slugSchema.safeParse(systemKey);
  const mk = slugSchema.safeParse(milestoneKey);
  if (!sk.success) throw new NotFound(`There is no system with the key “${systemKey}”.`);
  if (!mk.success) throw new NotFound(`There is no milestone with the key “${milestoneKey}”.`);
  const system = await tx.system.findUnique({
    where: { key: sk.data },
    select: { id: true, key: true, tier: true, aiAssisted: true, assignments: { select: { userId: true, kind: true } } },
  });
  if (!system) throw new NotFound(`There is no system with the key “${sk.data}”.`);
  await lapseExpiredWaivers(tx, { systemId: system.id });
  const checkpoint = await tx.checkpoint.findFirst({
    where: { systemId: system.id, milestone: { key: mk.data, program: { active: true } } },
    select: { ...checkpointSelect, milestone: { select: { ...checkpointSelect.milestone.select, program: { select: { startsOn: true, durationDays: true } } } } },
  });
  if (!checkpoint) throw new NotFound(`There is no milestone with the key “${mk.data}” in the active program.`);
  const person = personOf(actor);
  return {
    system: { id: system.id, key: system.key, tier: system.tier, aiAssisted: system.aiAssisted },
    checkpoint,
    programEndsOn: programEndsOn(checkpoint.milestone.program),
    context: {
      actor: person,
      system: {
        tier: system.tier,
        aiAssisted: system.aiAssisted,
        ownerIds: system.assignments.filter((a) => a.kind === "OWNER").map((a) => a.userId),
        reviewerIds: system.assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.userId),
      },
      milestone: checkpoint.milestone,
      checkpoint: {
        status: checkpoint.status,
        round: checkpoint.round,
        evidence: checkpoint.evidence.map((e) => ({ id: e.id, submittedById: e.submittedById, withdrawn: e.withdrawal !== null })),
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
    );
  }
}

async function enforce(outcome: Outcome, actor: Actor, attempted: string, loaded: Loaded) {
  if (outcome.ok) return outcome;
  if (outcome.kind === "forbidden") {
    return denied(actor, attempted, { type: "checkpoint", id: loaded.checkpoint.id, systemKey: loaded.system.key }, outcome.reason);
  }
  throw new RuleViolation(outcome.reason);
}

/** The optimistic-concurrency write: exactly one request moves a given version forward. */
async function transition(tx: Tx, loaded: Loaded, expectedVersion: number | undefined, to: { status: CheckpointStatus; round: number }) {
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
  if (count === 0) throw new Conflict(`This checkpoint changed while your request ran (version ${version} is no longer current). Reload it and try again.`);
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  return parsed.data;
}

async function reload(tx: Tx, loaded: Loaded): Promise<CheckpointDto> {
  const row = await tx.checkpoint.findUniqueOrThrow({ where: { id: loaded.checkpoint.id }, select: checkpointSelect });
  const { milestone: _m, checkpoint: _c, ...facts } = loaded.context;
  return toCheckpointDto(row, loaded.system, utcDay(new Date()), { ...facts, programEndsOn: loaded.programEndsOn });
}

function event(actor: Actor, loaded: Loaded, action: string, subject: { type: string; id: string }, data: Record<string, JsonValue>) {
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
async function refuseOutsiders(actor: Actor, systemKey: string, milestoneKey: string, who: "owner" | "reviewer" | "lead", attempted: string, message: string) {
  if (actor.kind !== "user") return;
  if (actor.role === "LEAD" && who !== "reviewer") return;
  const sk = slugSchema.safeParse(systemKey);
  const mk = slugSchema.safeParse(milestoneKey);
  if (!sk.success || !mk.success) return; // a 404 once loaded
  const checkpoint = await db().checkpoint.findFirst({
    where: { system: { key: sk.data }, milestone: { key: mk.data, program: { active: true } } },
    select: { id: true, system: { select: { assignments: { where: { userId: actor.id }, select: { kind: true } } } } },
  });
  if (!checkpoint) return;
  const kind = checkpoint.system.assignments[0]?.kind;
  const allowed =
    who === "lead"
      ? false
      : who === "owner"
        ? actor.role === "ENGINEER" && kind === "OWNER"
        : // An owner is refused by the separation-of-duties rule (a 422 that says why), not here.
          actor.role !== "EXECUTIVE" && (kind === "REVIEWER" || kind === "OWNER");
  if (!allowed) await denied(actor, attempted, { type: "checkpoint", id: checkpoint.id, systemKey: sk.data }, message);
}

/** Rule 1 (and 7): evidence from an owner or lead; it starts work or reopens a reviewed checkpoint. */
export async function addEvidence(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(actor, systemKey, milestoneKey, "owner", "evidence.add", "Only the system's owners (or a program lead) can add evidence.");
  const data = parse(addEvidenceSchema, input);
  // Evidence always has a person as its author; the operator's CLI has no identity to sign with.
  if (actor.kind !== "user") throw new RuleViolation("Evidence is added by a signed-in owner or lead.");
  return db().$transaction(async (tx) => {
    const loaded = await load(tx, actor, systemKey, milestoneKey);
    checkVersion(loaded, data.version);
    const next = await enforce(decideAddEvidence(loaded.context), actor, "evidence.add", loaded);
    await transition(tx, loaded, data.version, next);
    const evidence = await tx.evidence.create({
      data: { checkpointId: loaded.checkpoint.id, url: data.url, title: data.title, kind: data.kind, note: data.note, submittedById: actor.id },
      select: { id: true },
    });
    await appendAuditEvent(tx, event(actor, loaded, "evidence.add", { type: "evidence", id: evidence.id }, { url: data.url, title: data.title, kind: data.kind, from: loaded.checkpoint.status, to: next.status }));
    const checkpoint = await reload(tx, loaded);
    return { ...checkpoint.evidence.find((e) => e.id === evidence.id)!, checkpoint };
  });
}

/** Rule 7: withdrawal is a record of its own (evidence is immutable) and reopens a reviewed checkpoint. */
export async function withdrawEvidence(actor: Actor, systemKey: string, milestoneKey: string, evidenceId: string, input: unknown) {
  await refuseOutsiders(actor, systemKey, milestoneKey, "owner", "evidence.withdraw", "Only the system's owners (or a program lead) can withdraw evidence.");
  const data = parse(withdrawEvidenceSchema, input ?? {});
  if (actor.kind !== "user") throw new RuleViolation("Evidence is withdrawn by a signed-in owner or lead.");
  return db().$transaction(async (tx) => {
    const loaded = await load(tx, actor, systemKey, milestoneKey);
    checkVersion(loaded, data.version);
    const next = await enforce(decideWithdrawEvidence(loaded.context, evidenceId), actor, "evidence.withdraw", loaded);
    await transition(tx, loaded, data.version, next);
    await tx.evidenceWithdrawal.create({ data: { evidenceId, withdrawnById: actor.id, reason: data.reason } });
    await appendAuditEvent(tx, event(actor, loaded, "evidence.withdraw", { type: "evidence", id: evidenceId }, { reason: data.reason, from: loaded.checkpoint.status, to: next.status }));
    return reload(tx, loaded);
  });
}

/** Rule 2: submit for review, opening a new round. */
export async function submitCheckpoint(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(actor, systemKey, milestoneKey, "owner", "checkpoint.submit", "Only the system's owners (or a program lead) can submit a checkpoint.");
  const data = parse(submitSchema, input);
  return db().$transaction(async (tx) => {
    const loaded = await load(tx, actor, systemKey, milestoneKey);
    checkVersion(loaded, data.version);
    const next = await enforce(decideSubmit(loaded.context), actor, "checkpoint.submit", loaded);
    await transition(tx, loaded, data.version, next);
    await appendAuditEvent(tx, event(actor, loaded, "checkpoint.submit", { type: "checkpoint", id: loaded.checkpoint.id }, { round: next.round, from: loaded.checkpoint.status, to: next.status }));
    return reload(tx, loaded);
  });
}

/** Rules 3–6: a sign-off, frozen with the reviewer's seniority and the digest of the evidence it saw. */
export async function reviewCheckpoint(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(
    actor,
    systemKey,
    milestoneKey,
    "reviewer",
    "checkpoint.review",
    actor.kind === "user" && actor.role === "EXECUTIVE" ? "Executives have read-only access and cannot sign off." : "Only the system's assigned reviewers can sign off.",
  );
  const data = parse(reviewSchema, input);
  if (actor.kind !== "user") throw new RuleViolation("Only a signed-in reviewer can sign off.");
  try {
    return await db().$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      checkVersion(loaded, data.version);
      const next = await enforce(decideReview(loaded.context, data.decision, data.comment), actor, "checkpoint.review", loaded);
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
      await appendAuditEvent(
        tx,
        event(actor, loaded, data.decision === "APPROVE" ? "review.approve" : "review.request_changes", { type: "review", id: review.id }, {
          decision: data.decision,
          comment: data.comment,
          round: loaded.checkpoint.round,
          seniority: actor.seniority,
          evidence: current.length,
          from: loaded.checkpoint.status,
          to: next.status,
        }),
      );
      const checkpoint = await reload(tx, loaded);
      return { ...checkpoint.reviews.find((r) => r.id === review.id)!, checkpoint };
    });
  } catch (error) {
    // The same reviewer racing themself in one round: the unique key lets one through.
    if (isUniqueViolation(error)) throw new Conflict("You have already reviewed this submission.");
    throw error;
  }
}

/** Rule 8: a lead sets a checkpoint aside until a date; it counts as waived, never approved. */
export async function grantWaiver(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(actor, systemKey, milestoneKey, "lead", "waiver.grant", "Only a program lead can waive a checkpoint.");
  const data = parse(waiverSchema, input);
  if (actor.kind !== "user") throw new RuleViolation("Waivers are granted by a signed-in lead.");
  return db().$transaction(async (tx) => {
    const loaded = await load(tx, actor, systemKey, milestoneKey);
    checkVersion(loaded, data.version);
    const expiresOn = new Date(`${data.expiresOn}T00:00:00Z`);
    const next = await enforce(
      decideWaive(loaded.context, { reason: data.reason, expiresOn, today: utcDay(new Date()), programEndsOn: loaded.programEndsOn }),
      actor,
      "waiver.grant",
      loaded,
    );
    await transition(tx, loaded, data.version, next);
    const waiver = await tx.waiver.create({
      data: { checkpointId: loaded.checkpoint.id, reason: data.reason, expiresOn, grantedById: actor.id, priorStatus: loaded.checkpoint.status },
      select: { id: true },
    });
    await appendAuditEvent(tx, event(actor, loaded, "waiver.grant", { type: "waiver", id: waiver.id }, { reason: data.reason, expiresOn: data.expiresOn, from: loaded.checkpoint.status, to: next.status }));
    const checkpoint = await reload(tx, loaded);
    return { ...checkpoint.waiver!, checkpoint };
  });
}

/** Rule 8: a lead ends a waiver before its expiry; the checkpoint returns to its prior status. */
export async function revokeWaiver(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(actor, systemKey, milestoneKey, "lead", "waiver.revoke", "Only a program lead can revoke a waiver.");
  const data = parse(revokeWaiverSchema, input);
  if (actor.kind !== "user") throw new RuleViolation("Waivers are revoked by a signed-in lead.");
  return db().$transaction(async (tx) => {
    const loaded = await load(tx, actor, systemKey, milestoneKey);
    checkVersion(loaded, data.version);
    const waiver = loaded.checkpoint.waivers[0] ?? null;
    const next = await enforce(decideRevokeWaiver(loaded.context, { reason: data.reason, waiver }), actor, "waiver.revoke", loaded);
    await transition(tx, loaded, data.version, next);
    // The checkpoint's version check above already let exactly one request through; the waiver's
    // own guard keeps a revoked or lapsed waiver from being ended a second time regardless.
    const { count } = await tx.waiver.updateMany({
      where: { id: waiver!.id, revokedAt: null, lapsedAt: null },
      data: { revokedAt: new Date(), revokedById: actor.id },
    });
    if (count === 0) throw new Conflict("This waiver was ended while your request ran. Reload the checkpoint to see where it stands.");
    await appendAuditEvent(
      tx,
      event(actor, loaded, "waiver.revoke", { type: "waiver", id: waiver!.id }, { reason: data.reason, expiresOn: isoDay(waiver!.expiresOn), from: loaded.checkpoint.status, to: next.status }),
    );
    return reload(tx, loaded);
  });
}

// What every checkpoint command shares: load the facts (one statement), check the version the
// caller saw, enforce the decision (403 recorded, or 422), the guarded write (rule 10) and the
// reload after the commit (docs/ARCHITECTURE.md, section 3).
import "server-only";
import type { JsonValue } from "@/lib/audit/chain";
import { auditActor, type Actor } from "@/lib/data/actor";
import { denied } from "@/lib/data/authz";
import { toCheckpointDto, workflowContext, type CheckpointDto, type CheckpointRow } from "@/lib/data/checkpoints/dto";
import { checkpointRowOf, contextFacts, readSystemDetail, reviewerFactsOf } from "@/lib/data/checkpoints/system-detail";
import { lapseExpiredWaivers } from "@/lib/data/checkpoints/waiver-lapse";
import { slugSchema } from "@/lib/data/checkpoints.schema";
import { refreshRollups } from "@/lib/data/rollup";
import { db } from "@/lib/db";
import type { Outcome, WorkflowContext } from "@/lib/domain/checkpoint-workflow";
import type { ReviewerFacts } from "@/lib/domain/eligibility";
import { isDone, utcDay, type CheckpointStatus } from "@/lib/domain/schedule";
import { Conflict, NotFound, RuleViolation } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

export interface Loaded {
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
export async function load(tx: Tx, actor: Actor, systemKey: string, milestoneKey: string): Promise<Loaded> {
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
  return {
    system: { id: system.id, key: system.key, tier: system.tier, aiAssisted: system.ai_assisted },
    checkpoint,
    programEndsOn: system.ends_on ?? today,
    reviewers: reviewerFactsOf(system),
    context: workflowContext(checkpoint, contextFacts(system, actor)),
  };
}

/** Rule 10: a request that saw an older version is refused before anything is decided. */
export function checkVersion(loaded: Loaded, expected: number | undefined) {
  if (expected !== undefined && expected !== loaded.checkpoint.version) {
    throw new Conflict(
      `This checkpoint changed since you loaded it (you sent version ${expected}; it is now at ${loaded.checkpoint.version}). Reload it and try again.`,
      undefined,
      "stale_version",
    );
  }
}

export async function enforce(outcome: Outcome, actor: Actor, attempted: string, loaded: Loaded) {
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
export async function transition(
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

/**
 * The checkpoint as it is after the change, read AFTER the commit: the response costs the
 * transaction nothing, and every lock (the audit chain's above all) is already released.
 */
export async function reload(loaded: Loaded): Promise<CheckpointDto> {
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

export function event(
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
export async function refuseOutsiders(
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

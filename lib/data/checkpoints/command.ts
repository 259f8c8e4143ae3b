// What every checkpoint command shares: parse the input (refusing outsiders first), load the
// facts (one statement), decide (403 recorded, then 409 for a stale version, then 422), the
// guarded write (rule 10), the read of what the change left and the answer built from it
// (docs/ARCHITECTURE.md, section 3).
import "server-only";
import type { JsonValue } from "@/lib/audit/chain";
import { auditActor, type Actor } from "@/lib/data/actor";
import { denied } from "@/lib/data/authz";
import { toCheckpointDto, workflowContext, type CheckpointDto, type CheckpointRow } from "@/lib/data/checkpoints/dto";
import {
  checkpointRowOf,
  contextFacts,
  readSystemDetail,
  reviewerFactsOf,
  type DetailRow,
} from "@/lib/data/checkpoints/system-detail";
import { lapseExpiredWaivers } from "@/lib/data/checkpoints/waiver-lapse";
import { slugSchema } from "@/lib/data/checkpoints.schema";
import { refreshRollups } from "@/lib/data/rollup";
import { db } from "@/lib/db";
import type { EventFactsRow } from "@/lib/notifications/outbox";
import type { Outcome, WorkflowContext } from "@/lib/domain/checkpoint-workflow";
import type { ReviewerFacts } from "@/lib/domain/eligibility";
import { isDone, utcDay, type CheckpointStatus } from "@/lib/domain/schedule";
import { Conflict, NotFound, RuleViolation, ValidationError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { z } from "zod";

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
 * The system as the command's own writes left it, read inside its transaction before the audit
 * event (so before the chain's lock): the notifications are planned from it, and the response is
 * built from it after the commit, with no further read.
 */
export async function readAfter(tx: Tx, loaded: Loaded): Promise<DetailRow> {
  const system = await readSystemDetail(tx, loaded.system.key, utcDay(new Date()));
  if (!system) throw new NotFound("This checkpoint is no longer part of the active program.");
  return system;
}

/** The changed checkpoint, from a read made after the change, as its notifications see it. */
export function eventFactsOf(loaded: Loaded, after: DetailRow): EventFactsRow {
  const row = checkpointOf(loaded, after);
  return {
    id: row.id,
    status: row.status,
    round: row.round,
    dueOn: new Date(row.dueOn),
    milestone: row.milestone,
    system: {
      key: after.key,
      name: after.name,
      team: after.team,
      tier: after.tier,
      aiAssisted: after.ai_assisted,
      assignments: after.assignments.map((a) => ({
        kind: a.kind,
        user: { id: a.userId, active: a.active, ...a.user },
      })),
    },
    evidence: row.evidence,
    reviews: row.reviews,
  };
}

function checkpointOf(loaded: Loaded, system: DetailRow) {
  const row = system.checkpoints.find((c) => c.id === loaded.checkpoint.id);
  if (!row) throw new NotFound("This checkpoint is no longer part of the active program.");
  return row;
}

/** The response: the checkpoint as `system` (read after the change) shows it; no statement. */
export function respond(loaded: Loaded, system: DetailRow): CheckpointDto {
  const today = utcDay(new Date());
  const { milestone: _m, checkpoint: _c, ...facts } = loaded.context;
  return toCheckpointDto(checkpointRowOf(checkpointOf(loaded, system)), loaded.system, today, {
    ...facts,
    programEndsOn: loaded.programEndsOn,
    reviewers: loaded.reviewers,
  });
}

/**
 * The checkpoint as it is after the change, read AFTER the commit: the response costs the
 * transaction nothing, and every lock (the audit chain's above all) is already released.
 */
export async function reload(loaded: Loaded): Promise<CheckpointDto> {
  const system = await readSystemDetail(db(), loaded.system.key, utcDay(new Date()));
  if (!system) throw new NotFound("This checkpoint is no longer part of the active program.");
  return respond(loaded, system);
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

export interface Refusal {
  /** Who may act: the system's owners (and leads), its reviewers, or the leads alone. */
  who: "owner" | "reviewer" | "lead";
  attempted: string;
  /** The decide function's words for the same refusal (lib/domain/checkpoint-workflow.ts). */
  message: string;
}

/**
 * The command's input, parsed. A body that does not parse is answered with its errors (400) only
 * to someone who may act on the checkpoint; anyone else is refused first (an audited 403), so a
 * malformed body can neither turn a refusal into a 400 nor probe the schema. A body that parses
 * costs no read here: inside the transaction `decided` refuses the same people, in the same
 * words, before anything else is checked.
 */
export async function parseFor<S extends z.ZodType>(
  actor: Actor,
  systemKey: string,
  milestoneKey: string,
  schema: S,
  input: unknown,
  refusal: Refusal,
): Promise<z.output<S>> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  await refuseOutsiders(actor, systemKey, milestoneKey, refusal);
  throw ValidationError.fromZod(parsed.error);
}

/**
 * A decision's outcome, in the order a caller is told: a refusal of who they are (403, recorded)
 * first, then a version they did not see (409, rule 10), then a rule the change breaks (422).
 */
export async function decided(
  outcome: Outcome,
  actor: Actor,
  attempted: string,
  loaded: Loaded,
  expectedVersion: number | undefined,
) {
  if (!outcome.ok && outcome.kind === "forbidden") return enforce(outcome, actor, attempted, loaded);
  checkVersion(loaded, expectedVersion);
  return enforce(outcome, actor, attempted, loaded);
}

/** Whether the caller may act on the checkpoint at all, from their assignment; refuses (403) if not. */
async function refuseOutsiders(actor: Actor, systemKey: string, milestoneKey: string, refusal: Refusal) {
  const { who, attempted, message } = refusal;
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

// A lead moves a checkpoint's due date away from the schedule, with a reason, or clears the
// override so that the schedule's date (rule 13's for a late joiner) applies again.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { slugSchema } from "@/lib/data/checkpoints.schema";
import { refreshRollups } from "@/lib/data/rollup";
import { parse } from "@/lib/data/parse";
import { clearDueDateOverrideSchema, dueDateOverrideSchema } from "@/lib/data/system-admin.schema";
import { db } from "@/lib/db";
import { addDays, dueOnFor, isoDay } from "@/lib/domain/schedule";
import { Conflict, NotFound, PreconditionRequired, RuleViolation, ValidationError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { PROGRAM_DATE_MARGIN_YEARS } from "@/lib/validation/date";

type Tx = Prisma.TransactionClient;

const notFound = (key: string) => new NotFound(`There is no system with the key “${key}”.`);

async function loadCheckpoint(tx: Tx, systemKey: string, milestoneKey: string) {
  const sk = slugSchema.safeParse(systemKey);
  const mk = slugSchema.safeParse(milestoneKey);
  if (!sk.success) throw notFound(systemKey);
  if (!mk.success) throw new NotFound(`There is no milestone with the key “${milestoneKey}”.`);
  const checkpoint = await tx.checkpoint.findFirst({
    where: { system: { key: sk.data }, milestone: { key: mk.data, program: { active: true } } },
    select: {
      id: true,
      systemId: true,
      version: true,
      dueOn: true,
      dueOnOverrideReason: true,
      system: { select: { joinedOn: true } },
      milestone: { select: { key: true, dueDay: true, program: { select: { startsOn: true, durationDays: true } } } },
    },
  });
  if (!checkpoint) throw new NotFound(`There is no checkpoint “${mk.data}” on the system “${sk.data}”.`);
  return { ...checkpoint, systemKey: sk.data };
}

function staleCheckpoint(expected: number | undefined, actual: number) {
  // A due date moved without saying which version it was based on could undo someone else's move.
  if (expected === undefined)
    throw new PreconditionRequired(
      "Send the checkpoint version you saw (version), so that a newer change is not overwritten.",
    );
  if (expected !== actual) {
    throw new Conflict(
      `This checkpoint changed since you loaded it (you saw version ${expected}; it is now at ${actual}). Reload and try again.`,
      undefined,
      "stale_version",
    );
  }
}

export interface DueDateResult {
  milestone: string;
  dueOn: string;
  overrideReason: string | null;
  version: number;
}

/**
 * The guarded write both commands end with: the new date (and the override's reason and author,
 * or none), the roll-up, and the audit event from the old date to the new one.
 */
async function moveDueDate(
  tx: Tx,
  actor: Actor,
  checkpoint: Awaited<ReturnType<typeof loadCheckpoint>>,
  action: "checkpoint.due_override" | "checkpoint.due_override_clear",
  to: { dueOn: Date; reason: string | null; byId: string | null },
): Promise<DueDateResult> {
  const { count } = await tx.checkpoint.updateMany({
    where: { id: checkpoint.id, version: checkpoint.version },
    data: {
      dueOn: to.dueOn,
      dueOnOverrideReason: to.reason,
      dueOnOverriddenById: to.byId,
      version: { increment: 1 },
    },
  });
  if (count === 0)
    throw new Conflict("This checkpoint changed while you saved. Reload and try again.", undefined, "stale_version");
  await refreshRollups(tx, [checkpoint.systemId]);
  await appendAuditEvent(tx, {
    ...auditActor(actor),
    action,
    subjectType: "checkpoint",
    subjectId: checkpoint.id,
    systemKey: checkpoint.systemKey,
    data: {
      checkpointId: checkpoint.id,
      milestone: checkpoint.milestone.key,
      from: isoDay(checkpoint.dueOn),
      to: isoDay(to.dueOn),
      ...(to.reason !== null ? { reason: to.reason } : {}),
    },
  });
  return {
    milestone: checkpoint.milestone.key,
    dueOn: isoDay(to.dueOn),
    overrideReason: to.reason,
    version: checkpoint.version + 1,
  };
}

/** A lead moves a checkpoint's due date, with a reason; the derived date no longer applies. */
export async function overrideDueDate(
  actor: Actor,
  systemKey: string,
  milestoneKey: string,
  input: unknown,
): Promise<DueDateResult> {
  await authorize(actor, "system.manage", { type: "checkpoint", id: `${systemKey}/${milestoneKey}`, systemKey });
  const data = parse(dueDateOverrideSchema, input);
  if (actor.kind !== "user") throw new RuleViolation("Due dates are overridden by a signed-in lead.");
  return db().$transaction(async (tx) => {
    const checkpoint = await loadCheckpoint(tx, systemKey, milestoneKey);
    staleCheckpoint(data.version, checkpoint.version);
    const dueOn = new Date(`${data.dueOn}T00:00:00Z`);
    const { startsOn, durationDays } = checkpoint.milestone.program;
    const earliest = addDays(startsOn, -PROGRAM_DATE_MARGIN_YEARS * 366);
    const latest = addDays(startsOn, durationDays + PROGRAM_DATE_MARGIN_YEARS * 366);
    if (dueOn < earliest || dueOn > latest) {
      throw new ValidationError(
        `The due date must be between ${isoDay(earliest)} and ${isoDay(latest)} (the program's span, give or take ${PROGRAM_DATE_MARGIN_YEARS} years).`,
        {
          dueOn: [`must be between ${isoDay(earliest)} and ${isoDay(latest)}`],
        },
      );
    }
    return moveDueDate(tx, actor, checkpoint, "checkpoint.due_override", {
      dueOn,
      reason: data.reason,
      byId: actor.id,
    });
  });
}

/** Clears an override: the due date returns to the schedule's (start + due day, or rule 13's for a late joiner). */
export async function clearDueDateOverride(
  actor: Actor,
  systemKey: string,
  milestoneKey: string,
  input: unknown,
): Promise<DueDateResult> {
  await authorize(actor, "system.manage", { type: "checkpoint", id: `${systemKey}/${milestoneKey}`, systemKey });
  const data = parse(clearDueDateOverrideSchema, input ?? {});
  return db().$transaction(async (tx) => {
    const checkpoint = await loadCheckpoint(tx, systemKey, milestoneKey);
    staleCheckpoint(data.version, checkpoint.version);
    if (checkpoint.dueOnOverrideReason === null)
      throw new RuleViolation("This checkpoint's due date is not overridden.");
    const dueOn = dueOnFor(checkpoint.milestone.program, checkpoint.milestone.dueDay, checkpoint.system.joinedOn);
    return moveDueDate(tx, actor, checkpoint, "checkpoint.due_override_clear", { dueOn, reason: null, byId: null });
  });
}

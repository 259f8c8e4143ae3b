// Program settings: a lead edits the active program's name, start date and time zone and each
// milestone's wording, schedule and sign-off policy. One transaction: authorize → validate →
// version check → write what changed → re-derive the checkpoints' due dates → audit each change.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import type { JsonValue } from "@/lib/audit/chain";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { prismaRunner, rebuildRollups } from "@/lib/data/rollup";
import { programSettingsSchema } from "@/lib/data/program-settings.schema";
import { db } from "@/lib/db";
import { dueOnFor, isoDay, programEndsOn } from "@/lib/domain/schedule";
import { Conflict, NotFound, ValidationError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Seniority } from "@/lib/generated/prisma/enums";

const SUBJECT = { type: "program", id: "active" } as const;

export interface MilestoneSettingsDto {
  key: string;
  sequence: number;
  name: string;
  description: string;
  dueDay: number;
  /** The derived due date (program start + due day). */
  dueOn: string;
  requiredApprovals: number;
  minReviewerSeniority: Seniority;
  evidenceHint: string;
  /** Checkpoints whose due date a lead overrode: a due-day change leaves them where they are. */
  overriddenCheckpoints: number;
}

export interface ProgramSettingsDto {
  version: number;
  name: string;
  startsOn: string;
  endsOn: string;
  durationDays: number;
  /** The IANA time zone of the program's wall clock (docs/RULES.md, section 2). */
  timeZone: string;
  milestones: MilestoneSettingsDto[];
}

const milestoneSelect = {
  id: true,
  key: true,
  sequence: true,
  name: true,
  description: true,
  dueDay: true,
  requiredApprovals: true,
  minReviewerSeniority: true,
  evidenceHint: true,
} as const;

/** The gate of the settings page (its layout): only leads, and a refusal is recorded. */
export async function authorizeProgramSettings(actor: Actor): Promise<void> {
  await authorize(actor, "program.manage", SUBJECT);
}

/** The program as the form shows it and the save compares it. */
const programSelect = {
  id: true,
  version: true,
  name: true,
  startsOn: true,
  durationDays: true,
  timeZone: true,
  milestones: { orderBy: { sequence: "asc" }, select: milestoneSelect },
} satisfies Prisma.ProgramSelect;

/**
 * The form's data. Reading it is `program.read` (GET /api/v1/program shows the same to anyone
 * signed in); the page's layout is what keeps the form itself to leads.
 */
export async function getProgramSettings(actor: Actor): Promise<ProgramSettingsDto | null> {
  await authorize(actor, "program.read", SUBJECT);
  const program = await db().program.findFirst({
    where: { active: true },
    select: programSelect,
  });
  if (!program) return null;
  const overridden = await db().checkpoint.groupBy({
    by: ["milestoneId"],
    where: { milestone: { programId: program.id }, dueOnOverrideReason: { not: null } },
    _count: { _all: true },
  });
  const overriddenBy = new Map(overridden.map((row) => [row.milestoneId, row._count._all]));
  return {
    version: program.version,
    name: program.name,
    startsOn: isoDay(program.startsOn),
    endsOn: isoDay(programEndsOn(program)),
    durationDays: program.durationDays,
    timeZone: program.timeZone,
    milestones: program.milestones.map(({ id, ...m }) => ({
      ...m,
      dueOn: isoDay(dueOnFor(program, m.dueDay)),
      overriddenCheckpoints: overriddenBy.get(id) ?? 0,
    })),
  };
}

export interface ProgramSettingsResult {
  version: number;
  /** Whether anything differed from what was stored (nothing is written when not). */
  changed: boolean;
  /** Fields that changed, per program and per milestone key. */
  changes: { program: string[]; milestones: Record<string, string[]> };
  /** Checkpoints whose derived due date moved. */
  checkpointsMoved: number;
  /** Checkpoints of the rescheduled milestones whose overridden due date was left in place. */
  overridesKept: number;
}

type Change = { from: JsonValue; to: JsonValue };

function diff<T extends Record<string, JsonValue>>(before: T, after: T): Record<string, Change> {
  const changes: Record<string, Change> = {};
  for (const key of Object.keys(after))
    if (before[key] !== after[key]) changes[key] = { from: before[key]!, to: after[key]! };
  return changes;
}

/** Saves the settings; a stale `version` is refused (409) and nothing is written. */
export async function updateProgramSettings(actor: Actor, input: unknown): Promise<ProgramSettingsResult> {
  await authorize(actor, "program.manage", SUBJECT);
  return db().$transaction(async (tx) => {
    const program = await tx.program.findFirst({
      where: { active: true },
      select: programSelect,
    });
    if (!program) throw new NotFound("There is no active program to edit.");
    const parsed = programSettingsSchema(program).safeParse(input);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error);
    const data = parsed.data;
    const byKey = new Map(program.milestones.map((m) => [m.key, m]));
    const unknown: Record<string, string[]> = {};
    data.milestones.forEach((m, i) => {
      if (!byKey.has(m.key)) unknown[`milestones.${i}.key`] = [`There is no milestone “${m.key}” in this program`];
    });
    if (Object.keys(unknown).length)
      throw new ValidationError("Some milestones are not part of the active program.", unknown);
    if (data.version !== program.version) {
      throw new Conflict(
        `Someone else saved the program settings since you opened them (you edited version ${data.version}; it is now at ${program.version}). Nothing was saved. Reload to see their changes, then apply yours again.`,
        undefined,
        "stale_version",
      );
    }

    // Rule 8: a waiver never outlasts the program. Moving the start earlier must not leave a waiver
    // in force past the new end; the lead revokes or re-grants it first.
    const newEnd = programEndsOn({
      startsOn: new Date(`${data.startsOn}T00:00:00Z`),
      durationDays: program.durationDays,
    });
    const outlasting = await tx.waiver.count({
      where: {
        revokedAt: null,
        lapsedAt: null,
        expiresOn: { gt: newEnd },
        checkpoint: { milestone: { programId: program.id } },
      },
    });
    if (outlasting > 0) {
      throw new ValidationError("Waivers would outlast the program.", {
        startsOn: [
          `${outlasting} waiver${outlasting === 1 ? "" : "s"} in force ${outlasting === 1 ? "expires" : "expire"} after ${isoDay(newEnd)}, the program's end with this start date. Revoke or shorten ${outlasting === 1 ? "it" : "them"} first, or choose a later start.`,
        ],
      });
    }

    const timeZone = data.timeZone ?? program.timeZone;
    const programChanges = diff(
      { name: program.name, startsOn: isoDay(program.startsOn), timeZone: program.timeZone },
      { name: data.name, startsOn: data.startsOn, timeZone },
    );
    const milestoneChanges = data.milestones
      .map((m) => {
        const { id, key, sequence: _s, ...before } = byKey.get(m.key)!;
        const { key: _k, ...after } = m;
        return { id, key, changes: diff(before, after), after };
      })
      .filter((m) => Object.keys(m.changes).length > 0);
    if (Object.keys(programChanges).length === 0 && milestoneChanges.length === 0) {
      return {
        version: program.version,
        changed: false,
        changes: { program: [], milestones: {} },
        checkpointsMoved: 0,
        overridesKept: 0,
      };
    }

    // The program's version stands for the whole settings document, milestones included: the
    // guarded update lets exactly one of two concurrent saves of the same version through.
    const { count } = await tx.program.updateMany({
      where: { id: program.id, version: program.version },
      data: {
        name: data.name,
        startsOn: new Date(`${data.startsOn}T00:00:00Z`),
        timeZone,
        version: { increment: 1 },
      },
    });
    if (count === 0)
      throw new Conflict(
        "Someone else saved the program settings while yours were being saved. Nothing was saved. Reload and apply your changes again.",
        undefined,
        "stale_version",
      );
    for (const m of milestoneChanges) await tx.milestone.update({ where: { id: m.id }, data: m.after });

    // Derived due dates follow the schedule; dates a lead overrode (with a reason) stay put. One
    // set-based statement for every checkpoint of the program, not one per checkpoint.
    const scheduleChanged = "startsOn" in programChanges || milestoneChanges.some((m) => "dueDay" in m.changes);
    // Systems that joined late (rule 13) have their dates derived from the join day instead.
    const checkpointsMoved = scheduleChanged
      ? (await tx.$executeRaw`
          UPDATE checkpoint c
             SET due_on = p.starts_on + m.due_day, version = c.version + 1, updated_at = now()
            FROM milestone m JOIN program p ON p.id = m.program_id, system s
           WHERE c.milestone_id = m.id AND s.id = c.system_id
             AND p.id = ${program.id}::uuid
             AND c.due_on_override_reason IS NULL
             AND (s.joined_on IS NULL OR s.joined_on <= p.starts_on)
             AND c.due_on <> p.starts_on + m.due_day`) + (await rescheduleLateJoiners(tx, program.id))
      : 0;
    // Every system's due dates may have moved: their roll-ups are rebuilt in this transaction.
    if (checkpointsMoved > 0) await rebuildRollups(prismaRunner(tx));
    const rescheduled =
      "startsOn" in programChanges ? program.milestones : milestoneChanges.filter((m) => "dueDay" in m.changes);
    const overridesKept = scheduleChanged
      ? await tx.checkpoint.count({
          where: { milestoneId: { in: rescheduled.map((m) => m.id) }, dueOnOverrideReason: { not: null } },
        })
      : 0;

    const version = program.version + 1;
    const who = auditActor(actor);
    if (Object.keys(programChanges).length) {
      await appendAuditEvent(tx, {
        ...who,
        action: "program.update",
        subjectType: "program",
        subjectId: program.id,
        data: { version, changes: programChanges },
      });
    }
    for (const m of milestoneChanges) {
      await appendAuditEvent(tx, {
        ...who,
        action: "milestone.update",
        subjectType: "milestone",
        subjectId: m.id,
        data: { milestone: m.key, version, changes: m.changes },
      });
    }
    if (scheduleChanged) {
      await appendAuditEvent(tx, {
        ...who,
        action: "checkpoint.reschedule",
        subjectType: "program",
        subjectId: program.id,
        data: { version, checkpointsMoved, overridesKept, milestones: rescheduled.map((m) => m.key) },
      });
    }
    return {
      version,
      changed: true,
      changes: {
        program: Object.keys(programChanges),
        milestones: Object.fromEntries(milestoneChanges.map((m) => [m.key, Object.keys(m.changes)])),
      },
      checkpointsMoved,
      overridesKept,
    };
  });
}

/**
 * Rule 13 after a schedule change: a late joiner's dates are derived again from its join day by
 * lib/domain/schedule.ts (not restated in SQL). Late joiners are few; one update per moved date.
 */
async function rescheduleLateJoiners(tx: Prisma.TransactionClient, programId: string): Promise<number> {
  const rows = await tx.checkpoint.findMany({
    where: { dueOnOverrideReason: null, milestone: { programId }, system: { joinedOn: { not: null } } },
    select: {
      id: true,
      dueOn: true,
      system: { select: { joinedOn: true } },
      milestone: { select: { dueDay: true, program: { select: { startsOn: true, durationDays: true } } } },
    },
  });
  let moved = 0;
  for (const row of rows) {
    const dueOn = dueOnFor(row.milestone.program, row.milestone.dueDay, row.system.joinedOn);
    if (dueOn.getTime() === row.dueOn.getTime()) continue;
    await tx.checkpoint.update({ where: { id: row.id }, data: { dueOn, version: { increment: 1 } } });
    moved += 1;
  }
  return moved;
}

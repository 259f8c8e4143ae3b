// The writes that creating systems and changing their assignments share: the system form and
// PUT …/assignments (lib/data/system-admin.ts) and the CSV import (lib/data/import.ts) go through
// these, so a system created or reassigned either way is stored, versioned and audited alike.
import "server-only";
import type { AuditInput } from "@/lib/audit/append";
import type { JsonValue } from "@/lib/audit/chain";
import { auditActor, type Actor } from "@/lib/data/actor";
import { bumpAssignmentsVersion } from "@/lib/data/assignments-version";
import { refreshRollups } from "@/lib/data/rollup";
import type { SystemFields } from "@/lib/data/system-admin.schema";
import { auditedDiff, type Assignee, type AssignmentDiff } from "@/lib/domain/assignment-diff";
import { dueOnFor, isoDay, joinedOnFor } from "@/lib/domain/schedule";
import { RuleViolation } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Tier } from "@/lib/generated/prisma/enums";

type Tx = Prisma.TransactionClient;

/** The fields a system row stores, as compared by edits and the import (null for "no link"). */
export interface StoredSystemFields {
  name: string;
  team: string;
  tier: Tier;
  aiAssisted: boolean;
  description: string;
  repoUrl: string | null;
  runbookUrl: string | null;
}

export const SYSTEM_FIELDS = ["name", "team", "tier", "aiAssisted", "description", "repoUrl", "runbookUrl"] as const;

/** Selects the stored fields that edits and the import compare. */
export const storedFieldsSelect = {
  name: true,
  team: true,
  tier: true,
  aiAssisted: true,
  description: true,
  repoUrl: true,
  runbookUrl: true,
} as const satisfies Record<(typeof SYSTEM_FIELDS)[number], true>;

export function storedFields(fields: Omit<SystemFields, "key">): StoredSystemFields {
  return {
    name: fields.name,
    team: fields.team,
    tier: fields.tier,
    aiAssisted: fields.aiAssisted,
    description: fields.description,
    repoUrl: fields.repoUrl ?? null,
    runbookUrl: fields.runbookUrl ?? null,
  };
}

/** What changed between a stored system and new values: `{field: {from, to}}`, empty when nothing. */
export function fieldChanges(
  before: StoredSystemFields,
  after: StoredSystemFields,
): Record<string, { from: JsonValue; to: JsonValue }> {
  const changes: Record<string, { from: JsonValue; to: JsonValue }> = {};
  for (const field of SYSTEM_FIELDS) {
    if (before[field] !== after[field]) changes[field] = { from: before[field], to: after[field] };
  }
  return changes;
}

export interface ActiveMilestone {
  id: string;
  key: string;
  dueDay: number;
}

/**
 * The active program's schedule and milestones, which a new system gets one checkpoint each of,
 * and the join day a system added `now` records (null before the start): rule 13 derives a late
 * joiner's due dates from it.
 */
export async function activeMilestones(tx: Tx, now: Date = new Date()): Promise<JoiningProgram> {
  const program = await tx.program.findFirst({
    where: { active: true },
    select: {
      startsOn: true,
      durationDays: true,
      milestones: { orderBy: { sequence: "asc" }, select: { id: true, key: true, dueDay: true } },
    },
  });
  if (!program) throw new RuleViolation("There is no active program to add systems to.");
  return { ...program, joinedOn: joinedOnFor(program, now) };
}

export interface JoiningProgram {
  startsOn: Date;
  durationDays: number;
  milestones: ActiveMilestone[];
  joinedOn: Date | null;
}

/** Each new checkpoint's due date: start + due day, or scaled into the time left (rule 13). */
export function newCheckpoints(program: JoiningProgram, systemId: string) {
  return program.milestones.map((m) => ({
    systemId,
    milestoneId: m.id,
    dueOn: dueOnFor(program, m.dueDay, program.joinedOn),
  }));
}

/**
 * Inserts systems with a checkpoint per milestone of the active program (due dates by rule 13: see
 * newCheckpoints) and their roll-ups, in a few statements whatever their number. Returns each
 * new system's id by key. Assignments go through writeAssignmentDiffs; the audit event is the
 * caller's (systemCreatedEvent), appended last.
 */
export async function createSystems(
  tx: Tx,
  program: JoiningProgram,
  systems: readonly SystemFields[],
): Promise<Map<string, string>> {
  if (systems.length === 0) return new Map();
  const created = await tx.system.createManyAndReturn({
    data: systems.map((fields) => ({ key: fields.key, ...storedFields(fields), joinedOn: program.joinedOn })),
    select: { id: true, key: true },
  });
  const ids = new Map(created.map((c) => [c.key, c.id]));
  await tx.checkpoint.createMany({ data: systems.flatMap((fields) => newCheckpoints(program, ids.get(fields.key)!)) });
  await refreshRollups(tx, [...ids.values()]);
  return ids;
}

/** The one `system.create` event: the stored fields, how many checkpoints, the join day (rule 13). */
export function systemCreatedEvent(
  actor: Actor,
  systemId: string,
  fields: SystemFields,
  program: JoiningProgram,
  extra: { assigned?: readonly Assignee[]; via?: string } = {},
): AuditInput {
  const emails = (kind: Assignee["kind"]) => extra.assigned!.filter((a) => a.kind === kind).map((a) => a.email);
  return {
    ...auditActor(actor),
    action: "system.create",
    subjectType: "system",
    subjectId: systemId,
    systemKey: fields.key,
    data: {
      key: fields.key,
      ...storedFields(fields),
      checkpoints: program.milestones.length,
      ...(program.joinedOn ? { joinedOn: isoDay(program.joinedOn) } : {}),
      ...(extra.assigned ? { owners: emails("OWNER"), reviewers: emails("REVIEWER") } : {}),
      ...(extra.via ? { via: extra.via } : {}),
    },
  };
}

/**
 * Writes assignment diffs (lib/domain/assignment-diff.ts) of any number of systems in one delete
 * and one insert, and moves each changed system's assignments version, so that an editor holding
 * the old one must reload rather than overwrite the change. Systems whose diff is empty are untouched.
 */
export async function writeAssignmentDiffs(
  tx: Tx,
  changes: readonly { systemId: string; diff: AssignmentDiff }[],
): Promise<void> {
  const removals = changes.flatMap(({ systemId, diff }) => diff.removed.map((a) => ({ systemId, userId: a.userId })));
  const additions = changes.flatMap(({ systemId, diff }) =>
    diff.added.map((a) => ({ systemId, userId: a.userId, kind: a.kind })),
  );
  if (removals.length) await tx.assignment.deleteMany({ where: { OR: removals } });
  if (additions.length) await tx.assignment.createMany({ data: additions });
  await bumpAssignmentsVersion(tx, [...new Set([...removals, ...additions].map((a) => a.systemId))]);
}

/** A diff as audit data (people by e-mail). */
export function auditedAssignments(diff: AssignmentDiff): { added: JsonValue; removed: JsonValue } {
  const { added, removed } = auditedDiff(diff);
  return { added: added as unknown as JsonValue, removed: removed as unknown as JsonValue };
}

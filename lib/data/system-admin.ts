// The write side of the systems registry: create and edit systems and replace their owners and
// reviewers (a checkpoint's due-date override is lib/data/checkpoints/due-date.ts). Each command
// authorizes (leads only), validates with zod, writes and appends its audit event in ONE
// transaction, and returns a DTO. The writes it shares with the CSV import are
// lib/data/system-writes.ts.
import "server-only";
import type { Tier } from "@/lib/generated/prisma/enums";
import { appendAuditEvent } from "@/lib/audit/append";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { parse } from "@/lib/data/parse";
import { isPerson, personWhere } from "@/lib/data/people";
import { refreshRollups } from "@/lib/data/rollup";
import {
  activeMilestones,
  auditedAssignments,
  createSystems,
  fieldChanges,
  storedFields,
  storedFieldsSelect,
  systemCreatedEvent,
  writeAssignmentDiffs,
} from "@/lib/data/system-writes";
import { getSystemDetail } from "@/lib/data/checkpoints/system-detail";
import type { SystemDetailDto, UserRef } from "@/lib/data/checkpoints/dto";
import { slugSchema } from "@/lib/data/checkpoints.schema";
import { assignmentsSchema, systemInputSchema, updateSystemSchema } from "@/lib/data/system-admin.schema";
import { db } from "@/lib/db";
import { desiredAssignments, diffAssignments, isEmptyDiff } from "@/lib/domain/assignment-diff";
import { Conflict, NotFound, PreconditionRequired, ValidationError, isUniqueViolation } from "@/lib/errors";

const notFound = (key: string) => new NotFound(`There is no system with the key “${key}”.`);

/** POST /api/v1/systems and /systems/new: a new system with a checkpoint for every milestone. */
export async function createSystem(actor: Actor, input: unknown): Promise<SystemDetailDto> {
  await authorize(actor, "system.manage", { type: "system", id: "new" });
  const fields = parse(systemInputSchema, input);
  try {
    await db().$transaction(async (tx) => {
      const program = await activeMilestones(tx);
      const ids = await createSystems(tx, program, [fields]);
      await appendAuditEvent(tx, systemCreatedEvent(actor, ids.get(fields.key)!, fields, program));
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new Conflict(`A system with the key “${fields.key}” already exists.`, {
        key: [`A system with the key “${fields.key}” already exists; choose another key.`],
      });
    }
    throw error;
  }
  return getSystemDetail(actor, fields.key);
}

export interface SystemForEdit {
  key: string;
  name: string;
  team: string;
  tier: Tier;
  aiAssisted: boolean;
  description: string;
  repoUrl: string;
  runbookUrl: string;
  /** The concurrency token the edit form sends back. */
  updatedAt: string;
  /** The concurrency token the assignments editor sends back. */
  assignmentsVersion: number;
  owners: string[];
  reviewers: string[];
  /** Checkpoints of the active program waiting on a review: what removing a reviewer touches. */
  submittedCheckpoints: number;
}

/** The edit page's system: its fields, version and assignments (leads only). */
export async function getSystemForEdit(actor: Actor, rawKey: string): Promise<SystemForEdit> {
  await authorize(actor, "system.manage", { type: "system", id: rawKey, systemKey: rawKey });
  const key = slugSchema.safeParse(rawKey);
  if (!key.success) throw notFound(rawKey);
  const system = await db().system.findUnique({
    where: { key: key.data },
    select: {
      key: true,
      ...storedFieldsSelect,
      updatedAt: true,
      assignmentsVersion: true,
      assignments: { orderBy: { user: { name: "asc" } }, select: { kind: true, user: { select: { email: true } } } },
      _count: {
        select: { checkpoints: { where: { status: "SUBMITTED", milestone: { program: { active: true } } } } },
      },
    },
  });
  if (!system) throw notFound(key.data);
  const { assignments, updatedAt, _count, ...rest } = system;
  return {
    ...rest,
    submittedCheckpoints: _count.checkpoints,
    repoUrl: rest.repoUrl ?? "",
    runbookUrl: rest.runbookUrl ?? "",
    updatedAt: updatedAt.toISOString(),
    owners: assignments.filter((a) => a.kind === "OWNER").map((a) => a.user.email),
    reviewers: assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.user.email),
  };
}

/** Edits a system's fields; a stale `expectedUpdatedAt` is a 409 and changes nothing. */
export async function updateSystem(actor: Actor, rawKey: string, input: unknown): Promise<SystemForEdit> {
  await authorize(actor, "system.manage", { type: "system", id: rawKey, systemKey: rawKey });
  const key = slugSchema.safeParse(rawKey);
  if (!key.success) throw notFound(rawKey);
  const { expectedUpdatedAt, ...fields } = parse(updateSystemSchema, input);
  const after = storedFields(fields);
  await db().$transaction(async (tx) => {
    const before = await tx.system.findUnique({
      where: { key: key.data },
      select: { id: true, ...storedFieldsSelect, updatedAt: true },
    });
    if (!before) throw notFound(key.data);
    const changes = fieldChanges(before, after);
    if (before.updatedAt.toISOString() !== expectedUpdatedAt) {
      throw new Conflict(
        "Someone else changed this system after you opened it. Your changes are still in the form: reload the page in another tab to see theirs, then save again.",
        undefined,
        "stale_version",
      );
    }
    if (Object.keys(changes).length === 0) return;
    // The version check and the write are one statement, so two racing edits cannot both pass.
    const { count } = await tx.system.updateMany({
      where: { id: before.id, updatedAt: before.updatedAt },
      data: after,
    });
    if (count === 0)
      throw new Conflict(
        "Someone else changed this system while you saved. Your changes are still in the form; save again.",
        undefined,
        "stale_version",
      );
    if ("team" in changes || "tier" in changes) await refreshRollups(tx, [before.id]);
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "system.update",
      subjectType: "system",
      subjectId: before.id,
      systemKey: key.data,
      data: { changes },
    });
  });
  return getSystemForEdit(actor, key.data);
}

export interface AssignableUser extends UserRef {
  id: string;
}

/** People who can own or review systems: active engineers and leads (executives only read). */
export async function listAssignableUsers(actor: Actor): Promise<AssignableUser[]> {
  await authorize(actor, "assignment.manage", { type: "user", id: "*" });
  return db().user.findMany({
    where: { active: true, role: { not: "EXECUTIVE" }, ...personWhere },
    orderBy: [{ name: "asc" }, { email: "asc" }],
    select: { id: true, email: true, name: true, role: true, seniority: true },
  });
}

/** Why an email cannot be assigned, or null when it can. Used by the API and the CSV import. */
export function assignableProblem(email: string, user: { active: boolean; role: string } | undefined): string | null {
  if (!user) return `No user has the email ${email}`;
  if (!user.active) return `${email} is deactivated`;
  if (user.role === "EXECUTIVE") return `${email} is an executive (read-only) and cannot own or review systems`;
  if (!isPerson({ email })) return `${email} is a service account and cannot own or review systems`;
  return null;
}

/** An If-Match header (`"3"`, `W/"3"` or `3`) stands in for a body without a version. */
function withIfMatch(input: unknown, ifMatch: string | null): unknown {
  if (ifMatch === null || typeof input !== "object" || input === null || Array.isArray(input) || "version" in input)
    return input;
  const match = /^\s*(?:W\/)?"?(\d{1,10})"?\s*$/.exec(ifMatch);
  if (!match)
    throw new ValidationError('If-Match must be the assignments version you saw, such as "3".', {
      "If-Match": ["must be a version number"],
    });
  return { ...input, version: Number(match[1]) };
}

/** PUT /api/v1/systems/{key}/assignments: replaces owners and reviewers, in one transaction. */
/**
 * Rule 14's warning after an assignment change: each open milestone the new reviewers cannot
 * sign off (seniority, separation of duties, Tier 0's two approvals), in words. Saved anyway:
 * a lead may be mid-way through fixing assignments.
 */
export function reviewerWarnings(system: Pick<SystemDetailDto, "checkpoints">): string[] {
  return system.checkpoints.filter((c) => c.noEligibleReviewer).map((c) => `${c.name}: ${c.noEligibleReviewer}`);
}

export async function setAssignments(
  actor: Actor,
  rawKey: string,
  input: unknown,
  ifMatch: string | null = null,
): Promise<SystemDetailDto & { warnings: string[] }> {
  await authorize(actor, "assignment.manage", { type: "system", id: rawKey, systemKey: rawKey });
  const key = slugSchema.safeParse(rawKey);
  if (!key.success) throw notFound(rawKey);
  const data = parse(assignmentsSchema, withIfMatch(input, ifMatch));
  const owners = [...new Set(data.owners)];
  const reviewers = [...new Set(data.reviewers)];
  await db().$transaction(async (tx) => {
    const system = await tx.system.findUnique({ where: { key: key.data }, select: { id: true } });
    if (!system) throw notFound(key.data);
    // Serialise concurrent replacements of the same system's assignments.
    await tx.$queryRaw`SELECT id FROM system WHERE id = ${system.id}::uuid FOR UPDATE`;
    // Replacing the whole list from a stale view would silently drop someone else's change.
    const { assignmentsVersion } = await tx.system.findUniqueOrThrow({
      where: { id: system.id },
      select: { assignmentsVersion: true },
    });
    if (data.version === undefined)
      throw new PreconditionRequired(
        "Send the assignments version you saw (version, or an If-Match header), so that a newer change is not overwritten.",
      );
    if (data.version !== assignmentsVersion) {
      throw new Conflict(
        `The assignments changed since you loaded them (you saw version ${data.version}; they are now at ${assignmentsVersion}). Reload and try again.`,
        undefined,
        "stale_version",
      );
    }
    const users = await tx.user.findMany({
      where: { email: { in: [...owners, ...reviewers] } },
      select: { id: true, email: true, active: true, role: true },
    });
    const byEmail = new Map(users.map((u) => [u.email, u]));
    const errors: Record<string, string[]> = {};
    for (const [field, emails] of [
      ["owners", owners],
      ["reviewers", reviewers],
    ] as const) {
      for (const email of emails) {
        const problem = assignableProblem(email, byEmail.get(email));
        if (problem) (errors[field] ??= []).push(problem);
      }
    }
    if (Object.keys(errors).length) throw new ValidationError("Some people cannot be assigned.", errors);
    const desired = desiredAssignments(owners, reviewers, (email) => byEmail.get(email)!.id);
    const current = await tx.assignment.findMany({
      where: { systemId: system.id },
      select: { userId: true, kind: true, user: { select: { email: true } } },
    });
    const diff = diffAssignments(
      current.map((a) => ({ userId: a.userId, kind: a.kind, email: a.user.email })),
      desired,
    );
    if (isEmptyDiff(diff)) return;
    await writeAssignmentDiffs(tx, [{ systemId: system.id, diff }]);
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "assignment.set",
      subjectType: "system",
      subjectId: system.id,
      systemKey: key.data,
      data: {
        owners,
        reviewers,
        ...auditedAssignments(diff),
        ...(data.reason ? { reason: data.reason } : {}),
      },
    });
  });
  const detail = await getSystemDetail(actor, key.data);
  return { ...detail, warnings: reviewerWarnings(detail) };
}

/** The teams systems belong to now, for the form's suggestions. */
export async function listTeams(actor: Actor): Promise<string[]> {
  await authorize(actor, "system.manage", { type: "system", id: "*" });
  const rows = await db().system.findMany({ distinct: ["team"], orderBy: { team: "asc" }, select: { team: true } });
  return rows.map((r) => r.team);
}

// Bulk actions on the registry's selected rows (leads only): assign a reviewer, set the team, set
// the tier. Each runs in ONE transaction that locks the selected systems' rows first (so two
// leads' bulk edits serialise instead of interleaving), writes, and appends one audit event per
// system it changed; systems already in the wanted state are left alone and reported.
import "server-only";
import { parse } from "@/lib/data/parse";
import type { Tier } from "@/lib/generated/prisma/enums";
import { assignmentWarnings, type AssignmentWarning } from "@/lib/data/assignment-warnings";
import { bumpAssignmentsVersion } from "@/lib/data/assignments-version";
import { appendAuditEvent } from "@/lib/audit/append";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { isPerson } from "@/lib/data/people";
import { refreshRollups } from "@/lib/data/rollup";
import { bulkAssignReviewerSchema, bulkSetTeamSchema, bulkSetTierSchema } from "@/lib/data/systems-bulk.schema";
import { db } from "@/lib/db";
import {
  Conflict,
  NotFound,
  PreconditionRequired,
  RuleViolation,
  ValidationError,
  isUniqueViolation,
} from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

export interface BulkResult {
  /** Systems changed, by key. */
  changed: string[];
  /** Systems already as asked. */
  unchanged: string[];
  /** Systems refused by a rule, with the reason. */
  skipped: { systemKey: string; reason: string }[];
}

/** Locks the selected systems (in key order, so concurrent bulk edits cannot deadlock). */
async function lockSystems(tx: Tx, keys: string[]) {
  const rows = await tx.$queryRaw<{ id: string; key: string; team: string; tier: Tier; updated_at: Date }[]>`
    SELECT id, key, team, tier, updated_at FROM system WHERE key = ANY(${keys}::text[]) ORDER BY key FOR UPDATE`;
  const missing = keys.filter((k) => !rows.some((r) => r.key === k));
  if (missing.length)
    throw new NotFound(
      `No system with the key${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; nothing was changed.`,
    );
  return rows;
}

async function inTransaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
  try {
    return await db().$transaction(fn, { timeout: 30_000 });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict(
        "Someone changed these systems' assignments at the same time; nothing was changed. Reload and try again.",
      );
    throw error;
  }
}

/**
 * Makes one person a reviewer of every selected system, except where they own it: rule 4
 * (separation of duties) — those are skipped and reported, never silently converted. The result
 * warns of every open milestone of the selected systems that still has no eligible reviewer
 * (rule 14), as the single-system assignment does.
 */
export async function bulkAssignReviewer(
  actor: Actor,
  input: unknown,
): Promise<BulkResult & { reviewer: { name: string; email: string }; warnings: AssignmentWarning[] }> {
  await authorize(actor, "assignment.manage", { type: "system", id: "*" });
  const { systems: keys, reviewer: email } = parse(bulkAssignReviewerSchema, input);
  return inTransaction(async (tx) => {
    const reviewer = await tx.user.findUnique({
      where: { email },
      select: { id: true, name: true, email: true, role: true, active: true },
    });
    if (!reviewer) throw new ValidationError(`Nobody has the email ${email}.`, { reviewer: ["No such person"] });
    if (!reviewer.active) throw new RuleViolation(`${reviewer.name} is deactivated and cannot review.`);
    if (reviewer.role === "EXECUTIVE") throw new RuleViolation("Executives are read-only and cannot review systems.");
    if (!isPerson(reviewer))
      throw new RuleViolation(`${reviewer.email} is a service account and cannot review systems.`);
    const systems = await lockSystems(tx, keys);
    const held = await tx.assignment.findMany({
      where: { userId: reviewer.id, systemId: { in: systems.map((s) => s.id) } },
      select: { systemId: true, kind: true },
    });
    const kindOf = new Map(held.map((a) => [a.systemId, a.kind]));
    const result: BulkResult = { changed: [], unchanged: [], skipped: [] };
    const toAdd = systems.filter((s) => {
      const kind = kindOf.get(s.id);
      if (kind === "OWNER")
        result.skipped.push({
          systemKey: s.key,
          reason: `${reviewer.name} owns it, and nobody may review a system they own`,
        });
      else if (kind === "REVIEWER") result.unchanged.push(s.key);
      return kind === undefined;
    });
    await tx.assignment.createMany({
      data: toAdd.map((s) => ({ systemId: s.id, userId: reviewer.id, kind: "REVIEWER" as const })),
    });
    await bumpAssignmentsVersion(
      tx,
      toAdd.map((s) => s.id),
    );
    for (const system of toAdd) {
      await appendAuditEvent(tx, {
        ...auditActor(actor),
        action: "assignment.add",
        subjectType: "system",
        subjectId: system.id,
        systemKey: system.key,
        data: { kind: "REVIEWER", user: reviewer.email, bulk: true },
      });
      result.changed.push(system.key);
    }
    const warnings = await assignmentWarnings(actor, keys, tx);
    return { ...result, reviewer: { name: reviewer.name, email: reviewer.email }, warnings };
  });
}

async function setField(
  actor: Actor,
  keys: string[],
  field: "team" | "tier",
  value: string,
  seen: Record<string, string> = {},
): Promise<BulkResult> {
  return inTransaction(async (tx) => {
    const systems = await lockSystems(tx, keys);
    // Overwriting a team or tier needs to know what the lead saw for every system it touches.
    const unseen = systems.filter((s) => seen[s.key] === undefined);
    if (unseen.length) {
      throw new PreconditionRequired(
        `Send the version you saw (seen: the updatedAt of each system) for ${unseen.map((s) => s.key).join(", ")}; nothing was changed.`,
      );
    }
    const changed = systems.filter(
      (s) => seen[s.key] !== undefined && new Date(seen[s.key]!).getTime() !== s.updated_at.getTime(),
    );
    if (changed.length) {
      throw new Conflict(
        `${changed.map((s) => s.key).join(", ")} changed since you loaded the page; nothing was changed. Reload and try again.`,
        undefined,
        "stale_version",
      );
    }
    const result: BulkResult = { changed: [], unchanged: [], skipped: [] };
    const toChange = systems.filter((s) => s[field] !== value);
    result.unchanged = systems.filter((s) => s[field] === value).map((s) => s.key);
    if (toChange.length) {
      await tx.system.updateMany({ where: { id: { in: toChange.map((s) => s.id) } }, data: { [field]: value } });
      // Team and tier slice the dashboard's tally: their checkpoints move cells.
      await refreshRollups(
        tx,
        toChange.map((s) => s.id),
      );
    }
    for (const system of toChange) {
      await appendAuditEvent(tx, {
        ...auditActor(actor),
        action: "system.update",
        subjectType: "system",
        subjectId: system.id,
        systemKey: system.key,
        data: { [field]: { from: system[field], to: value }, bulk: true },
      });
      result.changed.push(system.key);
    }
    return result;
  });
}

export async function bulkSetTeam(actor: Actor, input: unknown): Promise<BulkResult & { team: string }> {
  await authorize(actor, "system.manage", { type: "system", id: "*" });
  const { systems, team, seen } = parse(bulkSetTeamSchema, input);
  return { ...(await setField(actor, systems, "team", team, seen)), team };
}

export async function bulkSetTier(actor: Actor, input: unknown): Promise<BulkResult & { tier: string }> {
  await authorize(actor, "system.manage", { type: "system", id: "*" });
  const { systems, tier, seen } = parse(bulkSetTierSchema, input);
  return { ...(await setField(actor, systems, "tier", tier, seen)), tier };
}

// The warning every way of assigning people gives (docs/RULES.md rule 14): after the change, each
// open milestone of the touched systems whose assigned reviewers can never reach its quorum —
// seniority, separation of duties, Tier 0's two approvals — and why, in the words of
// reviewerShortfall (lib/domain/eligibility.ts), the same function the system page, the
// single-system assignment form and the lead's queue use. The change is saved anyway: a lead may
// be half-way through fixing assignments.
import "server-only";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { factsOf, itemSelect } from "@/lib/data/my-work";
import { db } from "@/lib/db";
import { reviewerShortfall } from "@/lib/domain/eligibility";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

export interface AssignmentWarning {
  systemKey: string;
  milestone: string;
  milestoneName: string;
  /** "Needs 2 approvals from Senior or above, not an owner or evidence author; only 1 can." */
  reason: string;
}

/** One warning as a sentence: "payments-api — Rollback plan tested: Needs 2 approvals …". */
export function warningSentence(w: AssignmentWarning): string {
  return `${w.systemKey} — ${w.milestoneName}: ${w.reason}`;
}

/**
 * The warnings for these systems as they stand now (inside `tx` when given, so a command can
 * report on the assignments it is about to commit). Open checkpoints of the active program only;
 * archived systems are still judged, since the lead named them.
 */
export async function assignmentWarnings(
  actor: Actor,
  systemKeys: readonly string[],
  tx?: Tx,
): Promise<AssignmentWarning[]> {
  await authorize(actor, "assignment.manage", { type: "system", id: "*" });
  if (!systemKeys.length) return [];
  const rows = await (tx ?? db()).checkpoint.findMany({
    where: {
      status: { in: ["NOT_STARTED", "IN_PROGRESS", "CHANGES_REQUESTED", "SUBMITTED"] },
      milestone: { program: { active: true } },
      system: { key: { in: [...new Set(systemKeys)] } },
    },
    orderBy: [{ system: { key: "asc" } }, { milestone: { sequence: "asc" } }],
    select: itemSelect,
  });
  return rows.flatMap((row) => {
    const facts = factsOf(row);
    const reason = reviewerShortfall(facts.context, facts.reviewers);
    return reason
      ? [{ systemKey: row.system.key, milestone: row.milestone.key, milestoneName: row.milestone.name, reason }]
      : [];
  });
}

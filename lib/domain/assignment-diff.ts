// Replacing a system's owners and reviewers with a new list, as a diff: who is added and who is
// removed. The system's form, PUT …/assignments and the CSV import all compute it here, so they
// agree on what "no change" is (no write, no audit event, no version bump).
import type { AssignmentKind } from "@/lib/generated/prisma/enums";

export interface Assignee {
  email: string;
  kind: AssignmentKind;
}

export interface Assignment extends Assignee {
  userId: string;
}

export interface AssignmentDiff {
  added: Assignment[];
  removed: Assignment[];
}

/**
 * The wanted assignments by user id: owners, then reviewers. One row per system and person (a
 * unique index), so someone listed as both ends up a reviewer, as the write would leave them.
 */
export function desiredAssignments(
  owners: readonly string[],
  reviewers: readonly string[],
  idOf: (email: string) => string,
): Map<string, Assignee> {
  const desired = new Map<string, Assignee>();
  for (const email of owners) desired.set(idOf(email), { email, kind: "OWNER" });
  for (const email of reviewers) desired.set(idOf(email), { email, kind: "REVIEWER" });
  return desired;
}

/**
 * What turns `current` into `desired`. A person moving from owner to reviewer is removed as one
 * and added as the other; everyone whose kind stays is left alone. Removals keep the order of
 * `current`, additions that of `desired`.
 */
export function diffAssignments(
  current: readonly Assignment[],
  desired: ReadonlyMap<string, Assignee>,
): AssignmentDiff {
  const removed = current.filter((a) => desired.get(a.userId)?.kind !== a.kind);
  const kept = new Set(current.filter((a) => desired.get(a.userId)?.kind === a.kind).map((a) => a.userId));
  const added = [...desired.entries()]
    .filter(([userId]) => !kept.has(userId))
    .map(([userId, a]) => ({ userId, email: a.email, kind: a.kind }));
  return { added, removed };
}

export function isEmptyDiff(diff: AssignmentDiff): boolean {
  return diff.added.length === 0 && diff.removed.length === 0;
}

/** The diff as the audit trail records it: people by e-mail, never by internal id. */
export function auditedDiff(diff: AssignmentDiff): { added: Assignee[]; removed: Assignee[] } {
  return {
    added: diff.added.map((a) => ({ email: a.email, kind: a.kind })),
    removed: diff.removed.map((a) => ({ email: a.email, kind: a.kind })),
  };
}

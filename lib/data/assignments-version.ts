// The optimistic-concurrency version of a system's owners and reviewers (docs/RULES.md, section 8).
// Bumped by raw SQL on purpose: Prisma's @updatedAt would move the system's updatedAt too, and that
// is the version the details form and bulk edits carry, so saving the assignments would make an
// open details form look stale although nobody changed the details.
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";

export async function bumpAssignmentsVersion(
  tx: Prisma.TransactionClient,
  systemIds: readonly string[],
): Promise<void> {
  if (systemIds.length === 0) return;
  await tx.$executeRaw`UPDATE system SET assignments_version = assignments_version + 1 WHERE id = ANY(${[...systemIds]}::uuid[])`;
}

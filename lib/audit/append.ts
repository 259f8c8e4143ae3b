// Appends one event to the hash chain inside the caller's transaction (docs/RULES.md, section 9).
// The transaction-scoped advisory lock serialises writers, and the sequence is read and assigned
// under it: a sequence assigned before the lock would let two writers link to the same parent.
import type { Prisma } from "@/lib/generated/prisma/client";
import { GENESIS_HASH, hashEvent, type JsonValue } from "@/lib/audit/chain";

export const AUDIT_LOCK_KEY = 72_731_002;

export interface AuditInput {
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  systemKey?: string | null;
  data?: JsonValue;
}

/**
 * The chain's head, read under the lock that serialises writers: one statement, the database's
 * audit_chain_head() taking the lock and then reading with a fresh snapshot (see its migration).
 */
async function lockHead(tx: Prisma.TransactionClient): Promise<{ seq: bigint; hash: string }> {
  const [last] = await tx.$queryRaw<{ seq: bigint; hash: string }[]>`
    SELECT seq, hash FROM audit_chain_head(${AUDIT_LOCK_KEY}::bigint)`;
  return { seq: last?.seq ?? 0n, hash: last?.hash ?? GENESIS_HASH };
}

/** The row of the event that follows `prev` in the chain. */
function chained(
  prev: { seq: bigint; hash: string },
  at: Date,
  input: AuditInput,
): Prisma.AuditEventCreateManyInput & { seq: bigint; hash: string } {
  const event = {
    seq: prev.seq + 1n,
    at,
    actorId: input.actorId,
    actorEmail: input.actorEmail,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    systemKey: input.systemKey ?? null,
    data: input.data ?? {},
  };
  const hash = hashEvent(prev.hash, event);
  return { ...event, data: event.data as Prisma.InputJsonValue, prevHash: prev.hash, hash };
}

export async function appendAuditEvent(tx: Prisma.TransactionClient, input: AuditInput) {
  const head = await lockHead(tx);
  // Millisecond precision, as stored, so the hash recomputed from the row matches.
  return tx.auditEvent.create({ data: chained(head, new Date(Date.now()), input), select: { seq: true, hash: true } });
}

/**
 * Appends several events in order under one lock and one insert: for bulk commands (the CSV
 * import) whose every row is its own event. The chain is the same as appending them one by one.
 */
export async function appendAuditEvents(tx: Prisma.TransactionClient, inputs: AuditInput[]): Promise<void> {
  if (!inputs.length) return;
  let head = await lockHead(tx);
  const at = new Date(Date.now());
  const rows = inputs.map((input) => (head = chained(head, at, input)));
  await tx.auditEvent.createMany({ data: rows });
}

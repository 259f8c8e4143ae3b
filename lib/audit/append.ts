// Appends one event to the hash chain inside the caller's transaction (DESIGN.md section 5).
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

export async function appendAuditEvent(tx: Prisma.TransactionClient, input: AuditInput) {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const seq = (last?.seq ?? 0n) + 1n;
  const prevHash = last?.hash ?? GENESIS_HASH;
  // Millisecond precision, as stored, so the hash recomputed from the row matches.
  const at = new Date(Date.now());
  const event = {
    seq,
    at,
    actorId: input.actorId,
    actorEmail: input.actorEmail,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    systemKey: input.systemKey ?? null,
    data: input.data ?? {},
  };
  const hash = hashEvent(prevHash, event);
  return tx.auditEvent.create({
    data: { ...event, data: event.data as Prisma.InputJsonValue, prevHash, hash },
    select: { seq: true, hash: true },
  });
}

/**
 * Appends several events in order under one lock and one insert: for bulk commands (the CSV
 * import) whose every row is its own event. The chain is the same as appending them one by one.
 */
export async function appendAuditEvents(tx: Prisma.TransactionClient, inputs: AuditInput[]): Promise<void> {
  if (!inputs.length) return;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  let seq = last?.seq ?? 0n;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date(Date.now());
  const rows: Prisma.AuditEventCreateManyInput[] = [];
  for (const input of inputs) {
    seq += 1n;
    const event = {
      seq,
      at,
      actorId: input.actorId,
      actorEmail: input.actorEmail,
      action: input.action,
      subjectType: input.subjectType,
      subjectId: input.subjectId,
      systemKey: input.systemKey ?? null,
      data: input.data ?? {},
    };
    const hash = hashEvent(prevHash, event);
    rows.push({ ...event, data: event.data as Prisma.InputJsonValue, prevHash, hash });
    prevHash = hash;
  }
  await tx.auditEvent.createMany({ data: rows });
}

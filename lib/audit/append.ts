// Appends one event to the hash chain inside the caller's transaction (docs/RULES.md, section 9).
// The transaction-scoped advisory lock serialises writers, and the sequence is read and assigned
// under it: a sequence assigned before the lock would let two writers link to the same parent.
import type { Prisma } from "@/lib/generated/prisma/client";
import { eventBodyAround, GENESIS_HASH, hashEvent, type ChainEvent, type JsonValue } from "@/lib/audit/chain";

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

/** The event's hashed fields but its sequence, which the chain's head decides. */
function unsequenced(at: Date, input: AuditInput): Omit<ChainEvent, "seq"> {
  return {
    at,
    actorId: input.actorId,
    actorEmail: input.actorEmail,
    action: input.action,
    subjectType: input.subjectType,
    subjectId: input.subjectId,
    systemKey: input.systemKey ?? null,
    data: input.data ?? {},
  };
}

/** The row of the event that follows `prev` in the chain. */
function chained(
  prev: { seq: bigint; hash: string },
  at: Date,
  input: AuditInput,
): Prisma.AuditEventCreateManyInput & { seq: bigint; hash: string } {
  const event = { seq: prev.seq + 1n, ...unsequenced(at, input) };
  const hash = hashEvent(prev.hash, event);
  return { ...event, data: event.data as Prisma.InputJsonValue, prevHash: prev.hash, hash };
}

/**
 * One event, in one statement that takes the lock, reads the head and inserts: the lock is then
 * held only until the caller commits, with no round trip to this process in between. The
 * database joins the body cut around the sequence (eventBodyAround) to the sequence it assigns
 * and hashes it; the row comes back and its hash is recomputed here, so a database that hashed
 * differently fails the command (and rolls it back) instead of writing a link the verifier rejects.
 */
export async function appendAuditEvent(tx: Prisma.TransactionClient, input: AuditInput) {
  // Millisecond precision, as stored, so the hash recomputed from the row matches.
  const at = new Date(Date.now());
  const event = unsequenced(at, input);
  const [before, after] = eventBodyAround(event);
  const [row] = await tx.$queryRaw<{ seq: bigint; prev_hash: string; hash: string }[]>`
    WITH head AS (
      SELECT coalesce(h.seq, 0) + 1 AS seq, coalesce(h.hash, ${GENESIS_HASH}) AS prev_hash
        FROM (VALUES (1)) one LEFT JOIN audit_chain_head(${AUDIT_LOCK_KEY}::bigint) h ON true
    )
    INSERT INTO audit_event (seq, at, actor_id, actor_email, action, subject_type, subject_id, system_key, data, prev_hash, hash)
    SELECT head.seq, ${at}, ${event.actorId}::uuid, ${event.actorEmail}, ${event.action}, ${event.subjectType}, ${event.subjectId},
           ${event.systemKey}, ${JSON.stringify(event.data)}::jsonb, head.prev_hash,
           encode(sha256(convert_to(head.prev_hash || ${before} || head.seq::text || ${after}, 'UTF8')), 'hex')
      FROM head
    RETURNING seq, prev_hash, hash`;
  if (!row || row.hash !== hashEvent(row.prev_hash, { ...event, seq: row.seq })) {
    throw new Error(
      "The database linked the audit event with a hash this process does not compute; nothing was written.",
    );
  }
  return { seq: row.seq, hash: row.hash };
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

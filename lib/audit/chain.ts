// The audit hash chain (docs/RULES.md, section 9), pure so that the writer, the seed and the
// verifier compute exactly the same hash: hash = sha256(prevHash ‖ canonical JSON of the event).
import { createHash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ChainEvent {
  seq: bigint;
  at: Date;
  actorId: string | null;
  actorEmail: string | null;
  action: string;
  subjectType: string;
  subjectId: string;
  systemKey: string | null;
  data: JsonValue;
}

/**
 * JSON with object keys sorted at every depth. Postgres jsonb reorders keys, so hashing the
 * canonical form is what lets a row read back from the database hash to the same value.
 */
export function canonicalJson(value: JsonValue): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) throw new Error("Non-finite number in audit data");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const keys = Object.keys(value)
    .filter((k) => value[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k] as JsonValue)}`).join(",")}}`;
}

export function hashEvent(prevHash: string, event: ChainEvent): string {
  const [before, after] = eventBodyAround(event);
  return createHash("sha256").update(prevHash).update(before).update(event.seq.toString()).update(after).digest("hex");
}

/**
 * The canonical JSON of an event, cut around its sequence number's digits: the body hashed is
 * `before + seq + after`. The writer sends both parts to the database, which joins them to the
 * sequence it assigns under the chain's lock (lib/audit/append.ts); nothing else is cut, so the
 * hash is exactly sha256(prevHash ‖ canonical JSON of the event).
 */
export function eventBodyAround(event: Omit<ChainEvent, "seq">): [before: string, after: string] {
  // The sequence is a string of digits in the JSON: a placeholder of the same kind marks its place.
  const marker = "SEQ";
  const body = canonicalJson({
    seq: marker,
    // Millisecond precision: the column is timestamptz(3), so this is what reads back.
    at: new Date(Math.floor(event.at.getTime())).toISOString(),
    actorId: event.actorId,
    actorEmail: event.actorEmail,
    action: event.action,
    subjectType: event.subjectType,
    subjectId: event.subjectId,
    systemKey: event.systemKey,
    data: event.data,
  });
  const prefix = `"seq":"`;
  const at = seqOffset(body, prefix);
  return [body.slice(0, at + prefix.length), body.slice(at + prefix.length + marker.length)];
}

/** Where the top-level "seq" entry starts: the canonical body's top-level keys are in a known order. */
function seqOffset(body: string, prefix: string): number {
  // "seq" sorts after "data" and before "subjectId". The data may hold the same text (a nested
  // "seq" beside a nested "subjectId"), but only before the top-level entry: everything after that
  // (subjectId, subjectType, systemKey) is JSON strings, whose quotes are escaped. So the last match
  // is the top-level one.
  const tail = `,${prefix}SEQ","subjectId":`;
  const at = body.lastIndexOf(tail);
  if (at < 0) throw new Error("The audit event's canonical body has no sequence entry");
  return at + 1;
}

export interface StoredEvent extends ChainEvent {
  prevHash: string;
  hash: string;
}

export type VerifyResult = { ok: true; events: number } | { ok: false; brokenAt: bigint; events: number };

/**
 * Walks events in sequence order and names the first one whose link or hash does not hold.
 * `previous` carries the state across batches so that a long chain can be verified in pages.
 */
export function verifyChain(
  events: Iterable<StoredEvent>,
  previous: { seq: bigint; hash: string } = { seq: 0n, hash: GENESIS_HASH },
): VerifyResult & { last: { seq: bigint; hash: string } } {
  let last = previous;
  let count = 0;
  for (const event of events) {
    count += 1;
    const linked = event.seq === last.seq + 1n && event.prevHash === last.hash;
    if (!linked || hashEvent(event.prevHash, event) !== event.hash) {
      return { ok: false, brokenAt: event.seq, events: count, last };
    }
    last = { seq: event.seq, hash: event.hash };
  }
  return { ok: true, events: count, last };
}

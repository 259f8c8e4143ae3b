// Reading and verifying the audit trail (docs/RULES.md, section 9), for leads and executives. Every
// list is keyset-paged on `seq` so that each filter runs on its (column, seq) index, and rows are
// mapped back to the exact values they were hashed from, so that verification recomputes the hash.
import "server-only";
import { GENESIS_HASH, verifyChain, type JsonValue, type StoredEvent } from "@/lib/audit/chain";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import {
  auditPageSchema,
  listAuditEventsSchema,
  type ActionFilter,
  type AuditPageInput,
  type ListAuditEventsInput,
} from "@/lib/data/audit.schema";
import { db } from "@/lib/db";
import { ValidationError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface AuditEventDto {
  /** The event's sequence number, as a decimal string (a bigint in the database). */
  seq: string;
  at: string;
  actor: { email: string } | null;
  action: string;
  subject: { type: string; id: string };
  systemKey: string | null;
  data: JsonValue;
  hash: string;
  prevHash: string;
}

export interface AuditEventList {
  events: AuditEventDto[];
  /** Pass as `after` for the next events; null when there were no more at the time of the call. */
  next: string | null;
}

export type AuditVerification = { ok: true; events: number } | { ok: false; brokenAt: string; events: number };

const eventSelect = {
  seq: true,
  at: true,
  actorId: true,
  actorEmail: true,
  action: true,
  subjectType: true,
  subjectId: true,
  systemKey: true,
  data: true,
  prevHash: true,
  hash: true,
} as const satisfies Prisma.AuditEventSelect;

type EventRow = Prisma.AuditEventGetPayload<{ select: typeof eventSelect }>;

/** The row as the chain hashed it: bigint seq, the millisecond Date, jsonb parsed back to JSON. */
function toStoredEvent(row: EventRow): StoredEvent {
  return { ...row, data: row.data as JsonValue };
}

function toDto(row: EventRow): AuditEventDto {
  return {
    seq: row.seq.toString(),
    at: row.at.toISOString(),
    actor: row.actorEmail === null ? null : { email: row.actorEmail },
    action: row.action,
    subject: { type: row.subjectType, id: row.subjectId },
    systemKey: row.systemKey,
    data: row.data as JsonValue,
    hash: row.hash,
    prevHash: row.prevHash,
  };
}

interface Filters {
  system?: string;
  actor?: string;
  action?: ActionFilter;
}

async function filterWhere(filters: Filters): Promise<Prisma.AuditEventWhereInput> {
  const where: Prisma.AuditEventWhereInput = {};
  if (filters.system) where.systemKey = filters.system;
  if (filters.actor) {
    // By the person's id (indexed with seq), so their events are found under an earlier email
    // too; an email nobody holds any more is still matched as it was recorded.
    const user = await db().user.findUnique({ where: { email: filters.actor }, select: { id: true } });
    if (user) where.actorId = user.id;
    else where.actorEmail = filters.actor;
  }
  if (filters.action) {
    // Prisma passes a prefix to LIKE as it is, so the one wildcard an action may hold ("_") is
    // escaped here; a prefix LIKE can use the (action, seq) index under the C collation.
    where.action =
      "exact" in filters.action
        ? filters.action.exact
        : { startsWith: filters.action.prefix.replace(/[\\%_]/g, "\\$&") };
  }
  return where;
}

const AUDIT_SUBJECT = { type: "audit_event", id: "*" };

/** For the audit page's gate: passes for leads and executives, else records the refusal and throws. */
export async function authorizeAuditRead(actor: Actor): Promise<void> {
  await authorize(actor, "audit.read", AUDIT_SUBJECT);
}

/** GET /api/v1/audit: events after `after`, oldest first, optionally filtered. */
export async function listAuditEvents(actor: Actor, input: ListAuditEventsInput = {}): Promise<AuditEventList> {
  await authorize(actor, "audit.read", AUDIT_SUBJECT);
  const parsed = listAuditEventsSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { after, limit, ...filters } = parsed.data;
  const where = await filterWhere(filters);
  const rows = await db().auditEvent.findMany({
    where: { AND: [where, { seq: { gt: after } }] },
    orderBy: { seq: "asc" },
    take: limit + 1,
    select: eventSelect,
  });
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  return { events: page.map(toDto), next: more ? page.at(-1)!.seq.toString() : null };
}

export interface AuditPage {
  /** Newest first. */
  events: AuditEventDto[];
  /** `after` for the page of newer events, when there are any. */
  newer: string | null;
  /** `before` for the page of older events, when there are any. */
  older: string | null;
}

/** The audit page: newest first, one page before `before` (or after `after`), filtered. */
export async function listAuditPage(actor: Actor, input: AuditPageInput = {}): Promise<AuditPage> {
  await authorize(actor, "audit.read", AUDIT_SUBJECT);
  const parsed = auditPageSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { before, after, limit, ...filters } = parsed.data;
  const where = await filterWhere(filters);
  const rows =
    after !== undefined
      ? (
          await db().auditEvent.findMany({
            where: { AND: [where, { seq: { gt: after } }] },
            orderBy: { seq: "asc" },
            take: limit,
            select: eventSelect,
          })
        ).reverse()
      : await db().auditEvent.findMany({
          where: before === undefined ? where : { AND: [where, { seq: { lt: before } }] },
          orderBy: { seq: "desc" },
          take: limit,
          select: eventSelect,
        });
  // The page's edges; an empty page keeps the cursor it was asked for, so both links still work.
  const top = rows[0]?.seq ?? (after !== undefined ? after : before !== undefined ? before - 1n : null);
  const bottom = rows.at(-1)?.seq ?? (after !== undefined ? after + 1n : (before ?? null));
  const exists = async (seq: Prisma.BigIntFilter) =>
    Boolean(await db().auditEvent.findFirst({ where: { AND: [where, { seq }] }, select: { seq: true } }));
  const [newer, older] = await Promise.all([
    top !== null && (after !== undefined || before !== undefined) ? exists({ gt: top }) : false,
    bottom !== null ? exists({ lt: bottom }) : false,
  ]);
  return {
    events: rows.map(toDto),
    newer: newer && top !== null ? top.toString() : null,
    older: older && bottom !== null ? bottom.toString() : null,
  };
}

// Rows per query while verifying: bounded memory whatever the chain's length.
const VERIFY_PAGE_SIZE = 5_000;

/**
 * Walks the whole chain from the first event and names the first event whose link or hash does
 * not hold. The operator's CLI calls it with the system actor (cliActor()).
 */
export async function verifyAuditChain(actor: Actor): Promise<AuditVerification> {
  await authorize(actor, "audit.read", { type: "audit_event", id: "chain" });
  let previous = { seq: 0n, hash: GENESIS_HASH };
  let events = 0;
  for (;;) {
    const rows = await db().auditEvent.findMany({
      where: { seq: { gt: previous.seq } },
      orderBy: { seq: "asc" },
      take: VERIFY_PAGE_SIZE,
      select: eventSelect,
    });
    const result = verifyChain(rows.map(toStoredEvent), previous);
    events += result.events;
    if (!result.ok) return { ok: false, brokenAt: result.brokenAt.toString(), events };
    if (rows.length < VERIFY_PAGE_SIZE) return { ok: true, events };
    previous = result.last;
  }
}

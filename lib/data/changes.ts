// The change gate's reads and the facts every change command decides on (docs/RULES.md, rule 16).
// A change's decision is never stored: it depends on the clock (approvals expire) and on the
// system's rollback milestone, so it is computed from the facts each time it is read.
import "server-only";
import type { RefusalCode } from "@/lib/domain/refusal";
import { isServiceAccountEmail } from "@/lib/domain/service-account";
import { appendAuditEvent } from "@/lib/audit/append";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize, denied } from "@/lib/data/authz";
import { changeIdSchema, listChangesSchema, type ChangeStatus } from "@/lib/data/changes.schema";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { changeLinksDigest } from "@/lib/domain/change-links-digest";
import {
  decideChange,
  decideChangeReview,
  type ChangeDecision,
  type ChangeFacts,
  type ChangeSystemFacts,
  type Missing,
} from "@/lib/domain/change-gate";
import { NotFound, ValidationError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Seniority, Tier } from "@/lib/generated/prisma/enums";

export type Tx = Prisma.TransactionClient;

export const ROLLBACK_MILESTONE_KEY = "rollback";

export interface PersonRef {
  email: string;
  name: string;
  seniority: Seniority;
}

export interface ChangeDecisionDto {
  allowed: boolean;
  reasons: string[];
  approvals: { reviewer: PersonRef; seniority: Seniority; at: string; expiresAt: string }[];
  missing: Missing[];
}

export interface ChangeReviewDto {
  id: string;
  reviewer: PersonRef;
  decision: "APPROVE" | "REQUEST_CHANGES";
  comment: string;
  seniority: Seniority;
  revision: number;
  /** Given on an earlier revision of the links (rule 16.4). */
  stale: boolean;
  at: string;
}

export interface ChangeOutcomeDto {
  kind: "SHIPPED" | "ROLLED_BACK";
  incidentUrl: string | null;
  /** Whether the gate allowed the change when this was recorded. */
  allowed: boolean;
  reasons: string[];
  recordedBy: { email: string; name: string };
  at: string;
}

export interface ChangeDto {
  id: string;
  system: { key: string; name: string; team: string; tier: Tier };
  title: string;
  url: string;
  aiAssisted: boolean;
  rollbackPlanUrl: string | null;
  docsUrl: string | null;
  plannedAt: string | null;
  author: PersonRef;
  coAuthors: PersonRef[];
  registeredBy: { email: string; name: string };
  serviceAccount: string | null;
  revision: number;
  version: number;
  status: ChangeStatus;
  createdAt: string;
  updatedAt: string;
  reviews: ChangeReviewDto[];
  outcomes: ChangeOutcomeDto[];
  decision: ChangeDecisionDto;
}

const person = { select: { id: true, email: true, name: true, seniority: true } } as const;

export const changeSelect = {
  id: true,
  title: true,
  url: true,
  aiAssisted: true,
  rollbackPlanUrl: true,
  docsUrl: true,
  plannedAt: true,
  revision: true,
  version: true,
  createdAt: true,
  updatedAt: true,
  firstCheckedAt: true,
  firstAllowedAt: true,
  system: { select: { id: true, key: true, name: true, team: true, tier: true } },
  author: person,
  registeredBy: { select: { email: true, name: true } },
  serviceAccount: { select: { name: true } },
  coAuthors: { select: { user: person } },
  reviews: {
    orderBy: { at: "asc" },
    select: {
      id: true,
      reviewerId: true,
      revision: true,
      renewal: true,
      decision: true,
      comment: true,
      seniority: true,
      at: true,
      reviewer: person,
    },
  },
  outcomes: {
    orderBy: { at: "asc" },
    select: {
      kind: true,
      incidentUrl: true,
      allowed: true,
      reasons: true,
      at: true,
      recordedBy: { select: { email: true, name: true } },
    },
  },
} satisfies Prisma.ChangeSelect;

export type ChangeRow = Prisma.ChangeGetPayload<{ select: typeof changeSelect }>;

const strip = ({ email, name, seniority }: { email: string; name: string; seniority: Seniority }): PersonRef => ({
  email,
  name,
  seniority,
});

export function approvalTtlDays(): number {
  return env().CHANGE_APPROVAL_TTL_DAYS;
}

export function stateOf(row: Pick<ChangeRow, "outcomes">): "OPEN" | "SHIPPED" | "ROLLED_BACK" {
  if (row.outcomes.some((o) => o.kind === "ROLLED_BACK")) return "ROLLED_BACK";
  return row.outcomes.some((o) => o.kind === "SHIPPED") ? "SHIPPED" : "OPEN";
}

export function factsOf(row: ChangeRow): ChangeFacts & { state: "OPEN" | "SHIPPED" | "ROLLED_BACK" } {
  return {
    author: { id: row.author.id, name: row.author.name, seniority: row.author.seniority },
    coAuthorIds: row.coAuthors.map((c) => c.user.id),
    aiAssisted: row.aiAssisted,
    rollbackPlanUrl: row.rollbackPlanUrl,
    revision: row.revision,
    shippedAt: row.outcomes.find((o) => o.kind === "SHIPPED")?.at ?? null,
    reviews: row.reviews.map((r) => ({
      reviewerId: r.reviewerId,
      reviewerName: r.reviewer.name,
      seniority: r.seniority,
      decision: r.decision,
      comment: r.comment,
      revision: r.revision,
      at: r.at,
    })),
    state: stateOf(row),
  };
}

/** The status of each system's `rollback` checkpoint in the active program (rule 16.3). */
export async function rollbackStatuses(tx: Tx, systemIds: string[]): Promise<Map<string, string>> {
  if (!systemIds.length) return new Map();
  const rows = await tx.checkpoint.findMany({
    where: {
      systemId: { in: [...new Set(systemIds)] },
      milestone: { key: ROLLBACK_MILESTONE_KEY, program: { active: true } },
    },
    select: { systemId: true, status: true },
  });
  return new Map(rows.map((r) => [r.systemId, r.status]));
}

export function systemFactsOf(row: ChangeRow, rollback: Map<string, string>): ChangeSystemFacts {
  return { tier: row.system.tier, rollbackStatus: rollback.get(row.system.id) ?? null };
}

export function decisionOf(row: ChangeRow, rollback: Map<string, string>, now = new Date()): ChangeDecision {
  return decideChange(factsOf(row), systemFactsOf(row, rollback), { now, approvalTtlDays: approvalTtlDays() });
}

function decisionDto(row: ChangeRow, decision: ChangeDecision): ChangeDecisionDto {
  const byId = new Map(row.reviews.map((r) => [r.reviewerId, r.reviewer]));
  return {
    allowed: decision.allowed,
    reasons: decision.reasons,
    approvals: decision.approvals.map((a) => ({
      reviewer: strip(byId.get(a.reviewerId)!),
      seniority: a.seniority,
      at: a.at.toISOString(),
      expiresAt: a.expiresAt.toISOString(),
    })),
    missing: decision.missing,
  };
}

export function toChangeDto(row: ChangeRow, rollback: Map<string, string>, now = new Date()): ChangeDto {
  const decision = decisionOf(row, rollback, now);
  const state = stateOf(row);
  return {
    id: row.id,
    system: { key: row.system.key, name: row.system.name, team: row.system.team, tier: row.system.tier },
    title: row.title,
    url: row.url,
    aiAssisted: row.aiAssisted,
    rollbackPlanUrl: row.rollbackPlanUrl,
    docsUrl: row.docsUrl,
    plannedAt: row.plannedAt?.toISOString() ?? null,
    author: strip(row.author),
    coAuthors: row.coAuthors.map((c) => strip(c.user)),
    registeredBy: row.registeredBy,
    serviceAccount: row.serviceAccount?.name ?? null,
    revision: row.revision,
    version: row.version,
    status:
      state === "ROLLED_BACK"
        ? "rolled_back"
        : state === "SHIPPED"
          ? "shipped"
          : decision.allowed
            ? "allowed"
            : "blocked",
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    reviews: row.reviews.map((r) => ({
      id: r.id,
      reviewer: strip(r.reviewer),
      decision: r.decision,
      comment: r.comment,
      seniority: r.seniority,
      revision: r.revision,
      stale: r.revision < row.revision,
      at: r.at.toISOString(),
    })),
    outcomes: row.outcomes.map((o) => ({
      kind: o.kind,
      incidentUrl: o.incidentUrl,
      allowed: o.allowed,
      reasons: Array.isArray(o.reasons) ? (o.reasons as string[]) : [],
      recordedBy: o.recordedBy,
      at: o.at.toISOString(),
    })),
    decision: decisionDto(row, decision),
  };
}

/** sha256 of the links a reviewer saw, frozen with the review so that it stays provable. */
export const linksDigest = changeLinksDigest;

export type Caller =
  | { kind: "person"; actor: Extract<Actor, { kind: "user" }> }
  | {
      kind: "service";
      actor: Extract<Actor, { kind: "user" }>;
      account: { id: string; name: string; systemIds: string[]; teams: string[] };
    }
  | { kind: "operator" };

/**
 * Who is asking: a person, a service account (with its scope), or the operator's CLI. An address
 * in the service-account domain without a live account behind it is refused, never treated as a
 * person.
 */
export async function callerOf(tx: Tx, actor: Actor): Promise<Caller> {
  if (actor.kind === "system") return { kind: "operator" };
  if (!isServiceAccountEmail(actor.email)) return { kind: "person", actor };
  const account = await tx.serviceAccount.findUnique({
    where: { userId: actor.id },
    select: { id: true, name: true, revokedAt: true, scopes: { select: { systemId: true, team: true } } },
  });
  if (!account || account.revokedAt)
    return denied(
      actor,
      "change.service_account",
      { type: "service_account", id: actor.id },
      "This service account is revoked.",
    );
  return {
    kind: "service",
    actor,
    account: {
      id: account.id,
      name: account.name,
      systemIds: account.scopes.flatMap((s) => (s.systemId ? [s.systemId] : [])),
      teams: account.scopes.flatMap((s) => (s.team ? [s.team] : [])),
    },
  };
}

export function inScope(caller: Extract<Caller, { kind: "service" }>, system: { id: string; team: string }): boolean {
  return caller.account.systemIds.includes(system.id) || caller.account.teams.includes(system.team);
}

/**
 * Serialises the commands on one change: each takes the change's row lock before it reads, so a
 * racing reviewer sees the review that won, and no two writers can each hold what the other needs
 * (a pending unique-index entry on one side, the audit chain's lock on the other).
 */
export async function lockChange(tx: Tx, rawId: string): Promise<void> {
  const id = changeIdSchema.safeParse(rawId);
  if (id.success) await tx.$executeRaw`SELECT 1 FROM "change" WHERE "id" = ${id.data}::uuid FOR UPDATE`;
}

/** Commands on one change queue behind its row lock; give them longer than Prisma's 2 s to get a connection. */
export const CHANGE_TX = { maxWait: 15_000, timeout: 20_000 } as const;

export async function loadChange(tx: Tx, rawId: string): Promise<ChangeRow> {
  const id = changeIdSchema.safeParse(rawId);
  if (!id.success) throw new NotFound(`There is no change with the id “${rawId}”.`);
  const row = await tx.change.findUnique({ where: { id: id.data }, select: changeSelect });
  if (!row) throw new NotFound(`There is no change with the id “${id.data}”.`);
  return row;
}

async function readableBy(tx: Tx, actor: Actor, row: ChangeRow, attempted: string): Promise<Caller> {
  const caller = await callerOf(tx, actor);
  if (caller.kind === "service" && !inScope(caller, row.system)) {
    await denied(
      actor,
      attempted,
      { type: "change", id: row.id, systemKey: row.system.key },
      "This service account is not scoped to this change's system.",
    );
  }
  return caller;
}

/** GET /api/v1/changes/{id}: the change with its reviews, outcomes and decision. */
export async function getChange(actor: Actor, id: string): Promise<ChangeDto> {
  await authorize(actor, "system.read", { type: "change", id });
  return db().$transaction(async (tx) => {
    const row = await loadChange(tx, id);
    const caller = await readableBy(tx, actor, row, "change.read");
    // Service accounts read decisions only; the change record is for people.
    if (caller.kind === "service")
      await denied(
        actor,
        "change.read",
        { type: "change", id: row.id, systemKey: row.system.key },
        "A service account may read a change's decision only.",
      );
    return toChangeDto(row, await rollbackStatuses(tx, [row.system.id]));
  });
}

/**
 * GET /api/v1/changes/{id}/decision and `gate check`: the pipeline's question. The first answer is
 * remembered ("blocked at first ask"), as is the first time the change was seen allowed; a
 * service account's every question is an audit event.
 */
export async function getChangeDecision(
  actor: Actor,
  id: string,
): Promise<ChangeDecisionDto & { id: string; status: ChangeStatus }> {
  await authorize(actor, "system.read", { type: "change", id });
  return db().$transaction(async (tx) => {
    const row = await loadChange(tx, id);
    const caller = await readableBy(tx, actor, row, "change.decision");
    const now = new Date();
    const dto = toChangeDto(row, await rollbackStatuses(tx, [row.system.id]), now);
    await noteDecision(tx, row, dto.decision.allowed, now, { ask: true });
    if (caller.kind === "service") {
      await appendAuditEvent(tx, {
        ...auditActor(actor),
        action: "change.decision_read",
        subjectType: "change",
        subjectId: row.id,
        systemKey: row.system.key,
        data: { serviceAccount: caller.account.name, allowed: dto.decision.allowed, revision: row.revision },
      });
    }
    return { id: row.id, status: dto.status, ...dto.decision };
  });
}

/** Remembers the first ask and the first allowed decision, once each, whoever gets there first. */
export async function noteDecision(
  tx: Tx,
  row: Pick<ChangeRow, "id" | "firstCheckedAt" | "firstAllowedAt">,
  allowed: boolean,
  now: Date,
  options: { ask: boolean },
) {
  if (options.ask && !row.firstCheckedAt) {
    await tx.change.updateMany({
      where: { id: row.id, firstCheckedAt: null },
      data: { firstCheckedAt: now, firstCheckAllowed: allowed },
    });
  }
  if (allowed && !row.firstAllowedAt)
    await tx.change.updateMany({ where: { id: row.id, firstAllowedAt: null }, data: { firstAllowedAt: now } });
}

/** GET /api/v1/changes: newest first, filtered by system and status. */
export async function listChanges(actor: Actor, query: unknown): Promise<ChangeDto[]> {
  await authorize(actor, "system.read", { type: "change", id: "*" });
  const parsed = listChangesSchema.safeParse(query ?? {});
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { system, status, limit, before } = parsed.data;
  return db().$transaction(async (tx) => {
    const caller = await callerOf(tx, actor);
    if (caller.kind === "service")
      await denied(
        actor,
        "change.list",
        { type: "change", id: "*" },
        "A service account may read a change's decision only.",
      );
    const filter: Prisma.ChangeWhereInput = {
      ...(system ? { system: { key: system } } : {}),
      ...(status === "shipped" ? { outcomes: { some: { kind: "SHIPPED" }, none: { kind: "ROLLED_BACK" } } } : {}),
      ...(status === "rolled_back" ? { outcomes: { some: { kind: "ROLLED_BACK" } } } : {}),
      ...(status === "blocked" || status === "allowed" ? { outcomes: { none: {} } } : {}),
    };
    // Newest first, (createdAt, id) as the key so that a page never repeats or skips a change.
    let cursor = before
      ? await tx.change.findUnique({ where: { id: before }, select: { id: true, createdAt: true } })
      : null;
    if (before && !cursor)
      throw new ValidationError("before must be the id of a change", { before: ["There is no change with that id."] });
    // Blocked and allowed are decided, not stored (the clock and the rollback milestone move
    // them): read open changes in batches and decide each until the page is full.
    const decided = status === "blocked" || status === "allowed";
    const page: ChangeDto[] = [];
    const now = new Date();
    for (;;) {
      const rows = await tx.change.findMany({
        where: cursor
          ? {
              AND: [
                filter,
                {
                  OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }],
                },
              ],
            }
          : filter,
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        take: decided ? 200 : limit,
        select: changeSelect,
      });
      const rollback = await rollbackStatuses(
        tx,
        rows.map((r) => r.system.id),
      );
      for (const row of rows) {
        const dto = toChangeDto(row, rollback, now);
        if (!status || dto.status === status) page.push(dto);
      }
      const last = rows.at(-1);
      if (!decided || page.length >= limit || !last || rows.length < 200) break;
      cursor = { id: last.id, createdAt: last.createdAt };
    }
    return page.slice(0, limit);
  });
}

/** What a person may do on a change, decided by the same rules the commands apply (for the UI). */
export async function changeActionsFor(
  actor: Actor,
  change: ChangeDto,
): Promise<{ review: { allowed: boolean; reason: string; code?: RefusalCode }; edit: boolean; outcome: boolean }> {
  if (actor.kind !== "user") return { review: { allowed: false, reason: "" }, edit: false, outcome: false };
  return db().$transaction(async (tx) => {
    const row = await loadChange(tx, change.id);
    const assignments = await tx.assignment.findMany({
      where: { systemId: row.system.id, kind: "REVIEWER" },
      select: { userId: true },
    });
    const facts = factsOf(row);
    const review = decideChangeReview(
      {
        reviewer: { id: actor.id, role: actor.role, seniority: actor.seniority },
        change: facts,
        reviewerIds: assignments.map((a) => a.userId),
      },
      "APPROVE",
      "",
      { now: new Date(), approvalTtlDays: approvalTtlDays() },
    );
    const authorLike = facts.author.id === actor.id || facts.coAuthorIds.includes(actor.id) || actor.role === "LEAD";
    return {
      review: review.ok ? { allowed: true, reason: "" } : { allowed: false, reason: review.reason, code: review.code },
      edit: authorLike && facts.state === "OPEN",
      outcome: authorLike,
    };
  });
}

/** The systems this person may register changes for, for the register form's picker. */
export async function authorableSystems(actor: Actor): Promise<{ key: string; name: string }[]> {
  if (actor.kind !== "user" || actor.role === "EXECUTIVE" || isServiceAccountEmail(actor.email)) return [];
  return db().system.findMany({
    where: actor.role === "LEAD" ? {} : { assignments: { some: { userId: actor.id } } },
    orderBy: { name: "asc" },
    select: { key: true, name: true },
    take: 2000,
  });
}

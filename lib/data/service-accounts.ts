// Service accounts for deploy pipelines (docs/RULES.md, rule 16): created and revoked by leads.
// Each is an app_user row in the reserved service-account domain with one API token, shown once;
// lib/api/route.ts refuses such tokens everywhere except the change gate's endpoints.
import "server-only";
import { randomBytes } from "node:crypto";
import { serviceAccountEmail } from "@/lib/domain/service-account";
import { generateApiToken } from "@/lib/data/api-token";
import { appendAuditEvent } from "@/lib/audit/append";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { createServiceAccountSchema } from "@/lib/data/changes.schema";
import { db } from "@/lib/db";
import { NotFound, RuleViolation, ValidationError } from "@/lib/errors";
import { z } from "zod";

export interface ServiceAccountDto {
  id: string;
  name: string;
  email: string;
  systems: string[];
  teams: string[];
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
  tokenPrefix: string | null;
  lastUsedAt: string | null;
}

const select = {
  id: true,
  name: true,
  createdAt: true,
  revokedAt: true,
  createdBy: { select: { name: true } },
  user: {
    select: {
      email: true,
      apiTokens: { where: { revokedAt: null }, select: { prefix: true, lastUsedAt: true }, take: 1 },
    },
  },
  scopes: { select: { team: true, system: { select: { key: true } } } },
} as const;

type Row = {
  id: string;
  name: string;
  createdAt: Date;
  revokedAt: Date | null;
  createdBy: { name: string };
  user: { email: string; apiTokens: { prefix: string; lastUsedAt: Date | null }[] };
  scopes: { team: string | null; system: { key: string } | null }[];
};

function dto(row: Row): ServiceAccountDto {
  const token = row.user.apiTokens[0] ?? null;
  return {
    id: row.id,
    name: row.name,
    email: row.user.email,
    systems: row.scopes.flatMap((s) => (s.system ? [s.system.key] : [])).sort(),
    teams: row.scopes.flatMap((s) => (s.team ? [s.team] : [])).sort(),
    createdAt: row.createdAt.toISOString(),
    createdBy: row.createdBy.name,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    tokenPrefix: token?.prefix ?? null,
    lastUsedAt: token?.lastUsedAt?.toISOString() ?? null,
  };
}

/** A lead creates a pipeline identity scoped to systems and teams; its token is returned once. */
export async function createServiceAccount(
  actor: Actor,
  input: unknown,
): Promise<{ token: string; account: ServiceAccountDto }> {
  await authorize(actor, "user.manage", { type: "service_account", id: "new" });
  const parsed = createServiceAccountSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { name, systems, teams } = parsed.data;
  if (actor.kind !== "user") throw new RuleViolation("Service accounts are created by a signed-in program lead.");
  const { token, hash, prefix } = generateApiToken();
  return db().$transaction(async (tx) => {
    const found = systems.length
      ? await tx.system.findMany({ where: { key: { in: systems } }, select: { id: true, key: true } })
      : [];
    const unknown = systems.filter((k) => !found.some((s) => s.key === k));
    if (unknown.length)
      throw new ValidationError(`There is no system with the key ${unknown.join(", ")}`, {
        systems: [`Unknown: ${unknown.join(", ")}`],
      });
    // A pipeline identity: it cannot sign in (no password, an address no identity provider has)
    // and an engineer without assignments, so even a route that forgot to refuse it grants nothing.
    const user = await tx.user.create({
      data: {
        email: serviceAccountEmail(name, randomBytes(3).toString("hex")),
        name: `${name} (service account)`,
        role: "ENGINEER",
        seniority: "JUNIOR",
        passwordHash: null,
      },
      select: { id: true, email: true },
    });
    const account = await tx.serviceAccount.create({
      data: {
        userId: user.id,
        name,
        createdById: actor.id,
        scopes: {
          create: [...found.map((s) => ({ systemId: s.id })), ...[...new Set(teams)].map((team) => ({ team }))],
        },
      },
      select: { id: true },
    });
    await tx.apiToken.create({ data: { userId: user.id, name: `${name} pipeline token`, tokenHash: hash, prefix } });
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "service_account.create",
      subjectType: "service_account",
      subjectId: account.id,
      data: { name, email: user.email, systems: found.map((s) => s.key), teams, tokenPrefix: prefix },
    });
    return { token, account: dto(await tx.serviceAccount.findUniqueOrThrow({ where: { id: account.id }, select })) };
  });
}

export async function listServiceAccounts(actor: Actor): Promise<ServiceAccountDto[]> {
  await authorize(actor, "user.manage", { type: "service_account", id: "*" });
  const rows = await db().serviceAccount.findMany({
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select,
    take: 200,
  });
  return rows.map(dto);
}

/** Revoking ends the token and deactivates the account's user, at once and for good. */
export async function revokeServiceAccount(actor: Actor, rawId: unknown): Promise<void> {
  await authorize(actor, "user.manage", { type: "service_account", id: String(rawId) });
  const id = z.uuid().safeParse(rawId);
  if (!id.success) throw new ValidationError("Unknown service account", { id: ["must be a service account id"] });
  if (actor.kind !== "user") throw new RuleViolation("Service accounts are revoked by a signed-in program lead.");
  await db().$transaction(async (tx) => {
    const account = await tx.serviceAccount.findUnique({
      where: { id: id.data },
      select: { id: true, name: true, userId: true, revokedAt: true },
    });
    if (!account) throw new NotFound("No such service account.");
    if (account.revokedAt) return;
    const now = new Date();
    await tx.serviceAccount.update({ where: { id: account.id }, data: { revokedAt: now, revokedById: actor.id } });
    await tx.apiToken.updateMany({ where: { userId: account.userId, revokedAt: null }, data: { revokedAt: now } });
    await tx.user.update({ where: { id: account.userId }, data: { active: false } });
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "service_account.revoke",
      subjectType: "service_account",
      subjectId: account.id,
      data: { name: account.name },
    });
  });
}

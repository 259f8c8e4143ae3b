// API tokens: created by a user for themself (shown once), listed without secrets, revoked by
// their owner or by a lead. Presenting a token acts as its user with that user's permissions.
import "server-only";
import { z } from "zod";
import { appendAuditEvent } from "@/lib/audit/append";
import { generateApiToken, hashApiToken, looksLikeApiToken } from "@/lib/data/api-token";
import { can } from "@/lib/domain/permissions";
import { auditActor, type Actor } from "@/lib/data/actor";
import { denied } from "@/lib/data/authz";
import { db } from "@/lib/db";
import { NotFound, Unauthenticated, ValidationError } from "@/lib/errors";
import { wholeNumber } from "@/lib/validation/number";
import { singleLineText } from "@/lib/validation/text";
import type { SignedInUser } from "@/lib/data/sign-in";

export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 366;

export const createTokenSchema = z.object({
  name: singleLineText("A token name", "Give the token a name")
    .trim()
    .min(1, "Give the token a name")
    .max(100, "A token name has at most 100 characters"),
  /** Days until the token stops working; null: it never expires (it can still be revoked). */
  expiresInDays: wholeNumber("expiresInDays", { min: 1, max: TOKEN_MAX_DAYS }).nullable().default(TOKEN_DEFAULT_DAYS),
});

export interface ApiTokenDto {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  expiresAt: Date | null;
  user: { email: string; name: string };
}

const tokenSelect = {
  id: true,
  name: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  expiresAt: true,
  user: { select: { email: true, name: true } },
} as const;

/** Creates a token for `userId` (the actor themself, or anyone when the operator's CLI asks). */
export async function createApiToken(
  actor: Actor,
  userId: string,
  input: unknown,
): Promise<{ token: string; apiToken: ApiTokenDto }> {
  if (actor.kind === "user" && (actor.id !== userId || !can(actor, "token.create"))) {
    await denied(actor, "token.create", { type: "user", id: userId });
  }
  const parsed = createTokenSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  const { token, hash, prefix } = generateApiToken();
  return db().$transaction(async (tx) => {
    const owner = await tx.user.findUnique({ where: { id: userId }, select: { id: true, active: true } });
    if (!owner?.active) throw new NotFound("No active user to create a token for.");
    const { name, expiresInDays } = parsed.data;
    const expiresAt = expiresInDays === null ? null : new Date(Date.now() + expiresInDays * 86_400_000);
    const apiToken = await tx.apiToken.create({
      data: { userId, name, tokenHash: hash, prefix, expiresAt },
      select: tokenSelect,
    });
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "token.create",
      subjectType: "api_token",
      subjectId: apiToken.id,
      data: { name: apiToken.name, prefix, user: apiToken.user.email, expiresAt: expiresAt?.toISOString() ?? null },
    });
    return { token, apiToken };
  });
}

export async function listApiTokens(
  actor: Actor,
  scope: "mine" | "all",
): Promise<(ApiTokenDto & { expired: boolean })[]> {
  if (actor.kind !== "user") return [];
  if (scope === "all" && !can(actor, "token.list_all"))
    await denied(actor, "token.list_all", { type: "api_token", id: "*" });
  const tokens = await db().apiToken.findMany({
    where: scope === "mine" ? { userId: actor.id } : { revokedAt: null },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
    select: tokenSelect,
    take: 500,
  });
  const now = Date.now();
  return tokens.map((token) => ({ ...token, expired: token.expiresAt !== null && token.expiresAt.getTime() <= now }));
}

export async function revokeApiToken(actor: Actor, tokenId: unknown): Promise<void> {
  const id = z.uuid().safeParse(tokenId);
  if (!id.success) throw new ValidationError("Unknown token id", { tokenId: ["must be a token id"] });
  await db().$transaction(async (tx) => {
    const token = await tx.apiToken.findUnique({
      where: { id: id.data },
      select: { id: true, userId: true, revokedAt: true, name: true },
    });
    if (!token) throw new NotFound("No such token.");
    const own = actor.kind === "user" && actor.id === token.userId;
    if (actor.kind === "user" && !(own ? can(actor, "token.revoke") : can(actor, "token.revoke_any"))) {
      throw await denied(actor, "token.revoke", { type: "api_token", id: token.id });
    }
    if (token.revokedAt) return;
    await tx.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "token.revoke",
      subjectType: "api_token",
      subjectId: token.id,
      data: { name: token.name },
    });
  });
}

// Last-used times are recorded at most once a minute per token: a write per API call would
// turn every read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

/** The active user a presented token acts as, or null for an unknown, revoked or deactivated one; an expired one is a 401 that says so. */
export async function authenticateApiToken(token: string): Promise<SignedInUser | null> {
  if (!looksLikeApiToken(token)) return null;
  const now = new Date();
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  // One statement: the token and its user, and the last-used time moved forward when it is
  // older than the resolution and the token is usable (every API call pays this read).
  const [found] = await db().$queryRaw<
    {
      revoked: boolean;
      expires_at: Date | null;
      id: string;
      email: string;
      name: string;
      role: SignedInUser["role"];
      seniority: SignedInUser["seniority"];
      active: boolean;
    }[]
  >`
    WITH found AS (
      SELECT t.id AS token_id, t.revoked_at IS NOT NULL AS revoked, t.expires_at, t.last_used_at,
             u.id, u.email, u.name, u.role::text AS role, u.seniority::text AS seniority, u.active
        FROM api_token t JOIN app_user u ON u.id = t.user_id
       WHERE t.token_hash = ${hashApiToken(token)}
    ), touched AS (
      UPDATE api_token t SET last_used_at = ${now}
        FROM found f
       WHERE t.id = f.token_id AND NOT f.revoked AND f.active AND (f.expires_at IS NULL OR f.expires_at > ${now})
         AND (f.last_used_at IS NULL OR f.last_used_at < ${stale})
    )
    SELECT revoked, expires_at, id, email, name, role, seniority, active FROM found`;
  if (!found || found.revoked || !found.active) return null;
  // Said plainly, so that a script's owner knows to make a new token rather than debug theirs.
  if (found.expires_at && found.expires_at.getTime() <= now.getTime()) {
    throw new Unauthenticated(
      `This API token expired on ${found.expires_at.toISOString()}. Create a new one under Settings or with \`token create\`.`,
    );
  }
  return { id: found.id, email: found.email, name: found.name, role: found.role, seniority: found.seniority };
}

// Sign-in decisions: password check, OpenID Connect account matching, and the brute-force limit.
// Attempts are counted in Postgres so the limit holds across every app instance; every sign-in,
// successful, failed or refused, is an audit event.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import { randomBytes } from "node:crypto";
import { hashPassword, verifyPassword } from "@/lib/data/password";
import { emailSchema } from "@/lib/data/users.schema";
import { db } from "@/lib/db";
import type { Role, Seniority } from "@/lib/generated/prisma/enums";

export const ACCOUNT_FAILURE_LIMIT = 20;
export const IP_FAILURE_LIMIT = 100;
export const FAILURE_WINDOW_MS = 60_000;

export interface SignedInUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  seniority: Seniority;
}

export type SignInResult =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: "invalid" | "inactive" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/** Whether another attempt is allowed now: at most 20 failures a minute per account, 100 per IP. */
export async function signInAllowance(
  email: string,
  ip: string,
): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }> {
  const since = new Date(Date.now() - FAILURE_WINDOW_MS);
  const [byAccount, byIp] = await Promise.all([
    db().loginAttempt.findMany({
      where: { email, success: false, at: { gte: since } },
      orderBy: { at: "asc" },
      select: { at: true },
      take: ACCOUNT_FAILURE_LIMIT,
    }),
    db().loginAttempt.count({ where: { ip, success: false, at: { gte: since } } }),
  ]);
  if (byAccount.length < ACCOUNT_FAILURE_LIMIT && byIp < IP_FAILURE_LIMIT) return { allowed: true };
  // The window slides: the oldest counted failure leaving it frees the next attempt.
  const oldest = byAccount[0]?.at ?? since;
  const retryAfterSeconds = Math.max(1, Math.ceil((oldest.getTime() + FAILURE_WINDOW_MS - Date.now()) / 1000));
  return { allowed: false, retryAfterSeconds };
}

let standIn: Promise<string> | undefined;
const standInHash = () => (standIn ??= hashPassword(randomBytes(16).toString("hex")));

const signedInSelect = { id: true, email: true, name: true, role: true, seniority: true, active: true } as const;

export async function signInWithPassword(rawEmail: unknown, password: unknown, ip: string): Promise<SignInResult> {
  const parsedEmail = emailSchema.safeParse(rawEmail);
  // A malformed address is still counted against (and audited as) what was typed, made storable:
  // Postgres refuses NUL and JSON cannot carry a lone surrogate.
  const email = parsedEmail.success
    ? parsedEmail.data
    : String(rawEmail ?? "")
        .toWellFormed()
        .replace(/[\u0000-\u001f\u007f]/g, "\uFFFD")
        .slice(0, 254)
        .toLowerCase();
  const allowance = await signInAllowance(email, ip);
  if (!allowance.allowed) {
    await db().$transaction(async (tx) => {
      await appendAuditEvent(tx, {
        actorId: null,
        actorEmail: null,
        action: "auth.sign_in_refused",
        subjectType: "user",
        subjectId: email,
        data: { method: "password", reason: "rate_limited", ip },
      });
    });
    return { ok: false, reason: "rate_limited", retryAfterSeconds: allowance.retryAfterSeconds };
  }

  const user =
    parsedEmail.success && typeof password === "string" && password.length > 0 && password.length <= 200
      ? await db().user.findUnique({ where: { email }, select: { ...signedInSelect, passwordHash: true } })
      : null;
  // Verify against a stand-in hash when there is no such user, so the response time does not
  // tell an attacker which emails have accounts.
  const valid = user?.passwordHash
    ? await verifyPassword(user.passwordHash, password as string)
    : (await verifyPassword(await standInHash(), typeof password === "string" ? password : "")) && false;
  const success = valid && Boolean(user?.active);

  await db().$transaction(async (tx) => {
    await tx.loginAttempt.create({ data: { email, ip, success } });
    await appendAuditEvent(tx, {
      actorId: success ? user!.id : null,
      actorEmail: success ? user!.email : null,
      action: success ? "auth.sign_in" : "auth.sign_in_failed",
      subjectType: "user",
      subjectId: user?.id ?? email,
      data: { method: "password", ip, ...(success ? {} : { reason: valid ? "inactive" : "invalid" }) },
    });
  });
  if (!success || !user) return { ok: false, reason: valid ? "inactive" : "invalid" };
  const { passwordHash: _hash, active: _active, ...signedIn } = user;
  return { ok: true, user: signedIn };
}

/**
 * The account an OpenID Connect sign-in belongs to, matched by email. A person without an account
 * gets one (ENGINEER, MID) only when their email's domain is allowed.
 */
export async function signInWithOidc(
  profile: { email?: unknown; name?: unknown; emailVerified?: unknown },
  allowedDomains: readonly string[],
  ip: string,
): Promise<SignInResult> {
  const parsed = emailSchema.safeParse(profile.email);
  if (!parsed.success || profile.emailVerified === false) return { ok: false, reason: "invalid" };
  const email = parsed.data;
  return db().$transaction(async (tx) => {
    let user = await tx.user.findUnique({ where: { email }, select: signedInSelect });
    const domain = email.split("@")[1] ?? "";
    if (!user && allowedDomains.includes(domain)) {
      const name = typeof profile.name === "string" && profile.name.trim() ? profile.name.trim().slice(0, 200) : email;
      user = await tx.user.create({
        data: { email, name, role: "ENGINEER", seniority: "MID" },
        select: signedInSelect,
      });
      await appendAuditEvent(tx, {
        actorId: user.id,
        actorEmail: user.email,
        action: "user.create",
        subjectType: "user",
        subjectId: user.id,
        data: { email, name, role: user.role, seniority: user.seniority, via: "oidc" },
      });
    }
    const success = Boolean(user?.active);
    await tx.loginAttempt.create({ data: { email, ip, success } });
    await appendAuditEvent(tx, {
      actorId: success ? user!.id : null,
      actorEmail: success ? email : null,
      action: success ? "auth.sign_in" : "auth.sign_in_failed",
      subjectType: "user",
      subjectId: user?.id ?? email,
      data: { method: "oidc", ip, ...(success ? {} : { reason: user ? "inactive" : "no_account" }) },
    });
    if (!success || !user) return { ok: false, reason: user ? "inactive" : "invalid" } as const;
    const { active: _active, ...signedIn } = user;
    return { ok: true, user: signedIn } as const;
  });
}

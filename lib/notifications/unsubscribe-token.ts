// One-click unsubscribe tokens (RFC 8058; docs/RULES.md, section 7): a person and the events whose
// e-mail the link turns off, signed with a key derived from NEXTAUTH_SECRET, so that a link can be
// neither forged nor edited to name another person or event. Tokens do not expire: a mail read a
// month later must still unsubscribe. No "server-only": the outbox renders them from the sweep.
import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "@/lib/env";
import { NotificationEvent } from "@/lib/generated/prisma/enums";

const VERSION = "v1";
const EVENTS = new Set<string>(Object.values(NotificationEvent));

export const UNSUBSCRIBE_PATH = "/api/v1/notifications/unsubscribe";

/**
 * The signing key: an HMAC of a fixed label under the session secret, so that a token and a
 * session cookie are never signed by the same key. Null without NEXTAUTH_SECRET (a lab run):
 * mails then offer only the settings page.
 */
function unsubscribeKey(): Buffer | null {
  const secret = env().NEXTAUTH_SECRET;
  return secret ? createHmac("sha256", secret).update("resetboard one-click unsubscribe").digest() : null;
}

function sign(key: Buffer, body: string): string {
  return createHmac("sha256", key).update(body).digest("base64url");
}

export function unsubscribeToken(userId: string, events: readonly NotificationEvent[]): string | null {
  const key = unsubscribeKey();
  if (!key) return null;
  const body = `${VERSION}.${userId}.${[...new Set(events)].sort().join(",")}`;
  return `${body}.${sign(key, body)}`;
}

/** The absolute one-click URL for a person and events, or null when tokens cannot be signed. */
export function unsubscribeUrl(baseUrl: string, userId: string, events: readonly NotificationEvent[]): string | null {
  const token = unsubscribeToken(userId, events);
  return token ? `${baseUrl.replace(/\/$/, "")}${UNSUBSCRIBE_PATH}?token=${encodeURIComponent(token)}` : null;
}

export type TokenReading =
  { ok: true; userId: string; events: NotificationEvent[] } | { ok: false; reason: "not_configured" | "invalid" };

/** Checks the signature (in constant time) before believing anything the token says. */
export function readUnsubscribeToken(token: string): TokenReading {
  const key = unsubscribeKey();
  if (!key) return { ok: false, reason: "not_configured" };
  const parts = token.split(".");
  if (parts.length !== 4 || parts[0] !== VERSION) return { ok: false, reason: "invalid" };
  const [version, userId, events, signature] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(key, `${version}.${userId}.${events}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: "invalid" };
  const list = events.split(",");
  if (!/^[0-9a-f-]{36}$/.test(userId) || list.length === 0 || !list.every((e) => EVENTS.has(e)))
    return { ok: false, reason: "invalid" };
  return { ok: true, userId, events: list as NotificationEvent[] };
}

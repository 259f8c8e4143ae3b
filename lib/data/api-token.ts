// API tokens: random, shown once, stored as a SHA-256 hash (a fast hash is right here: the token
// has 256 bits of entropy, so there is nothing to brute-force, unlike a password).
import { createHash, randomBytes } from "node:crypto";

const PREFIX = "rb_";

export function generateApiToken(): { token: string; hash: string; prefix: string } {
  const token = `${PREFIX}${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashApiToken(token), prefix: token.slice(0, PREFIX.length + 6) };
}

export function hashApiToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Cheap shape check before touching the database with a presented token. */
export function looksLikeApiToken(token: string): boolean {
  return /^rb_[A-Za-z0-9_-]{43}$/.test(token);
}

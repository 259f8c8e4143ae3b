// Rule 11: a POST repeated with the same Idempotency-Key by the same user returns the first
// answer and writes nothing new. The key is claimed before the work starts (a pending row under
// the primary key), so concurrent repeats wait for the first answer instead of racing it.
import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

const PENDING = 0;
const WAIT_MS = 15_000;

export type StoredResponse = { status: number; body: unknown };

export type IdempotencyOutcome =
  | { kind: "fresh"; complete(response: StoredResponse): Promise<void> }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_progress" };

/**
 * What a key is bound to: the method, the path and the exact body. A key reused for another
 * request is refused (mismatch) rather than answered with the first request's result.
 */
export function requestFingerprint(method: string, path: string, body: string): string {
  return createHash("sha256").update(`${method}\n${path}\n`).update(body).digest("hex");
}

export async function claimIdempotencyKey(
  userId: string,
  key: string,
  method: string,
  path: string,
  fingerprint: string,
): Promise<IdempotencyOutcome> {
  try {
    await db().idempotencyRecord.create({
      data: { userId, key, method, path, fingerprint, status: PENDING, responseBody: {} },
    });
    return {
      kind: "fresh",
      async complete(response) {
        // Server errors are not remembered: the client may retry them with the same key.
        if (response.status >= 500) await db().idempotencyRecord.delete({ where: { userId_key: { userId, key } } });
        else
          await db().idempotencyRecord.update({
            where: { userId_key: { userId, key } },
            data: { status: response.status, responseBody: (response.body ?? null) as Prisma.InputJsonValue },
          });
      },
    };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const record = await db().idempotencyRecord.findUnique({
      where: { userId_key: { userId, key } },
      select: { method: true, path: true, fingerprint: true, status: true, responseBody: true },
    });
    if (!record) return claimIdempotencyKey(userId, key, method, path, fingerprint);
    // Records from before fingerprints were kept have none; method and path still bind them.
    if (
      record.method !== method ||
      record.path !== path ||
      (record.fingerprint !== "" && record.fingerprint !== fingerprint)
    )
      return { kind: "mismatch" };
    if (record.status !== PENDING)
      return { kind: "replay", response: { status: record.status, body: record.responseBody } };
    if (Date.now() > deadline) return { kind: "in_progress" };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

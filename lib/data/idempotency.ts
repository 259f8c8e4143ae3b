// Rule 11: a POST repeated with the same Idempotency-Key by the same user returns the first
// answer and writes nothing new. The key is claimed before the work starts (a pending row under
// the primary key), so concurrent repeats wait for the first answer instead of racing it. The
// command's own transaction marks the row as it commits (lib/db.ts), so a row left pending by an
// outage is either "carried out, answer lost" (never run again) or "nothing written" (claimable
// again once no request could still be working on it).
import "server-only";
import { createHash } from "node:crypto";
import { db } from "@/lib/db";
import { isUniqueViolation } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

const PENDING = 0;
const WAIT_MS = 15_000;
/**
 * A pending, uncommitted claim older than this belongs to a request that died (every statement
 * has a timeout; no request runs for minutes), so the key may be claimed afresh.
 */
export const ABANDONED_AFTER_MS = 5 * 60_000;

export type StoredResponse = { status: number; body: unknown };

export type IdempotencyOutcome =
  | { kind: "fresh"; complete(response: StoredResponse): Promise<void> }
  | { kind: "replay"; response: StoredResponse }
  | { kind: "mismatch" }
  | { kind: "in_progress" }
  /** The first request was carried out (its transaction committed) but its answer was lost. */
  | { kind: "carried_out" };

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
        // A server error is not remembered when nothing was written, so the client may retry it
        // with the same key; after a commit the key stays spent ("carried out", below).
        if (response.status >= 500)
          await db().idempotencyRecord.deleteMany({ where: { userId, key, status: PENDING, committedAt: null } });
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
      select: {
        method: true,
        path: true,
        fingerprint: true,
        status: true,
        responseBody: true,
        createdAt: true,
        committedAt: true,
      },
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
    if (!record.committedAt && Date.now() - record.createdAt.getTime() > ABANDONED_AFTER_MS) {
      // Nothing was written under this claim and no request is still on it: take the key over.
      await db().idempotencyRecord.deleteMany({
        where: { userId, key, status: PENDING, committedAt: null, createdAt: record.createdAt },
      });
      return claimIdempotencyKey(userId, key, method, path, fingerprint);
    }
    // Committed, and no answer stored long after: the request died between its commit and its answer.
    if (record.committedAt && Date.now() - record.committedAt.getTime() > WAIT_MS) return { kind: "carried_out" };
    if (Date.now() > deadline) return record.committedAt ? { kind: "carried_out" } : { kind: "in_progress" };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

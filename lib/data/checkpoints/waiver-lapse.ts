// Rule 8's lapse: a waiver past its expiry ends by itself, and its checkpoint returns to the
// state it had when it was waived. Every read that counts waivers lapses the due ones first.
import "server-only";
import { cache } from "react";
import { appendAuditEvent } from "@/lib/audit/append";
import {
  markedCheckpointsSql,
  markedRollups,
  refreshRollups,
  storeMarkedRollups,
  type MarkedRollups,
} from "@/lib/data/rollup";
import { db } from "@/lib/db";
import { decideWaiverEnd } from "@/lib/domain/checkpoint-workflow";
import { isDone, isoDay, utcDay } from "@/lib/domain/schedule";
import type { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

/** Rule 8: waivers whose expiry has passed end, and their checkpoints return to where they were. */
export async function lapseExpiredWaivers(
  tx: Tx,
  where: { systemId?: string } = {},
  today = utcDay(new Date()),
): Promise<number> {
  const expired = await tx.waiver.findMany({
    where: {
      revokedAt: null,
      lapsedAt: null,
      expiresOn: { lt: today },
      ...(where.systemId ? { checkpoint: { systemId: where.systemId } } : {}),
    },
    select: {
      id: true,
      priorStatus: true,
      checkpoint: {
        select: {
          id: true,
          systemId: true,
          round: true,
          version: true,
          system: { select: { key: true } },
          milestone: { select: { key: true } },
        },
      },
    },
  });
  const lapsed: { waiver: (typeof expired)[number]; next: ReturnType<typeof decideWaiverEnd> }[] = [];
  for (const waiver of expired) {
    const next = decideWaiverEnd(waiver.priorStatus, waiver.checkpoint.round);
    // Two readers may find the same expired waiver at once: the row lock lets one through, and
    // the other then sees it ended (or revoked meanwhile) and leaves it alone.
    const { count } = await tx.waiver.updateMany({
      where: { id: waiver.id, revokedAt: null, lapsedAt: null },
      data: { lapsedAt: new Date() },
    });
    if (count === 0) continue;
    await tx.checkpoint.update({
      where: { id: waiver.checkpoint.id },
      data: {
        status: next.status,
        version: { increment: 1 },
        statusChangedAt: new Date(),
        completedAt: isDone(next.status) ? new Date() : null,
      },
    });
    lapsed.push({ waiver, next });
  }
  // The roll-ups before the audit events: the chain's lock is the last one taken.
  await refreshRollups(
    tx,
    lapsed.map((l) => l.waiver.checkpoint.systemId),
  );
  for (const { waiver, next } of lapsed) {
    await appendAuditEvent(tx, {
      actorId: null,
      actorEmail: null,
      action: "waiver.lapse",
      subjectType: "waiver",
      subjectId: waiver.id,
      systemKey: waiver.checkpoint.system.key,
      data: {
        checkpointId: waiver.checkpoint.id,
        milestone: waiver.checkpoint.milestone.key,
        from: "WAIVED",
        to: next.status,
      },
    });
  }
  return expired.length;
}

/**
 * For reads that span the whole program (dashboard, registry, exports): lapse every waiver past its
 * expiry first, so that none is counted as waived, and compute the roll-ups the database marked as
 * behind, for the read to use and store (lib/data/rollup.ts). One cheap statement when there is
 * nothing to do.
 */
export async function lapseDueWaivers(today = utcDay(new Date())): Promise<MarkedRollups> {
  const client = db();
  const [state] = await client.$queryRaw<[{ due: boolean; marked: Record<string, unknown>[] }]>`
    SELECT EXISTS (SELECT 1 FROM waiver WHERE revoked_at IS NULL AND lapsed_at IS NULL AND expires_on < ${isoDay(today)}::date) AS due,
           ${markedCheckpointsSql} AS marked`;
  if (!state.due) return markedRollups(state.marked);
  await client.$transaction((tx) => lapseExpiredWaivers(tx, {}, today));
  // The lapses refreshed their systems' roll-ups: what is still marked is read again.
  const [after] = await client.$queryRaw<
    [{ marked: Record<string, unknown>[] }]
  >`SELECT ${markedCheckpointsSql} AS marked`;
  return markedRollups(after.marked);
}

/**
 * For reads that count from the stored roll-ups and tally (the dashboard's figures and its lead's
 * queue strip): due waivers lapsed and marked roll-ups stored first, once per render for a given
 * day (React's cache), so that two such reads of one page do it once.
 */
export const storedFiguresCurrent = cache(async (day: string): Promise<void> => {
  await storeMarkedRollups(await lapseDueWaivers(new Date(`${day}T00:00:00Z`)));
});

// Rule 8: a lead waives a checkpoint until a date, or revokes the waiver before it; the lapse at
// expiry is lib/data/checkpoints/waiver-lapse.ts.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import type { Actor } from "@/lib/data/actor";
import { decided, event, load, parseFor, reload, transition } from "@/lib/data/checkpoints/command";
import { revokeWaiverSchema, waiverSchema } from "@/lib/data/checkpoints.schema";
import { db } from "@/lib/db";
import { decideRevokeWaiver, decideWaive } from "@/lib/domain/checkpoint-workflow";
import { isoDay, utcDay } from "@/lib/domain/schedule";
import { Conflict, RuleViolation } from "@/lib/errors";

/** Rule 8: a lead sets a checkpoint aside until a date; it counts as waived, never approved. */
export async function grantWaiver(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  const data = await parseFor(actor, systemKey, milestoneKey, waiverSchema, input, {
    who: "lead",
    attempted: "waiver.grant",
    message: "Only a program lead can waive a checkpoint.",
  });
  if (actor.kind !== "user") throw new RuleViolation("Waivers are granted by a signed-in lead.");
  const done = await db().$transaction(async (tx) => {
    const loaded = await load(tx, actor, systemKey, milestoneKey);
    const expiresOn = new Date(`${data.expiresOn}T00:00:00Z`);
    const next = await decided(
      decideWaive(loaded.context, {
        reason: data.reason,
        expiresOn,
        today: utcDay(new Date()),
        programEndsOn: loaded.programEndsOn,
      }),
      actor,
      "waiver.grant",
      loaded,
      data.version,
    );
    await transition(tx, loaded, data.version, next);
    const waiver = await tx.waiver.create({
      data: {
        checkpointId: loaded.checkpoint.id,
        reason: data.reason,
        expiresOn,
        grantedById: actor.id,
        priorStatus: loaded.checkpoint.status,
      },
      select: { id: true },
    });
    await appendAuditEvent(
      tx,
      event(
        actor,
        loaded,
        "waiver.grant",
        { type: "waiver", id: waiver.id },
        { reason: data.reason, expiresOn: data.expiresOn, from: loaded.checkpoint.status, to: next.status },
      ),
    );
    return loaded;
  });
  const checkpoint = await reload(done);
  return { ...checkpoint.waiver!, checkpoint };
}

/** Rule 8: a lead ends a waiver before its expiry; the checkpoint returns to its prior status. */
export async function revokeWaiver(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  const data = await parseFor(actor, systemKey, milestoneKey, revokeWaiverSchema, input, {
    who: "lead",
    attempted: "waiver.revoke",
    message: "Only a program lead can revoke a waiver.",
  });
  if (actor.kind !== "user") throw new RuleViolation("Waivers are revoked by a signed-in lead.");
  return db()
    .$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      const waiver = loaded.checkpoint.waivers[0] ?? null;
      const next = await decided(
        decideRevokeWaiver(loaded.context, { reason: data.reason, waiver }),
        actor,
        "waiver.revoke",
        loaded,
        data.version,
      );
      await transition(tx, loaded, data.version, next);
      // The checkpoint's version check above already let exactly one request through; the waiver's
      // own guard keeps a revoked or lapsed waiver from being ended a second time regardless.
      const { count } = await tx.waiver.updateMany({
        where: { id: waiver!.id, revokedAt: null, lapsedAt: null },
        data: { revokedAt: new Date(), revokedById: actor.id },
      });
      if (count === 0)
        throw new Conflict(
          "This waiver was ended while your request ran. Reload the checkpoint to see where it stands.",
          undefined,
          "stale_version",
        );
      await appendAuditEvent(
        tx,
        event(
          actor,
          loaded,
          "waiver.revoke",
          { type: "waiver", id: waiver!.id },
          {
            reason: data.reason,
            expiresOn: isoDay(waiver!.expiresOn),
            from: loaded.checkpoint.status,
            to: next.status,
          },
        ),
      );
      return loaded;
    })
    .then(reload);
}

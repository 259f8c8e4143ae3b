// Rule 2: an owner (or lead) submits a checkpoint with current evidence, opening a review round.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import type { Actor } from "@/lib/data/actor";
import {
  decided,
  event,
  eventFactsOf,
  load,
  parseFor,
  readAfter,
  respond,
  transition,
} from "@/lib/data/checkpoints/command";
import { submitSchema } from "@/lib/data/checkpoints.schema";
import { db } from "@/lib/db";
import { notifyCheckpointEvent } from "@/lib/notifications/outbox";
import { decideSubmit } from "@/lib/domain/checkpoint-workflow";

/** Rule 2: submit for review, opening a new round. */
export async function submitCheckpoint(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  const data = await parseFor(actor, systemKey, milestoneKey, submitSchema, input, {
    who: "owner",
    attempted: "checkpoint.submit",
    message: "Only the system's owners (or a program lead) can submit a checkpoint.",
  });
  return db()
    .$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      const next = await decided(decideSubmit(loaded.context), actor, "checkpoint.submit", loaded, data.version);
      await transition(tx, loaded, data.version, next);
      // The outbox row before the audit event: the chain's lock is taken last and held shortest.
      const after = await readAfter(tx, loaded);
      await notifyCheckpointEvent(
        tx,
        "EVIDENCE_SUBMITTED",
        eventFactsOf(loaded, after),
        actor.kind === "user" ? actor.id : null,
      );
      await appendAuditEvent(
        tx,
        event(
          actor,
          loaded,
          "checkpoint.submit",
          { type: "checkpoint", id: loaded.checkpoint.id },
          { round: next.round, from: loaded.checkpoint.status, to: next.status },
        ),
      );
      return { loaded, after };
    })
    .then(({ loaded, after }) => respond(loaded, after));
}

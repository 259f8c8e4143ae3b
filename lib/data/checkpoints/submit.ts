// Rule 2: an owner (or lead) submits a checkpoint with current evidence, opening a review round.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import type { Actor } from "@/lib/data/actor";
import {
  checkVersion,
  enforce,
  event,
  load,
  refuseOutsiders,
  reload,
  transition,
} from "@/lib/data/checkpoints/command";
import { parse } from "@/lib/data/parse";
import { submitSchema } from "@/lib/data/checkpoints.schema";
import { db } from "@/lib/db";
import { notifyCheckpointEvent } from "@/lib/notifications/outbox";
import { decideSubmit } from "@/lib/domain/checkpoint-workflow";

/** Rule 2: submit for review, opening a new round. */
export async function submitCheckpoint(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  await refuseOutsiders(
    actor,
    systemKey,
    milestoneKey,
    "owner",
    "checkpoint.submit",
    "Only the system's owners (or a program lead) can submit a checkpoint.",
  );
  const data = parse(submitSchema, input);
  return db()
    .$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      checkVersion(loaded, data.version);
      const next = await enforce(decideSubmit(loaded.context), actor, "checkpoint.submit", loaded);
      await transition(tx, loaded, data.version, next);
      // The outbox row before the audit event: the chain's lock is taken last and held shortest.
      await notifyCheckpointEvent(
        tx,
        "EVIDENCE_SUBMITTED",
        loaded.checkpoint.id,
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
      return loaded;
    })
    .then(reload);
}

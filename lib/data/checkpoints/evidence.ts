// Rules 1 and 7: owners (and leads) add evidence, which starts work or reopens a reviewed
// checkpoint, and withdraw it (a record of its own: evidence is immutable).
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import type { Actor } from "@/lib/data/actor";
import { decided, event, load, parseFor, reload, transition } from "@/lib/data/checkpoints/command";
import { addEvidenceSchema, withdrawEvidenceSchema } from "@/lib/data/checkpoints.schema";
import { db } from "@/lib/db";
import { decideAddEvidence, decideWithdrawEvidence } from "@/lib/domain/checkpoint-workflow";
import { RuleViolation } from "@/lib/errors";

/** Rule 1 (and 7): evidence from an owner or lead; it starts work or reopens a reviewed checkpoint. */
export async function addEvidence(actor: Actor, systemKey: string, milestoneKey: string, input: unknown) {
  const data = await parseFor(actor, systemKey, milestoneKey, addEvidenceSchema, input, {
    who: "owner",
    attempted: "evidence.add",
    message: "Only the system's owners (or a program lead) can add evidence.",
  });
  // Evidence always has a person as its author; the operator's CLI has no identity to sign with.
  if (actor.kind !== "user") throw new RuleViolation("Evidence is added by a signed-in owner or lead.");
  const { loaded, evidence } = await db().$transaction(async (tx) => {
    const loaded = await load(tx, actor, systemKey, milestoneKey);
    const next = await decided(decideAddEvidence(loaded.context), actor, "evidence.add", loaded, data.version);
    await transition(tx, loaded, data.version, next);
    const evidence = await tx.evidence.create({
      data: {
        checkpointId: loaded.checkpoint.id,
        url: data.url,
        title: data.title,
        kind: data.kind,
        note: data.note,
        submittedById: actor.id,
      },
      select: { id: true },
    });
    await appendAuditEvent(
      tx,
      event(
        actor,
        loaded,
        "evidence.add",
        { type: "evidence", id: evidence.id },
        { url: data.url, title: data.title, kind: data.kind, from: loaded.checkpoint.status, to: next.status },
      ),
    );
    return { loaded, evidence };
  });
  const checkpoint = await reload(loaded);
  return { ...checkpoint.evidence.find((e) => e.id === evidence.id)!, checkpoint };
}

/** Rule 7: withdrawal is a record of its own (evidence is immutable) and reopens a reviewed checkpoint. */
export async function withdrawEvidence(
  actor: Actor,
  systemKey: string,
  milestoneKey: string,
  evidenceId: string,
  input: unknown,
) {
  const data = await parseFor(actor, systemKey, milestoneKey, withdrawEvidenceSchema, input ?? {}, {
    who: "owner",
    attempted: "evidence.withdraw",
    message: "Only the system's owners (or a program lead) can withdraw evidence.",
  });
  if (actor.kind !== "user") throw new RuleViolation("Evidence is withdrawn by a signed-in owner or lead.");
  return db()
    .$transaction(async (tx) => {
      const loaded = await load(tx, actor, systemKey, milestoneKey);
      const next = await decided(
        decideWithdrawEvidence(loaded.context, evidenceId),
        actor,
        "evidence.withdraw",
        loaded,
        data.version,
      );
      await transition(tx, loaded, data.version, next);
      await tx.evidenceWithdrawal.create({ data: { evidenceId, withdrawnById: actor.id, reason: data.reason } });
      await appendAuditEvent(
        tx,
        event(
          actor,
          loaded,
          "evidence.withdraw",
          { type: "evidence", id: evidenceId },
          { reason: data.reason, from: loaded.checkpoint.status, to: next.status },
        ),
      );
      return loaded;
    })
    .then(reload);
}

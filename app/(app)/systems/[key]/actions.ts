"use server";
// The system page's workflow actions. Each is a public POST endpoint: it reads the session
// itself; the lib/data command validates, authorizes, decides and audits. A success says what
// happened and what comes next; a refusal hands back what was submitted.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { ValidationError } from "@/lib/errors";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import type { Actor } from "@/lib/data/actor";
import {
  addEvidence,
  getSystemDetail,
  grantWaiver,
  reviewCheckpoint,
  revokeWaiver,
  submitCheckpoint,
  withdrawEvidence,
  type CheckpointDto,
} from "@/lib/data/checkpoints";
import type { CheckpointStatus } from "@/lib/domain/schedule";
import { STATUS_LABEL } from "@/lib/labels";
import {
  evidenceAddedMessage,
  evidenceWithdrawnMessage,
  reviewedMessage,
  submittedMessage,
  waivedMessage,
  waiverRevokedMessage,
} from "@/lib/workflow-messages";

const text = (form: FormData, key: string) => formText(form, key) ?? "";
const version = (form: FormData) => Number(text(form, "version")) || undefined;
const target = (form: FormData) => ({ key: text(form, "systemKey"), milestone: text(form, "milestone") });
// The status the page showed; it only picks the words of the confirmation, never a decision.
const statusBefore = (form: FormData): CheckpointStatus | undefined => {
  const value = text(form, "statusBefore");
  return value in STATUS_LABEL ? (value as CheckpointStatus) : undefined;
};

// Commands return the checkpoint, or a record with the checkpoint it changed.
const checkpointOf = (value: CheckpointDto | { checkpoint: CheckpointDto }): CheckpointDto =>
  "checkpoint" in value ? value.checkpoint : value;

async function act(
  form: FormData,
  run: (who: Actor, key: string, milestone: string) => Promise<CheckpointDto | { checkpoint: CheckpointDto }>,
  message: (checkpoint: CheckpointDto, who: Actor, key: string) => Promise<string> | string,
): Promise<ActionResult> {
  try {
    const { key, milestone } = target(form);
    const who = await actor();
    const checkpoint = checkpointOf(await run(who, key, milestone));
    revalidatePath(`/systems/${key}`);
    return { ok: true, message: await message(checkpoint, who, key) };
  } catch (error) {
    return actionError(error, form);
  }
}

// Who owns and reviews the system, to name the people the next step waits on.
const people = async (who: Actor, key: string) => getSystemDetail(who, key);

export async function addEvidenceAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(
    form,
    (who, key, milestone) =>
      addEvidence(who, key, milestone, {
        url: text(form, "url"),
        title: text(form, "title"),
        kind: text(form, "kind"),
        note: text(form, "note"),
        version: version(form),
      }),
    (checkpoint) => evidenceAddedMessage(statusBefore(form), checkpoint),
  );
}

export async function withdrawEvidenceAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(
    form,
    (who, key, milestone) => {
      // The page always asks why; the audit trail keeps the answer (the API leaves it optional).
      // Checked once the caller is known, so a signed-out request is refused as such.
      if (!text(form, "reason").trim())
        throw new ValidationError("Say why you are withdrawing this evidence.", {
          reason: ["Say why you are withdrawing this evidence."],
        });
      return withdrawEvidence(who, key, milestone, text(form, "evidenceId"), {
        reason: text(form, "reason").trim(),
        version: version(form),
      });
    },
    (checkpoint) => evidenceWithdrawnMessage(statusBefore(form), checkpoint),
  );
}

export async function submitAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(
    form,
    (who, key, milestone) => submitCheckpoint(who, key, milestone, { version: version(form) }),
    async (checkpoint, who, key) => submittedMessage(checkpoint, await people(who, key)),
  );
}

export async function reviewAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  const decision = text(form, "decision");
  return act(
    form,
    (who, key, milestone) =>
      reviewCheckpoint(who, key, milestone, { decision, comment: text(form, "comment"), version: version(form) }),
    async (checkpoint, who, key) => reviewedMessage(checkpoint, await people(who, key)),
  );
}

export async function waiveAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(
    form,
    (who, key, milestone) =>
      grantWaiver(who, key, milestone, {
        reason: text(form, "reason"),
        expiresOn: text(form, "expiresOn"),
        version: version(form),
      }),
    (checkpoint) => waivedMessage(checkpoint),
  );
}

export async function revokeWaiverAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return act(
    form,
    (who, key, milestone) =>
      revokeWaiver(who, key, milestone, { reason: text(form, "reason"), version: version(form) }),
    (checkpoint) => waiverRevokedMessage(checkpoint),
  );
}

"use server";
// The system page's workflow actions. Each is a public POST endpoint: formAction reads the session
// itself; the lib/data command validates, authorizes, decides and audits. A success says what
// happened and what comes next; a refusal hands back what was submitted.
import { formText } from "@/lib/action-result";
import { ValidationError } from "@/lib/errors";
import type { Actor } from "@/lib/data/actor";
import { addEvidence, withdrawEvidence } from "@/lib/data/checkpoints/evidence";
import { getSystemDetail } from "@/lib/data/checkpoints/system-detail";
import { grantWaiver, revokeWaiver } from "@/lib/data/checkpoints/waivers";
import { reviewCheckpoint } from "@/lib/data/checkpoints/review";
import { submitCheckpoint } from "@/lib/data/checkpoints/submit";
import { type CheckpointDto } from "@/lib/data/checkpoints/dto";
import type { CheckpointStatus } from "@/lib/domain/schedule";
import { formAction } from "@/lib/form-action";
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
// The status the page showed; it only picks the words of the confirmation, never a decision.
const statusBefore = (form: FormData): CheckpointStatus | undefined => {
  const value = text(form, "statusBefore");
  return value in STATUS_LABEL ? (value as CheckpointStatus) : undefined;
};

// Commands return the checkpoint, or a record with the checkpoint it changed.
const checkpointOf = (value: CheckpointDto | { checkpoint: CheckpointDto }): CheckpointDto =>
  "checkpoint" in value ? value.checkpoint : value;

/** One checkpoint command of the page: the form names the system and milestone, plus `fields`. */
function checkpointAction<F>(spec: {
  fields: (form: FormData) => F;
  run: (
    who: Actor,
    key: string,
    milestone: string,
    fields: F,
  ) => Promise<CheckpointDto | { checkpoint: CheckpointDto }>;
  message: (checkpoint: CheckpointDto, who: Actor, key: string, form: FormData) => Promise<string> | string;
}) {
  return formAction({
    input: (form) => ({ key: text(form, "systemKey"), milestone: text(form, "milestone"), fields: spec.fields(form) }),
    run: async (who, { key, milestone, fields }) => checkpointOf(await spec.run(who, key, milestone, fields)),
    revalidate: (_, { key }) => [`/systems/${key}`],
    success: (checkpoint, { actor, input, form }) => spec.message(checkpoint, actor, input.key, form),
  });
}

// Who owns and reviews the system, to name the people the next step waits on.
const people = async (who: Actor, key: string) => getSystemDetail(who, key);

export const addEvidenceAction = checkpointAction({
  fields: (form) => ({
    url: text(form, "url"),
    title: text(form, "title"),
    kind: text(form, "kind"),
    note: text(form, "note"),
    version: version(form),
  }),
  run: addEvidence,
  message: (checkpoint, _who, _key, form) => evidenceAddedMessage(statusBefore(form), checkpoint),
});

export const withdrawEvidenceAction = checkpointAction({
  fields: (form) => ({
    evidenceId: text(form, "evidenceId"),
    reason: text(form, "reason").trim(),
    version: version(form),
  }),
  run: (who, key, milestone, { evidenceId, ...fields }) => {
    // The page always asks why; the audit trail keeps the answer (the API leaves it optional).
    // Checked once the caller is known, so a signed-out request is refused as such.
    if (!fields.reason)
      throw new ValidationError("Say why you are withdrawing this evidence.", {
        reason: ["Say why you are withdrawing this evidence."],
      });
    return withdrawEvidence(who, key, milestone, evidenceId, fields);
  },
  message: (checkpoint, _who, _key, form) => evidenceWithdrawnMessage(statusBefore(form), checkpoint),
});

export const submitAction = checkpointAction({
  fields: (form) => ({ version: version(form) }),
  run: submitCheckpoint,
  message: async (checkpoint, who, key) => submittedMessage(checkpoint, await people(who, key)),
});

export const reviewAction = checkpointAction({
  fields: (form) => ({ decision: text(form, "decision"), comment: text(form, "comment"), version: version(form) }),
  run: reviewCheckpoint,
  message: async (checkpoint, who, key) => reviewedMessage(checkpoint, await people(who, key)),
});

export const waiveAction = checkpointAction({
  fields: (form) => ({ reason: text(form, "reason"), expiresOn: text(form, "expiresOn"), version: version(form) }),
  run: grantWaiver,
  message: (checkpoint) => waivedMessage(checkpoint),
});

export const revokeWaiverAction = checkpointAction({
  fields: (form) => ({ reason: text(form, "reason"), version: version(form) }),
  run: revokeWaiver,
  message: (checkpoint) => waiverRevokedMessage(checkpoint),
});

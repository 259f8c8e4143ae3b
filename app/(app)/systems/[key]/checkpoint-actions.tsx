"use client";
// The workflow forms of one checkpoint. Which ones show is decided on the server by the same
// rules the commands apply; the server refuses anyway, and its words come back here. Every form
// uses the shared form state: a refusal keeps what was typed, a success is confirmed in a toast.
import { Button } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-dialog";
import { FormErrors, useFormAction } from "@/components/ui/form-state";
import { SelectField, TextAreaField, TextField } from "@/components/ui/field";
import { EVIDENCE_KIND_LABEL } from "@/lib/labels";
import type { CheckpointStatus } from "@/lib/domain/schedule";
import {
  addEvidenceAction,
  reviewAction,
  revokeWaiverAction,
  submitAction,
  waiveAction,
  withdrawEvidenceAction,
} from "./actions";

interface Target {
  systemKey: string;
  milestone: string;
  milestoneName: string;
  version: number;
  status: CheckpointStatus;
}

/** The fields every checkpoint form posts: which checkpoint, the version the user saw, and its status then. */
export function Hidden({
  target,
}: {
  target: Pick<Target, "systemKey" | "milestone" | "version"> & { status?: CheckpointStatus };
}) {
  return (
    <>
      <input type="hidden" name="systemKey" value={target.systemKey} />
      <input type="hidden" name="milestone" value={target.milestone} />
      <input type="hidden" name="version" value={target.version} />
      {target.status ? <input type="hidden" name="statusBefore" value={target.status} /> : null}
    </>
  );
}

export function AddEvidenceForm({ target, hint }: { target: Target; hint: string }) {
  const form = useFormAction(addEvidenceAction);
  const { errors, value } = form;
  const id = `evidence-${target.milestone}`;
  const fields = {
    url: { label: "Link", id: `${id}-url` },
    title: { label: "Title", id: `${id}-title-input` },
    kind: { label: "Kind", id: `${id}-kind` },
    note: { label: "Note", id: `${id}-note` },
  };
  return (
    <form
      key={form.formKey}
      id={form.formId}
      action={form.action}
      className="space-y-2"
      aria-labelledby={`${id}-title`}
    >
      <h4 id={`${id}-title`} className="text-sm font-medium">
        Add evidence
      </h4>
      {hint ? <p className="text-xs text-muted">Good evidence: {hint}</p> : null}
      <Hidden target={target} />
      <FormErrors state={form} fields={fields} />
      <div className="grid gap-2 sm:grid-cols-2">
        <TextField
          id={fields.url.id}
          label="Link (https://…)"
          name="url"
          type="url"
          required
          defaultValue={value("url")}
          errors={errors.url}
        />
        <TextField
          id={fields.title.id}
          label="Title"
          name="title"
          required
          maxLength={200}
          defaultValue={value("title")}
          errors={errors.title}
        />
        <SelectField
          id={fields.kind.id}
          label="Kind"
          name="kind"
          defaultValue={value("kind", "DOC")}
          errors={errors.kind}
        >
          {Object.entries(EVIDENCE_KIND_LABEL).map(([kind, label]) => (
            <option key={kind} value={kind}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField
          id={fields.note.id}
          label="Note (optional)"
          name="note"
          maxLength={2000}
          defaultValue={value("note")}
          errors={errors.note}
        />
      </div>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Adding…" : "Add evidence"}
      </Button>
    </form>
  );
}

export function SubmitForm({ target }: { target: Target }) {
  const form = useFormAction(submitAction);
  return (
    <form key={form.formKey} id={form.formId} action={form.action} className="flex flex-wrap items-center gap-3">
      <Hidden target={target} />
      <Button
        type="submit"
        variant="primary"
        disabled={form.pending}
        aria-label={`Submit ${target.milestoneName} for review`}
      >
        {form.pending ? "Submitting…" : "Submit for review"}
      </Button>
      <FormErrors state={form} fields={{}} />
    </form>
  );
}

export function ReviewForm({ target }: { target: Target }) {
  const form = useFormAction(reviewAction);
  const id = `review-${target.milestone}`;
  const fields = { comment: { label: "Comment", id: `${id}-comment` } };
  return (
    <form
      key={form.formKey}
      id={form.formId}
      action={form.action}
      className="space-y-2"
      aria-labelledby={`${id}-title`}
    >
      <h4 id={`${id}-title`} className="text-sm font-medium">
        Your sign-off
      </h4>
      <Hidden target={target} />
      <TextAreaField
        id={fields.comment.id}
        label="Comment (required when requesting changes)"
        name="comment"
        rows={2}
        maxLength={4000}
        defaultValue={form.value("comment")}
        errors={form.errors.comment}
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" name="decision" value="APPROVE" variant="primary" disabled={form.pending}>
          Approve
        </Button>
        <Button type="submit" name="decision" value="REQUEST_CHANGES" variant="danger" disabled={form.pending}>
          Request changes
        </Button>
      </div>
      <FormErrors state={form} fields={fields} />
    </form>
  );
}

/** Rule 8: a waiver needs a reason and ends between today and the program's last day. */
export function WaiveForm({ target, minDate, maxDate }: { target: Target; minDate: string; maxDate: string }) {
  const form = useFormAction(waiveAction);
  const id = `waive-${target.milestone}`;
  const fields = {
    reason: { label: "Reason for the waiver", id: `${id}-reason` },
    expiresOn: { label: "Expires on", id: `${id}-expires` },
  };
  return (
    <details className="text-sm" open={form.result?.ok === false ? true : undefined}>
      <summary className="cursor-pointer text-muted">Waive this checkpoint…</summary>
      <form key={form.formKey} id={form.formId} action={form.action} className="mt-2 space-y-2">
        <Hidden target={target} />
        <FormErrors state={form} fields={fields} />
        <div className="grid gap-2 sm:grid-cols-[1fr_12rem]">
          <TextField
            id={fields.reason.id}
            label={fields.reason.label}
            name="reason"
            required
            maxLength={2000}
            defaultValue={form.value("reason")}
            errors={form.errors.reason}
          />
          <TextField
            id={fields.expiresOn.id}
            label={fields.expiresOn.label}
            name="expiresOn"
            type="date"
            required
            min={minDate}
            max={maxDate}
            defaultValue={form.value("expiresOn")}
            errors={form.errors.expiresOn}
          />
        </div>
        <Button type="submit" disabled={form.pending}>
          {form.pending ? "Waiving…" : "Waive"}
        </Button>
      </form>
    </details>
  );
}

/** Rule 8: a lead ends the waiver in force; the checkpoint returns to where it was before. */
export function RevokeWaiverForm({ target }: { target: Target }) {
  return (
    <div className="mt-2">
      <ConfirmAction
        action={revokeWaiverAction}
        hidden={<Hidden target={target} />}
        trigger="Revoke waiver…"
        triggerLabel={`Revoke the waiver of ${target.milestoneName}`}
        title={`Revoke the waiver of “${target.milestoneName}”?`}
        consequence={
          <p>
            The milestone returns to the state it was in before the waiver and counts again towards the schedule: if its
            due date has passed, it is overdue at once.
          </p>
        }
        reasonLabel="Reason for revoking (kept in the audit trail)"
        confirmLabel="Revoke waiver"
      />
    </div>
  );
}

/** Rule 7: withdrawing reopens a checkpoint under review or approved, so it asks first. */
export function WithdrawButton({
  target,
  evidenceId,
  title,
  lastCurrent,
}: {
  target: Target;
  evidenceId: string;
  title: string;
  lastCurrent: boolean;
}) {
  const consequence =
    target.status === "APPROVED"
      ? "This reopens an approved milestone; its approvals become stale and it needs a new submission and sign-off."
      : target.status === "SUBMITTED"
        ? "This takes the milestone out of review; approvals given in this round become stale and it must be submitted again."
        : "The link stays in the history, marked withdrawn.";
  return (
    <ConfirmAction
      action={withdrawEvidenceAction}
      hidden={
        <>
          <Hidden target={target} />
          <input type="hidden" name="evidenceId" value={evidenceId} />
        </>
      }
      trigger="Withdraw"
      triggerLabel={`Withdraw ${title}`}
      title={`Withdraw “${title}”?`}
      consequence={
        <>
          <p>{consequence}</p>
          {lastCurrent ? (
            <p className="mt-1">
              It is the milestone’s only current evidence: it cannot be submitted until new evidence is added.
            </p>
          ) : null}
        </>
      }
      reasonLabel="Why are you withdrawing it? (kept in the audit trail)"
      confirmLabel="Withdraw evidence"
    />
  );
}

"use client";
// The workflow forms of one checkpoint. Which ones show is decided on the server by the same
// rules the commands apply; the server refuses anyway, and its words come back here.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import { addEvidenceAction, reviewAction, revokeWaiverAction, submitAction, waiveAction, withdrawEvidenceAction } from "./actions";

const KINDS = [
  ["DOC", "Document"],
  ["RUNBOOK", "Runbook"],
  ["ROLLBACK_TEST", "Rollback test"],
  ["PULL_REQUEST", "Pull request"],
  ["DASHBOARD", "Dashboard"],
  ["TICKET", "Ticket"],
  ["OTHER", "Other"],
] as const;

interface Target {
  systemKey: string;
  milestone: string;
  milestoneName: string;
  version: number;
}

/** The fields every checkpoint form posts: which checkpoint, and the version the user saw. */
export function Hidden({ target }: { target: Pick<Target, "systemKey" | "milestone" | "version"> }) {
  return (
    <>
      <input type="hidden" name="systemKey" value={target.systemKey} />
      <input type="hidden" name="milestone" value={target.milestone} />
      <input type="hidden" name="version" value={target.version} />
    </>
  );
}

const errorsOf = (result: ActionResult | null) => (result && !result.ok ? result.errors : undefined);

export function AddEvidenceForm({ target, hint }: { target: Target; hint: string }) {
  const [result, action, pending] = useActionState(addEvidenceAction, null);
  const errors = errorsOf(result);
  const id = `evidence-${target.milestone}`;
  return (
    <form action={action} className="space-y-2" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="text-sm font-medium">
        Add evidence
      </h4>
      {hint ? <p className="text-xs text-muted">Good evidence: {hint}</p> : null}
      <Hidden target={target} />
      <div className="grid gap-2 sm:grid-cols-2">
        <TextField id={`${id}-url`} label="Link (https://…)" name="url" type="url" required errors={errors?.url} />
        <TextField id={`${id}-title-input`} label="Title" name="title" required maxLength={200} errors={errors?.title} />
        <SelectField id={`${id}-kind`} label="Kind" name="kind" defaultValue="DOC" errors={errors?.kind}>
          {KINDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </SelectField>
        <TextField id={`${id}-note`} label="Note (optional)" name="note" maxLength={2000} errors={errors?.note} />
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add evidence"}
        </Button>
        <FormMessage result={result} />
      </div>
    </form>
  );
}

export function SubmitForm({ target }: { target: Target }) {
  const [result, action, pending] = useActionState(submitAction, null);
  return (
    <form action={action} className="flex items-center gap-3">
      <Hidden target={target} />
      <Button type="submit" variant="primary" disabled={pending} aria-label={`Submit ${target.milestoneName} for review`}>
        {pending ? "Submitting…" : "Submit for review"}
      </Button>
      <FormMessage result={result} />
    </form>
  );
}

export function ReviewForm({ target }: { target: Target }) {
  const [result, action, pending] = useActionState(reviewAction, null);
  const id = `review-${target.milestone}`;
  return (
    <form action={action} className="space-y-2" aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="text-sm font-medium">
        Your sign-off
      </h4>
      <Hidden target={target} />
      <label htmlFor={`${id}-comment`} className="block text-xs font-medium text-muted">
        Comment (required when requesting changes)
      </label>
      <textarea id={`${id}-comment`} name="comment" rows={2} maxLength={4000} className="border-base block w-full rounded-md border bg-transparent px-2.5 py-1.5 text-sm" />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" name="decision" value="APPROVE" variant="primary" disabled={pending}>
          Approve
        </Button>
        <Button type="submit" name="decision" value="REQUEST_CHANGES" variant="danger" disabled={pending}>
          Request changes
        </Button>
        <FormMessage result={result} />
      </div>
    </form>
  );
}

export function WaiveForm({ target, maxDate }: { target: Target; maxDate: string }) {
  const [result, action, pending] = useActionState(waiveAction, null);
  const errors = errorsOf(result);
  const id = `waive-${target.milestone}`;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-muted">Waive this checkpoint…</summary>
      <form action={action} className="mt-2 space-y-2">
        <Hidden target={target} />
        <div className="grid gap-2 sm:grid-cols-[1fr_12rem]">
          <TextField id={`${id}-reason`} label="Reason for the waiver" name="reason" required maxLength={2000} errors={errors?.reason} />
          <TextField id={`${id}-expires`} label="Expires on" name="expiresOn" type="date" required max={maxDate} errors={errors?.expiresOn} />
        </div>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? "Waiving…" : "Waive"}
          </Button>
          <FormMessage result={result} />
        </div>
      </form>
    </details>
  );
}

/** Rule 8: a lead ends the waiver in force; the checkpoint returns to where it was before. */
export function RevokeWaiverForm({ target }: { target: Target }) {
  const [result, action, pending] = useActionState(revokeWaiverAction, null);
  const errors = errorsOf(result);
  const id = `revoke-${target.milestone}`;
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-muted">Revoke waiver…</summary>
      <form action={action} className="mt-2 space-y-2">
        <Hidden target={target} />
        <TextField id={`${id}-reason`} label="Reason for revoking" name="reason" required maxLength={2000} errors={errors?.reason} />
        <div className="flex items-center gap-3">
          <Button type="submit" variant="danger" disabled={pending} aria-label={`Revoke the waiver of ${target.milestoneName}`}>
            {pending ? "Revoking…" : "Revoke waiver"}
          </Button>
          <FormMessage result={result} />
        </div>
      </form>
    </details>
  );
}

export function WithdrawButton({ target, evidenceId, title }: { target: Target; evidenceId: string; title: string }) {
  const [result, action, pending] = useActionState(withdrawEvidenceAction, null);
  return (
    <form action={action} className="inline">
      <Hidden target={target} />
      <input type="hidden" name="evidenceId" value={evidenceId} />
      <button type="submit" disabled={pending} className="text-xs text-muted underline" aria-label={`Withdraw ${title}`}>
        Withdraw
      </button>
      {result && !result.ok ? <FormMessage result={result} /> : null}
    </form>
  );
}

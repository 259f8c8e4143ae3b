"use client";
// Owners and reviewers of one system, picked from active people with their seniority shown.
// A person already on one list is not offered for the other (rule 4: nobody reviews what they
// own); the server refuses it anyway and its words come back here. Removing someone is staged
// here and confirmed when saved: a dialog says what it takes away and asks why (the reason goes
// into the audit event).
import { useActionState, useId, useState, useTransition, type FormEvent } from "react";
import { X } from "lucide-react";
import { Button, buttonClass } from "@/components/ui/button";
import { ConfirmAction } from "@/components/ui/confirm-dialog";
import { FormMessage } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import { seniorityWord } from "@/lib/labels";

export interface Person {
  email: string;
  name: string;
  role: "LEAD" | "ENGINEER" | "EXECUTIVE";
  seniority: "JUNIOR" | "MID" | "SENIOR" | "PRINCIPAL";
}

type AssignAction = (previous: ActionResult | null, form: FormData) => Promise<ActionResult>;

const describe = (p: Person | undefined, email: string) =>
  p ? `${p.name} — ${seniorityWord(p.seniority)}${p.role === "LEAD" ? ", lead" : ""}` : `${email} (not an active user)`;

function PeopleList({
  id,
  label,
  emails,
  people,
  available,
  onAdd,
  onRemove,
  errors,
}: {
  id: string;
  label: string;
  emails: string[];
  people: Map<string, Person>;
  available: Person[];
  onAdd: (email: string) => void;
  onRemove: (email: string) => void;
  errors?: string[];
}) {
  const singular = label.toLowerCase().replace(/s$/, "");
  return (
    <fieldset className="min-w-0" aria-describedby={errors?.length ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium">{label}</legend>
      <ul className="mt-2 space-y-1" aria-label={`Current ${label.toLowerCase()}`}>
        {emails.length === 0 ? <li className="text-sm text-muted">Nobody yet.</li> : null}
        {emails.map((email) => (
          <li
            key={email}
            className="border-base flex items-center justify-between gap-2 rounded-md border px-2 py-1 text-sm"
          >
            <span className="min-w-0">
              <span className="block truncate">{describe(people.get(email), email)}</span>
              <span className="block truncate text-xs text-muted">{email}</span>
            </span>
            <button
              type="button"
              onClick={() => onRemove(email)}
              aria-label={`Remove ${people.get(email)?.name ?? email} as ${singular}`}
              className="rounded p-1 text-muted hover:bg-[var(--surface-muted)]"
            >
              <X aria-hidden className="size-4" />
            </button>
          </li>
        ))}
      </ul>
      <label htmlFor={`${id}-add`} className="mt-2 block text-xs font-medium text-muted">
        Add {singular === "owner" ? "an owner" : "a reviewer"}
      </label>
      <select
        id={`${id}-add`}
        value=""
        onChange={(e) => {
          if (e.target.value) onAdd(e.target.value);
        }}
        className="border-base mt-1 block w-full rounded-md border bg-transparent px-2.5 py-1.5 text-sm"
      >
        <option value="">Choose a person…</option>
        {available.map((p) => (
          <option key={p.email} value={p.email}>
            {describe(p, p.email)}
          </option>
        ))}
      </select>
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1 text-xs" style={{ color: "var(--color-health-overdue)" }}>
          {errors.join(" ")}
        </p>
      ) : null}
    </fieldset>
  );
}

export function AssignmentsEditor({
  systemKey,
  version,
  people: peopleList,
  owners: initialOwners,
  reviewers: initialReviewers,
  submittedCheckpoints,
  action,
}: {
  systemKey: string;
  /** The assignments version this page was loaded at; a stale save is refused. */
  version: number;
  people: Person[];
  owners: string[];
  reviewers: string[];
  /** Checkpoints waiting on a review, which lose a reviewer when one is removed. */
  submittedCheckpoints: number;
  action: AssignAction;
}) {
  const [owners, setOwners] = useState(initialOwners);
  const [reviewers, setReviewers] = useState(initialReviewers);
  const [result, dispatch, pending] = useActionState(action, null);
  const [, startTransition] = useTransition();
  const people = new Map(peopleList.map((p) => [p.email, p]));
  const taken = new Set([...owners, ...reviewers]);
  const available = peopleList.filter((p) => !taken.has(p.email));
  const errors = result && !result.ok ? result.errors : undefined;
  const formId = useId();

  const nameOf = (email: string) => people.get(email)?.name ?? email;
  // Someone moved from one list to the other is removed from the first: that too takes a role away.
  const removed = [
    ...initialOwners.filter((e) => !owners.includes(e)).map((email) => ({ email, kind: "owner" as const })),
    ...initialReviewers.filter((e) => !reviewers.includes(e)).map((email) => ({ email, kind: "reviewer" as const })),
  ];
  const keep = (r: (typeof removed)[number]) => {
    if (r.kind === "owner") setOwners((list) => [...list.filter((e) => e !== r.email), r.email]);
    else setReviewers((list) => [...list.filter((e) => e !== r.email), r.email]);
    // Back on its own list, so off the other (nobody both owns and reviews).
    if (r.kind === "owner") setReviewers((list) => list.filter((e) => e !== r.email));
    else setOwners((list) => list.filter((e) => e !== r.email));
  };
  const hidden = (
    <>
      <input type="hidden" name="systemKey" value={systemKey} />
      <input type="hidden" name="version" value={version} />
      {owners.map((email) => (
        <input key={`o-${email}`} type="hidden" name="owners" value={email} />
      ))}
      {reviewers.map((email) => (
        <input key={`r-${email}`} type="hidden" name="reviewers" value={email} />
      ))}
    </>
  );
  const removedReviewers = removed.filter((r) => r.kind === "reviewer").length;
  const consequence = (
    <>
      <ul className="list-disc space-y-1 pl-5">
        {removed.map((r) => (
          <li key={`${r.kind}-${r.email}`}>
            {nameOf(r.email)} will no longer {r.kind === "owner" ? "own" : "review"} this system.
          </li>
        ))}
      </ul>
      {removedReviewers && submittedCheckpoints ? (
        <p className="mt-2">
          {submittedCheckpoints} submitted checkpoint{submittedCheckpoints === 1 ? "" : "s"}{" "}
          {submittedCheckpoints === 1 ? "loses" : "lose"} {removedReviewers === 1 ? "a reviewer" : "reviewers"}; the
          approvals already given stay.
        </p>
      ) : null}
      {owners.length === 0 ? (
        <p className="mt-2">Nobody will own it: no evidence or submissions until an owner is added.</p>
      ) : null}
      {reviewers.length === 0 ? <p className="mt-2">Nobody will be left to review it.</p> : null}
    </>
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    startTransition(() => dispatch(form));
  }

  return (
    <div className="space-y-4">
      <form id={formId} onSubmit={submit} className="space-y-4" aria-label="Owners and reviewers">
        {hidden}
        <div className="grid gap-4 sm:grid-cols-2">
          <PeopleList
            id="owners"
            label="Owners"
            emails={owners}
            people={people}
            available={available}
            onAdd={(email) => setOwners((list) => [...list, email])}
            onRemove={(email) => setOwners((list) => list.filter((e) => e !== email))}
            errors={errors?.owners}
          />
          <PeopleList
            id="reviewers"
            label="Reviewers"
            emails={reviewers}
            people={people}
            available={available}
            onAdd={(email) => setReviewers((list) => [...list, email])}
            onRemove={(email) => setReviewers((list) => list.filter((e) => e !== email))}
            errors={errors?.reviewers}
          />
        </div>
        {removed.length ? (
          <div className="text-sm" role="status">
            <p className="font-medium">To be removed when you save:</p>
            <ul className="mt-1 space-y-1">
              {removed.map((r) => (
                <li key={`${r.kind}-${r.email}`} className="flex flex-wrap items-center gap-2">
                  <span>
                    {nameOf(r.email)} as {r.kind}
                  </span>
                  <button
                    type="button"
                    onClick={() => keep(r)}
                    className="text-xs underline"
                    aria-label={`Keep ${nameOf(r.email)} as ${r.kind}`}
                  >
                    Keep
                  </button>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </form>
      {/* Outside the form: the confirmation dialog holds a form of its own, and forms cannot nest. */}
      <div className="flex flex-wrap items-center gap-3">
        {removed.length ? (
          <ConfirmAction
            action={action}
            hidden={hidden}
            trigger="Save assignments…"
            triggerClassName={buttonClass("primary")}
            title={`Remove ${removed.length === 1 ? nameOf(removed[0]!.email) : `${removed.length} people`} from this system?`}
            consequence={consequence}
            reasonLabel="Reason for the removal (kept in the audit trail)"
            confirmLabel={removed.length === 1 ? "Remove and save" : `Remove ${removed.length} and save`}
          />
        ) : (
          <Button type="submit" form={formId} variant="primary" disabled={pending}>
            {pending ? "Saving…" : "Save assignments"}
          </Button>
        )}
        <FormMessage result={result} />
      </div>
    </div>
  );
}

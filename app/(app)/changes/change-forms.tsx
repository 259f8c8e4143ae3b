"use client";
// The change gate's forms: register a change, review one, edit its links. Which ones show is
// decided on the server by the same rules the commands apply; the server refuses anyway.
import Link from "next/link";
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage, SelectField, TextField } from "@/components/ui/field";
import type { ActionResult } from "@/lib/action-result";
import { registerChangeAction, reviewChangeAction, updateChangeAction } from "./actions";

const errorsOf = (result: ActionResult<unknown> | null) => (result && !result.ok ? result.errors : undefined);

export function RegisterChangeForm({
  systems,
  defaultSystem,
}: {
  systems: { key: string; name: string }[];
  defaultSystem?: string;
}) {
  const [result, action, pending] = useActionState(registerChangeAction, null);
  const errors = errorsOf(result);
  return (
    <form action={action} className="space-y-3" aria-labelledby="register-change-title">
      <h2 id="register-change-title" className="font-medium">
        Register a change
      </h2>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          label="System"
          name="system"
          id="change-system"
          required
          defaultValue={defaultSystem ?? ""}
          errors={errors?.system}
        >
          <option value="" disabled>
            Choose a system…
          </option>
          {systems.map((s) => (
            <option key={s.key} value={s.key}>
              {s.name} ({s.key})
            </option>
          ))}
        </SelectField>
        <TextField label="Title" name="title" id="change-title" required maxLength={200} errors={errors?.title} />
        <TextField
          label="Pull request or change ticket"
          name="url"
          id="change-url"
          type="url"
          required
          placeholder="https://"
          errors={errors?.url}
        />
        <TextField
          label="Rollback plan"
          name="rollbackPlanUrl"
          id="change-rollback"
          type="url"
          placeholder="https://"
          errors={errors?.rollbackPlanUrl}
        />
        <TextField
          label="Documentation (optional)"
          name="docsUrl"
          id="change-docs"
          type="url"
          placeholder="https://"
          errors={errors?.docsUrl}
        />
        <TextField
          label="Co-authors (emails, optional)"
          name="coAuthors"
          id="change-coauthors"
          errors={errors?.coAuthors}
        />
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" name="aiAssisted" /> AI-assisted (written with an AI coding assistant)
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" variant="primary" disabled={pending}>
          {pending ? "Registering…" : "Register change"}
        </Button>
        <FormMessage result={result} />
        {result?.ok && result.data ? (
          <Link href={`/changes/${result.data.id}`} className="text-sm underline">
            Open the change
          </Link>
        ) : null}
      </div>
    </form>
  );
}

export function ReviewChangeForm({ changeId, revision }: { changeId: string; revision: number }) {
  const [result, action, pending] = useActionState(reviewChangeAction, null);
  return (
    <form action={action} className="space-y-2" aria-labelledby="review-change-title">
      <h2 id="review-change-title" className="font-medium">
        Your review
      </h2>
      <input type="hidden" name="changeId" value={changeId} />
      <input type="hidden" name="revision" value={revision} />
      <label htmlFor="review-change-comment" className="block text-xs font-medium text-muted">
        Comment (required when requesting changes)
      </label>
      <textarea
        id="review-change-comment"
        name="comment"
        rows={2}
        maxLength={4000}
        className="border-base block w-full rounded-md border bg-transparent px-2.5 py-1.5 text-sm"
      />
      <div className="flex flex-wrap items-center gap-2">
        <Button type="submit" name="decision" value="APPROVE" variant="primary" disabled={pending}>
          Approve change
        </Button>
        <Button type="submit" name="decision" value="REQUEST_CHANGES" variant="danger" disabled={pending}>
          Request changes
        </Button>
        <FormMessage result={result} />
      </div>
    </form>
  );
}

export function EditLinksForm({
  change,
}: {
  change: { id: string; version: number; url: string; rollbackPlanUrl: string | null; docsUrl: string | null };
}) {
  const [result, action, pending] = useActionState(updateChangeAction, null);
  const errors = errorsOf(result);
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-muted">Edit links… (approvals given so far become stale)</summary>
      <form action={action} className="mt-2 space-y-2">
        <input type="hidden" name="changeId" value={change.id} />
        <input type="hidden" name="version" value={change.version} />
        <div className="grid gap-2 sm:grid-cols-3">
          <TextField
            label="Pull request or change ticket"
            name="url"
            id="edit-url"
            type="url"
            required
            defaultValue={change.url}
            errors={errors?.url}
          />
          <TextField
            label="Rollback plan"
            name="rollbackPlanUrl"
            id="edit-rollback"
            type="url"
            defaultValue={change.rollbackPlanUrl ?? ""}
            errors={errors?.rollbackPlanUrl}
          />
          <TextField
            label="Documentation"
            name="docsUrl"
            id="edit-docs"
            type="url"
            defaultValue={change.docsUrl ?? ""}
            errors={errors?.docsUrl}
          />
        </div>
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Save links"}
          </Button>
          <FormMessage result={result} />
        </div>
      </form>
    </details>
  );
}

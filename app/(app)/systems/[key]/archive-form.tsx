"use client";
// A lead's archive / unarchive control on the system page: a reason is required either way.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage, TextField } from "@/components/ui/field";
import { archiveSystemAction, unarchiveSystemAction } from "./archive-actions";

export function ArchiveForm({ systemKey, archived }: { systemKey: string; archived: boolean }) {
  const [result, action, pending] = useActionState(archived ? unarchiveSystemAction : archiveSystemAction, null);
  const verb = archived ? "Unarchive" : "Archive";
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-muted">{verb} system…</summary>
      <form action={action} className="mt-2 space-y-2">
        <input type="hidden" name="systemKey" value={systemKey} />
        <TextField
          id="archive-reason"
          label={
            archived
              ? "Reason for bringing it back"
              : "Reason for archiving (it leaves every figure and queue; history stays)"
          }
          name="reason"
          required
          maxLength={500}
          errors={result && !result.ok ? result.errors?.reason : undefined}
        />
        <div className="flex items-center gap-3">
          <Button type="submit" variant={archived ? "secondary" : "danger"} disabled={pending}>
            {pending ? `${verb.replace(/e$/, "")}ing…` : `${verb} system`}
          </Button>
          <FormMessage result={result} />
        </div>
      </form>
    </details>
  );
}

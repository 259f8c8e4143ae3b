"use client";
// A lead's due-date override of one checkpoint (with a required reason), and clearing it.
import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { FormMessage, TextField } from "@/components/ui/field";
import { Hidden } from "./checkpoint-actions";
import { clearDueDateOverrideAction, overrideDueDateAction } from "./due-date-actions";

interface Target {
  systemKey: string;
  milestone: string;
  milestoneName: string;
  version: number;
  dueOn: string;
  overridden: boolean;
}


export function DueDateOverride({ target, min, max }: { target: Target; min: string; max: string }) {
  const [result, action, pending] = useActionState(overrideDueDateAction, null);
  const [cleared, clear, clearing] = useActionState(clearDueDateOverrideAction, null);
  const errors = result && !result.ok ? result.errors : undefined;
  const id = `due-${target.milestone}`;
  return (
    <details className="text-sm">
      <summary className="cursor-pointer text-muted">Change the due date…</summary>
      <form action={action} className="mt-2 space-y-2" aria-label={`Change the due date of ${target.milestoneName}`}>
        <Hidden target={target} />
        <div className="grid gap-2 sm:grid-cols-[12rem_1fr]">
          <TextField id={`${id}-date`} label="New due date" name="dueOn" type="date" required defaultValue={target.dueOn} min={min} max={max} errors={errors?.dueOn} />
          <TextField id={`${id}-reason`} label="Reason for the change" name="reason" required maxLength={2000} errors={errors?.reason} />
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <Button type="submit" disabled={pending}>
            {pending ? "Saving…" : "Set due date"}
          </Button>
          <FormMessage result={result} />
        </div>
      </form>
      {target.overridden ? (
        <form action={clear} className="mt-2 flex flex-wrap items-center gap-3">
          <Hidden target={target} />
          <Button type="submit" disabled={clearing} aria-label={`Clear the due-date override of ${target.milestoneName}`}>
            {clearing ? "Clearing…" : "Back to the program's date"}
          </Button>
          <FormMessage result={cleared} />
        </form>
      ) : null}
    </details>
  );
}

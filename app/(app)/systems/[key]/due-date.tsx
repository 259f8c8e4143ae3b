"use client";
// A lead's due-date override of one checkpoint (with a required reason), and clearing it.
import { Button } from "@/components/ui/button";
import { FormErrors, useFormAction } from "@/components/ui/form-state";
import { TextField } from "@/components/ui/field";
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
  const form = useFormAction(overrideDueDateAction);
  const clear = useFormAction(clearDueDateOverrideAction);
  const id = `due-${target.milestone}`;
  const fields = {
    dueOn: { label: "New due date", id: `${id}-date` },
    reason: { label: "Reason for the change", id: `${id}-reason` },
  };
  return (
    <details className="text-sm" open={form.result?.ok === false ? true : undefined}>
      <summary className="cursor-pointer text-muted">Change the due date…</summary>
      <form
        key={form.formKey}
        id={form.formId}
        action={form.action}
        className="mt-2 space-y-2"
        aria-label={`Change the due date of ${target.milestoneName}`}
      >
        <Hidden target={target} />
        <FormErrors state={form} fields={fields} />
        <div className="grid gap-2 sm:grid-cols-[12rem_1fr]">
          <TextField
            id={fields.dueOn.id}
            label={fields.dueOn.label}
            name="dueOn"
            type="date"
            required
            defaultValue={form.value("dueOn", target.dueOn)}
            min={min}
            max={max}
            errors={form.errors.dueOn}
          />
          <TextField
            id={fields.reason.id}
            label={fields.reason.label}
            name="reason"
            required
            maxLength={2000}
            defaultValue={form.value("reason")}
            errors={form.errors.reason}
          />
        </div>
        <Button type="submit" disabled={form.pending}>
          {form.pending ? "Saving…" : "Set due date"}
        </Button>
      </form>
      {target.overridden ? (
        <form
          key={clear.formKey}
          id={clear.formId}
          action={clear.action}
          className="mt-2 flex flex-wrap items-center gap-3"
        >
          <Hidden target={target} />
          <Button
            type="submit"
            disabled={clear.pending}
            aria-label={`Clear the due-date override of ${target.milestoneName}`}
          >
            {clear.pending ? "Clearing…" : "Back to the program's date"}
          </Button>
          <FormErrors state={clear} fields={{}} />
        </form>
      ) : null}
    </details>
  );
}

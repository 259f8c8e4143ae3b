"use client";
// A destructive action behind a confirmation: a modal <dialog> that says what will happen and
// takes the reason the audit trail records. showModal() keeps focus inside and Escape closes
// it; focus goes back to the button that opened it.
import { useId, useRef, type ReactNode } from "react";
import { AlertTriangle } from "lucide-react";
import type { ActionResult } from "@/lib/action-result";
import { Button } from "@/components/ui/button";
import { FormErrors, useFormAction } from "@/components/ui/form-state";
import { TextAreaField } from "@/components/ui/field";

type Action = (previous: ActionResult | null, form: FormData) => Promise<ActionResult>;

export function ConfirmAction({
  action,
  trigger,
  triggerLabel,
  triggerClassName,
  title,
  consequence,
  reasonLabel,
  confirmLabel,
  hidden,
}: {
  action: Action;
  /** The visible text of the opening button. */
  trigger: ReactNode;
  /** Its accessible name, when the text alone is ambiguous ("Withdraw" which evidence?). */
  triggerLabel?: string;
  triggerClassName?: string;
  title: string;
  consequence: ReactNode;
  reasonLabel: string;
  confirmLabel: string;
  /** Hidden inputs naming what the action applies to. */
  hidden: ReactNode;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const close = () => {
    dialog.current?.close();
  };
  const state = useFormAction(action, { onSuccess: close });
  const id = useId();
  const reasonId = `${id}-reason`;

  return (
    <>
      <button
        ref={opener}
        type="button"
        aria-haspopup="dialog"
        aria-label={triggerLabel}
        className={triggerClassName ?? "text-xs text-muted underline"}
        onClick={() => dialog.current?.showModal()}
      >
        {trigger}
      </button>
      <dialog
        ref={dialog}
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-consequence`}
        onClose={() => opener.current?.focus()}
        className="confirm-dialog surface border-base m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border p-0 text-[var(--text)] shadow-xl"
      >
        <form key={state.formKey} id={state.formId} action={state.action} className="space-y-3 p-4">
          {hidden}
          <h2 id={`${id}-title`} className="flex items-start gap-2 text-base font-semibold">
            <AlertTriangle
              aria-hidden
              className="mt-0.5 size-4 shrink-0"
              style={{ color: "var(--color-health-overdue)" }}
            />
            {title}
          </h2>
          <div id={`${id}-consequence`} className="text-sm">
            {consequence}
          </div>
          <TextAreaField
            id={reasonId}
            label={reasonLabel}
            name="reason"
            rows={3}
            required
            maxLength={2000}
            defaultValue={state.value("reason")}
            errors={state.errors.reason}
            autoFocus
          />
          <FormErrors state={state} fields={{ reason: { label: reasonLabel, id: reasonId } }} />
          <div className="flex flex-wrap justify-end gap-2">
            <Button type="button" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" variant="danger" disabled={state.pending}>
              {state.pending ? "Working…" : confirmLabel}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}

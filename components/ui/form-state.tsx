"use client";
// The one way a form talks to its server action. A refusal keeps everything that was typed
// (the action hands the submitted values back and the form is re-created with them, because
// React resets a form after its action runs), shows each message once at its field
// (aria-describedby), a summary when several fields are wrong, and moves focus to the first
// problem. A success goes to the layout's confirmation toast, which outlives the form.
import { useActionState, useEffect, useId, type ReactNode } from "react";
import type { ActionResult } from "@/lib/action-result";
import { useSuccessToast } from "@/components/ui/toast";

type Action<T> = (previous: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

interface State<T> {
  result: ActionResult<T>;
  attempt: number;
}

export interface FormState<T> {
  /** Pass as the form's action. */
  action: (form: FormData) => void;
  /** Pass as the form's key: a new attempt re-creates the form with the values below. */
  formKey: number;
  /** Pass as the form's id: focus finds the form's first problem by it. */
  formId: string;
  pending: boolean;
  result: ActionResult<T> | null;
  errors: Record<string, string[]>;
  /** What was submitted last time if it was refused, else the fallback (the field's initial value). */
  value: (name: string, fallback?: string) => string;
}

export function useFormAction<T = undefined>(
  serverAction: Action<T>,
  options: { onSuccess?: (result: ActionResult<T> & { ok: true }) => void } = {},
): FormState<T> {
  const toast = useSuccessToast();
  const { onSuccess } = options;
  const [state, action, pending] = useActionState(
    async (previous: State<T> | null, form: FormData): Promise<State<T>> => {
      const result = await serverAction(previous?.result ?? null, form);
      // Here, not in an effect: the page refresh that follows a success may unmount this form.
      if (result.ok) {
        if (result.message) toast(result.message);
        onSuccess?.(result);
      }
      return { result, attempt: (previous?.attempt ?? 0) + 1 };
    },
    null,
  );
  const formId = useId();
  const result = state?.result ?? null;
  const failed = result && !result.ok ? result : null;

  useEffect(() => {
    if (state && !state.result.ok) focusFirstProblem(document.getElementById(formId) as HTMLFormElement | null);
  }, [state, formId]);

  return {
    action,
    formKey: state?.attempt ?? 0,
    formId,
    pending,
    result,
    errors: failed?.errors ?? {},
    value: (name, fallback = "") => failed?.values?.[name] ?? fallback,
  };
}

/** After a refusal: the summary when there is one, else the first field marked invalid, else the message. */
export function focusFirstProblem(form: HTMLFormElement | null) {
  const target =
    form?.querySelector<HTMLElement>("[data-error-summary]") ??
    form?.querySelector<HTMLElement>('[aria-invalid="true"]') ??
    form?.querySelector<HTMLElement>('[role="alert"]');
  target?.focus();
}

/**
 * The refusal of a form, said once: nothing more when the only problem is shown at its field;
 * a linked summary when several fields are wrong; the message itself when no field is to blame.
 * `fields` names the fields the form shows at their inputs, with their labels and input ids.
 */
export function FormErrors<T>({
  state,
  fields,
}: {
  state: Pick<FormState<T>, "result" | "errors">;
  fields: Record<string, { label: string; id: string }>;
}) {
  const { result, errors } = state;
  if (!result || result.ok) return null;
  const atFields = Object.keys(errors).filter((name) => name in fields);
  const elsewhere = Object.entries(errors)
    .filter(([name]) => !(name in fields))
    .flatMap(([, messages]) => messages);
  if (atFields.length >= 2) {
    return (
      <div
        data-error-summary
        tabIndex={-1}
        role="alert"
        className="rounded-md border px-3 py-2 text-sm"
        style={{ borderColor: "var(--color-health-overdue)" }}
      >
        <p className="font-medium">Fix {atFields.length} fields to continue:</p>
        <ul className="mt-1 list-disc pl-5">
          {atFields.map((name) => (
            <li key={name}>
              <a className="underline" href={`#${fields[name]?.id ?? ""}`}>
                {fields[name]?.label ?? name}
              </a>
              : {(errors[name] ?? []).join(" ")}
            </li>
          ))}
        </ul>
        {elsewhere.length ? <p className="mt-1">{elsewhere.join(" ")}</p> : null}
      </div>
    );
  }
  if (atFields.length === 1 && !elsewhere.length) return null;
  return <ErrorText>{elsewhere.length ? elsewhere.join(" ") : result.message}</ErrorText>;
}

function ErrorText({ children }: { children: ReactNode }) {
  return (
    <p role="alert" tabIndex={-1} className="text-sm" style={{ color: "var(--color-health-overdue)" }}>
      {children}
    </p>
  );
}

// What a server action returns to its form: success, or the refusal's message and per-field
// errors. Expected refusals (DomainError) carry their own words; anything else is logged and
// the user sees a generic message. A refusal also hands back what was submitted, so that the
// form shows it again instead of the blank fields a reset would leave.
import {
  isDatabaseUnavailable,
  OUTCOME_UNKNOWN_MESSAGE,
  OutcomeUnknownError,
  SAVED_BUT_UNANSWERED_MESSAGE,
} from "@/lib/db-unavailable";
import { currentRequest } from "@/lib/observability/request-context";
import { Conflict, DomainError, ValidationError, isInvalidDataError } from "@/lib/errors";
import { logger } from "@/lib/log";

const log = logger("action");

export type FormValues = Record<string, string>;

export type ActionResult<T = undefined> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; message: string; errors?: Record<string, string[]>; values?: FormValues };

export function actionError(error: unknown, form?: FormData): ActionResult<never> {
  const values = form ? submittedValues(form) : undefined;
  if (error instanceof ValidationError) return { ok: false, message: error.message, errors: error.errors, values };
  if (error instanceof Conflict && error.errors)
    return { ok: false, message: error.message, errors: error.errors, values };
  if (error instanceof DomainError) return { ok: false, message: error.message, values };
  if (isInvalidDataError(error)) {
    log.warn({ err: error }, "a value the database refused reached it past validation");
    return {
      ok: false,
      message:
        "A value in the form cannot be stored (for example a control character or a number out of range); nothing was changed.",
      values,
    };
  }
  if (error instanceof OutcomeUnknownError) {
    log.warn({ err: error }, "the database went away while a server action's change was being committed");
    return { ok: false, message: OUTCOME_UNKNOWN_MESSAGE, values };
  }
  if (isDatabaseUnavailable(error) && currentRequest()?.committed) {
    log.warn({ err: error }, "the database went away after a server action's change was committed");
    return { ok: false, message: SAVED_BUT_UNANSWERED_MESSAGE, values };
  }
  if (isDatabaseUnavailable(error)) {
    log.warn({ err: error }, "server action refused: the database is unavailable");
    return {
      ok: false,
      message: "The database is unavailable right now; nothing was changed. Try again in a minute.",
      values,
    };
  }
  log.error({ err: error }, "unhandled error in a server action");
  return { ok: false, message: "Something went wrong on our side; nothing was changed. Try again.", values };
}

/** A refusal of one field, decided in the action before any command runs. */
export function fieldError(field: string, message: string, form: FormData): ActionResult<never> {
  return { ok: false, message, errors: { [field]: [message] }, values: submittedValues(form) };
}

/**
 * The text fields of a submitted form, to show again after a refusal. Secrets are never echoed
 * back, nor React's own action fields.
 */
export function submittedValues(form: FormData): FormValues {
  const values: FormValues = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string" || key.startsWith("$ACTION") || /password|secret|token/i.test(key)) continue;
    values[key] = value;
  }
  return values;
}

/** A text field of a submitted form; files and missing fields read as undefined. */
export function formText(form: FormData, key: string): string | undefined {
  const value = form.get(key);
  return typeof value === "string" ? value : undefined;
}

// What a server action returns to its form: success, or the refusal's message and per-field
// errors. Expected refusals (DomainError) carry their own words; anything else is logged and
// the user sees a generic message.
import { Conflict, DomainError, ValidationError, isInvalidDataError } from "@/lib/errors";

export type ActionResult<T = undefined> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; message: string; errors?: Record<string, string[]> };

export function actionError(error: unknown): ActionResult<never> {
  if (error instanceof ValidationError) return { ok: false, message: error.message, errors: error.errors };
  if (error instanceof Conflict && error.errors) return { ok: false, message: error.message, errors: error.errors };
  if (error instanceof DomainError) return { ok: false, message: error.message };
  if (isInvalidDataError(error)) {
    console.warn("A value the database refused reached it past validation:", error);
    return { ok: false, message: "A value in the form cannot be stored (for example a control character or a number out of range); nothing was changed." };
  }
  console.error("Unhandled error in a server action:", error);
  return { ok: false, message: "Something went wrong on our side; nothing was changed. Try again." };
}

/** A text field of a submitted form; files and missing fields read as undefined. */
export function formText(form: FormData, key: string): string | undefined {
  const value = form.get(key);
  return typeof value === "string" ? value : undefined;
}

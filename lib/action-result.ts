// What a server action returns to its form: success, or the refusal's message and per-field
// errors. Expected refusals (DomainError) carry their own words; anything else is logged and
// the user sees a generic message.
import { isDatabaseUnavailable } from "@/lib/db-unavailable";
import { Conflict, DomainError, ValidationError } from "@/lib/errors";
import { logger } from "@/lib/log";

const log = logger("action");

export type ActionResult<T = undefined> =
  | { ok: true; message?: string; data?: T }
  | { ok: false; message: string; errors?: Record<string, string[]> };

export function actionError(error: unknown): ActionResult<never> {
  if (error instanceof ValidationError) return { ok: false, message: error.message, errors: error.errors };
  if (error instanceof Conflict && error.errors) return { ok: false, message: error.message, errors: error.errors };
  if (error instanceof DomainError) return { ok: false, message: error.message };
  if (isDatabaseUnavailable(error)) {
    log.warn({ err: error }, "server action refused: the database is unavailable");
    return { ok: false, message: "The database is unavailable right now; nothing was changed. Try again in a minute." };
  }
  log.error({ err: error }, "unhandled error in a server action");
  return { ok: false, message: "Something went wrong on our side; nothing was changed. Try again." };
}

/** A text field of a submitted form; files and missing fields read as undefined. */
export function formText(form: FormData, key: string): string | undefined {
  const value = form.get(key);
  return typeof value === "string" ? value : undefined;
}

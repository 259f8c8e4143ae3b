// The wrapper every server action uses, as apiRoute (lib/api/route.ts) is for route handlers
// (docs/ARCHITECTURE.md, section 3): it resolves the signed-in actor itself (a server action is a
// public POST endpoint), reads the form into the command's input, runs the lib/data command,
// revalidates what the change shows on, and maps every refusal or failure through actionError.
// Authorization and the zod parse stay with the command, which the API calls too, so a form and
// the API cannot be checked differently.
import "server-only";
import { revalidatePath } from "next/cache";
import { actionError, type ActionResult } from "@/lib/action-result";
import { requireActionActor } from "@/lib/auth/action-actor";
import type { Actor } from "@/lib/data/actor";

/** A path to revalidate, or a layout (every page under it). */
export type Revalidation = string | { layout: string };

/** A success's words, and the data the form needs back (a token shown once, a new key). */
export type Success<T> = string | { message: string; data?: T };

export interface FormActionSpec<I, R, T> {
  /** The command's input from the form's fields; the command validates it. */
  input: (form: FormData) => I;
  run: (actor: Actor, input: I, form: FormData) => Promise<R>;
  /** What to revalidate after a success; nothing when it returns an empty list. */
  revalidate?: readonly Revalidation[] | ((result: R, input: I) => readonly Revalidation[]);
  success: (result: R, context: { actor: Actor; input: I; form: FormData }) => Success<T> | Promise<Success<T>>;
  /** Hand the submitted values back on a refusal (default), so the form shows what was typed. */
  echoValues?: boolean;
  /** A refusal this form words its own way; anything it returns undefined for goes to actionError. */
  refusal?: (error: unknown) => ActionResult<T> | undefined;
}

const NO_FIELDS = new FormData();

/** The (previous, form) signature useActionState gives a form's action. */
export type FormAction<T> = (previous: ActionResult<T> | null, form: FormData) => Promise<ActionResult<T>>;

export function formAction<I, R, T = undefined>(spec: FormActionSpec<I, R, T>): FormAction<T> {
  return async (_previous, submitted) => {
    // A button-only form (sign out everywhere, mark all read) may be called without one.
    const form = submitted ?? NO_FIELDS;
    try {
      const actor = await requireActionActor();
      const input = spec.input(form);
      const result = await spec.run(actor, input, form);
      const paths = typeof spec.revalidate === "function" ? spec.revalidate(result, input) : (spec.revalidate ?? []);
      for (const path of paths) {
        if (typeof path === "string") revalidatePath(path);
        else revalidatePath(path.layout, "layout");
      }
      const success = await spec.success(result, { actor, input, form });
      return typeof success === "string" ? { ok: true, message: success } : { ok: true, ...success };
    } catch (error) {
      const own = spec.refusal?.(error);
      if (own) return own;
      return actionError(error, spec.echoValues === false ? undefined : form);
    }
  };
}

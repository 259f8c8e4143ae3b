"use server";
// A lead's due-date override of one checkpoint, and clearing it. Public POST endpoints: each
// reads the session itself; the lib/data command authorizes (leads only), validates and audits.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { clearDueDateOverride, overrideDueDate } from "@/lib/data/system-admin";
import { formatShortDay } from "@/lib/format";

const text = (form: FormData, key: string) => formText(form, key) ?? "";
const version = (form: FormData) => Number(text(form, "version")) || undefined;

export async function overrideDueDateAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const key = text(form, "systemKey");
    const result = await overrideDueDate(await actor(), key, text(form, "milestone"), {
      dueOn: text(form, "dueOn"),
      reason: text(form, "reason"),
      version: version(form),
    });
    revalidatePath(`/systems/${key}`);
    return {
      ok: true,
      message: `Due date set to ${formatShortDay(result.dueOn)}; the reason shows on the milestone and is kept in the audit trail.`,
    };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function clearDueDateOverrideAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const key = text(form, "systemKey");
    const result = await clearDueDateOverride(await actor(), key, text(form, "milestone"), { version: version(form) });
    revalidatePath(`/systems/${key}`);
    return { ok: true, message: `Due date back to the program's ${formatShortDay(result.dueOn)}.` };
  } catch (error) {
    return actionError(error, form);
  }
}

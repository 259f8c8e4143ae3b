"use server";
// Archive and unarchive from the system page (leads). Public POST endpoints: each reads the
// session itself; the lib/data command authorizes, validates and audits.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { archiveSystem, unarchiveSystem } from "@/lib/data/system-archive";

async function run(form: FormData, command: typeof archiveSystem, message: string): Promise<ActionResult> {
  try {
    const key = formText(form, "systemKey") ?? "";
    await command(await actor(), key, { reason: formText(form, "reason") ?? "" });
    revalidatePath(`/systems/${key}`);
    revalidatePath("/systems");
    return { ok: true, message };
  } catch (error) {
    return actionError(error);
  }
}

export async function archiveSystemAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return run(form, archiveSystem, "System archived: it has left the figures, queues and default listings.");
}

export async function unarchiveSystemAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  return run(form, unarchiveSystem, "System restored to the figures, queues and listings.");
}

"use server";
// Creating a system from /systems/new. A public POST endpoint: it reads the session itself and
// the lib/data command authorizes (leads only), validates and audits.
import { revalidatePath } from "next/cache";
import { actionError, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { createSystem } from "@/lib/data/system-admin";
import { systemFormInput } from "@/lib/system-form-input";

export async function createSystemAction(
  _: ActionResult<{ key: string }> | null,
  form: FormData,
): Promise<ActionResult<{ key: string }>> {
  try {
    const system = await createSystem(await actor(), { key: form.get("key"), ...systemFormInput(form) });
    revalidatePath("/systems");
    return { ok: true, message: `Created ${system.name}.`, data: { key: system.key } };
  } catch (error) {
    return actionError(error, form);
  }
}

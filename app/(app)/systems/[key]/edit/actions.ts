"use server";
// Editing a system and its assignments. Each is a public POST endpoint: it reads the session
// itself and the lib/data command authorizes (leads only), validates, checks the version and audits.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { setAssignments, updateSystem } from "@/lib/data/system-admin";
import { systemFormInput } from "@/lib/system-form-input";

export async function updateSystemAction(
  _: ActionResult<{ key: string; updatedAt?: string }> | null,
  form: FormData,
): Promise<ActionResult<{ key: string; updatedAt?: string }>> {
  try {
    const key = formText(form, "key") ?? "";
    const system = await updateSystem(await actor(), key, {
      ...systemFormInput(form),
      expectedUpdatedAt: formText(form, "expectedUpdatedAt") ?? "",
    });
    revalidatePath(`/systems/${system.key}`);
    return { ok: true, message: "Saved.", data: { key: system.key, updatedAt: system.updatedAt } };
  } catch (error) {
    return actionError(error, form);
  }
}

export async function setAssignmentsAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const key = formText(form, "systemKey") ?? "";
    const emails = (name: string) => form.getAll(name).filter((v): v is string => typeof v === "string");
    const { warnings } = await setAssignments(await actor(), key, {
      owners: emails("owners"),
      reviewers: emails("reviewers"),
      version: Number(formText(form, "version")) || undefined,
      reason: formText(form, "reason"),
    });
    revalidatePath(`/systems/${key}`);
    return {
      ok: true,
      message: warnings.length
        ? `Assignments saved, but ${warnings.length} milestone${warnings.length === 1 ? " has" : "s have"} no eligible reviewer — ${warnings.join(" ")}`
        : "Assignments saved.",
    };
  } catch (error) {
    return actionError(error, form);
  }
}

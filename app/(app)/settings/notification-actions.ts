"use server";
// The signed-in person's notification preferences.
import { revalidatePath } from "next/cache";
import { actionError, type ActionResult } from "@/lib/action-result";
import { requireActionActor } from "@/lib/auth/action-actor";
import { saveMyNotificationPreferences } from "@/lib/data/notification-preferences";

export async function saveNotificationPreferencesAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    await saveMyNotificationPreferences(await requireActionActor(), Object.fromEntries(form.entries()));
    revalidatePath("/settings");
    return { ok: true, message: "Notification preferences saved." };
  } catch (error) {
    return actionError(error);
  }
}

"use server";
// Mark the signed-in person's notifications read: one, or all of them.
import { revalidatePath } from "next/cache";
import { actionError, formText, type ActionResult } from "@/lib/action-result";
import { requireActionActor } from "@/lib/auth/action-actor";
import { markNotificationsRead } from "@/lib/data/notifications";

export async function markReadAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    await markNotificationsRead(await requireActionActor(), { ids: [formText(form, "id")] });
    revalidatePath("/", "layout");
    return { ok: true, message: "Marked read." };
  } catch (error) {
    return actionError(error);
  }
}

export async function markAllReadAction(_: ActionResult | null): Promise<ActionResult> {
  try {
    const { updated } = await markNotificationsRead(await requireActionActor(), { all: true });
    revalidatePath("/", "layout");
    return { ok: true, message: `Marked ${updated} read.` };
  } catch (error) {
    return actionError(error);
  }
}

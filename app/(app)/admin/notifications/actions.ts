"use server";
// Server actions of the notification admin: team webhooks and outbox retries. Each reads the
// session itself; the lib/data command authorizes (leads only) and audits.
import { revalidatePath } from "next/cache";
import { actionError, formText as text, type ActionResult } from "@/lib/action-result";
import { requireActionActor as actor } from "@/lib/auth/action-actor";
import { createWebhook, deactivateWebhook, retryDelivery } from "@/lib/data/notification-admin";
import { saveDefaultNotificationPreferences } from "@/lib/data/notification-preferences";

export async function createWebhookAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    const webhook = await createWebhook(await actor(), {
      team: text(form, "team"),
      format: text(form, "format"),
      url: text(form, "url"),
      secret: text(form, "secret"),
    });
    revalidatePath("/admin/notifications");
    return {
      ok: true,
      message: `Added a ${webhook.format === "SLACK" ? "Slack" : "signed JSON"} webhook for ${webhook.team}.`,
    };
  } catch (error) {
    return actionError(error);
  }
}

export async function deactivateWebhookAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    await deactivateWebhook(await actor(), { id: text(form, "id") });
    revalidatePath("/admin/notifications");
    return { ok: true, message: "Webhook turned off." };
  } catch (error) {
    return actionError(error);
  }
}

export async function retryDeliveryAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    await retryDelivery(await actor(), { id: text(form, "id") });
    revalidatePath("/admin/notifications");
    return { ok: true, message: "Queued for another attempt." };
  } catch (error) {
    return actionError(error);
  }
}

export async function saveNotificationDefaultsAction(_: ActionResult | null, form: FormData): Promise<ActionResult> {
  try {
    await saveDefaultNotificationPreferences(await actor(), Object.fromEntries(form.entries()));
    revalidatePath("/admin/notifications");
    return { ok: true, message: "Defaults saved. They apply to everyone who has not chosen for themself." };
  } catch (error) {
    return actionError(error);
  }
}

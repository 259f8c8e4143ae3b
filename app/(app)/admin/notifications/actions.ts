"use server";
// Server actions of the notification admin: team webhooks and outbox retries. formAction reads the
// session itself; the lib/data command authorizes (leads only) and audits. A refusal does not hand
// the fields back: the webhook form holds a secret, and the others are single buttons.
import { formText as text } from "@/lib/action-result";
import { createWebhook, deactivateWebhook, retryDelivery } from "@/lib/data/notification-admin";
import { saveDefaultNotificationPreferences } from "@/lib/data/notification-preferences";
import { formAction } from "@/lib/form-action";

const revalidate = ["/admin/notifications"];

export const createWebhookAction = formAction({
  input: (form) => ({
    team: text(form, "team"),
    format: text(form, "format"),
    url: text(form, "url"),
    secret: text(form, "secret"),
  }),
  run: createWebhook,
  revalidate,
  success: (webhook) => `Added a ${webhook.format === "SLACK" ? "Slack" : "signed JSON"} webhook for ${webhook.team}.`,
  echoValues: false,
});

export const deactivateWebhookAction = formAction({
  input: (form) => ({ id: text(form, "id") }),
  run: deactivateWebhook,
  revalidate,
  success: () => "Webhook turned off.",
  echoValues: false,
});

export const retryDeliveryAction = formAction({
  input: (form) => ({ id: text(form, "id") }),
  run: retryDelivery,
  revalidate,
  success: () => "Queued for another attempt.",
  echoValues: false,
});

export const saveNotificationDefaultsAction = formAction({
  input: (form) => Object.fromEntries(form.entries()),
  run: saveDefaultNotificationPreferences,
  revalidate,
  success: () => "Defaults saved. They apply to everyone who has not chosen for themself.",
  echoValues: false,
});

"use server";
// The signed-in person's notification preferences.
import { saveMyNotificationPreferences } from "@/lib/data/notification-preferences";
import { formAction } from "@/lib/form-action";

export const saveNotificationPreferencesAction = formAction({
  input: (form) => Object.fromEntries(form.entries()),
  run: saveMyNotificationPreferences,
  revalidate: ["/settings"],
  success: () => "Notification preferences saved.",
  echoValues: false,
});

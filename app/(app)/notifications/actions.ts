"use server";
// Mark the signed-in person's notifications read: one, or all of them.
import { formText } from "@/lib/action-result";
import { markNotificationsRead } from "@/lib/data/notifications";
import { formAction } from "@/lib/form-action";

const revalidate = [{ layout: "/" }];

export const markReadAction = formAction({
  input: (form) => ({ ids: [formText(form, "id")] }),
  run: markNotificationsRead,
  revalidate,
  success: () => "Marked read.",
  echoValues: false,
});

export const markAllReadAction = formAction({
  input: () => ({ all: true }),
  run: markNotificationsRead,
  revalidate,
  success: ({ updated }) => `Marked ${updated} read.`,
  echoValues: false,
});

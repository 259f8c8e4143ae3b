// The notification preferences form, validated at the edge. Checkboxes arrive as "on" or absent.
import { z } from "zod";
import { EmailMode, NotificationEvent } from "@/lib/generated/prisma/enums";

const checkbox = z
  .enum(["on", "true", "false"])
  .optional()
  .transform((v) => v === "on" || v === "true");

export const channelPreferencesSchema = z.object(
  Object.fromEntries(
    Object.values(NotificationEvent).flatMap((event) => [
      [`inApp.${event}`, checkbox],
      [`email.${event}`, checkbox],
    ]),
  ) as Record<string, typeof checkbox>,
);

export const emailSettingsSchema = z.object({
  emailMode: z.enum(EmailMode),
  digestHour: z.coerce.number().int("an hour from 0 to 23").min(0).max(23),
  quietWeekends: checkbox,
});

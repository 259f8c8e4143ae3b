// A person's notification preferences as pure decisions: which channels an event goes to, and
// when an e-mail may leave (at once, in the daily digest, not on a quiet weekend). Hours, days and
// weekends are read on the program's wall clock (its time zone; UTC unless a lead set one).
import { DEFAULT_TIME_ZONE, localDay, localTime, zonedInstant } from "@/lib/domain/time-zone";
import type { EmailMode, NotificationEvent } from "@/lib/generated/prisma/enums";

export interface ChannelChoice {
  inApp: boolean;
  email: boolean;
}

export interface EmailSettings {
  mode: EmailMode;
  digestHour: number;
  quietWeekends: boolean;
}

export const DEFAULT_SETTINGS: EmailSettings = { mode: "IMMEDIATE", digestHour: 8, quietWeekends: false };
const ALL_ON: ChannelChoice = { inApp: true, email: true };

/** The person's own choice for the event, else the lead's default, else every channel. */
export function channelsFor(
  event: NotificationEvent,
  own: ReadonlyMap<NotificationEvent, ChannelChoice>,
  defaults: ReadonlyMap<NotificationEvent, ChannelChoice>,
): ChannelChoice {
  return own.get(event) ?? defaults.get(event) ?? ALL_ON;
}

const DAY_MS = 86_400_000;

/** A quiet weekend moves an e-mail due on Saturday or Sunday to Monday at the digest hour. */
function pastQuietWeekend(at: Date, settings: EmailSettings, timeZone: string): Date {
  if (!settings.quietWeekends) return at;
  const weekday = localTime(at, timeZone).weekday;
  if (weekday < 6) return at;
  const monday = new Date(localDay(at, timeZone).getTime() + (8 - weekday) * DAY_MS);
  return zonedInstant(monday, settings.digestHour, timeZone);
}

/** When an immediate e-mail made at `now` may be sent. */
export function immediateSendAt(now: Date, settings: EmailSettings, timeZone = DEFAULT_TIME_ZONE): Date {
  return pastQuietWeekend(now, settings, timeZone);
}

/**
 * When the digest of `day`'s notifications is due: the next day at the chosen hour. `day` is the
 * local calendar day the notifications were made on (a UTC-midnight Date, as DATE columns hold).
 */
export function digestDueAt(day: Date, settings: EmailSettings, timeZone = DEFAULT_TIME_ZONE): Date {
  const next = new Date(day.getTime() + DAY_MS);
  return pastQuietWeekend(zonedInstant(next, settings.digestHour, timeZone), settings, timeZone);
}

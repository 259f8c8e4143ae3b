// A person's notification preferences as pure decisions: which channels an event goes to, and
// when an e-mail may leave (at once, in the daily digest, not on a quiet weekend). Hours are UTC.
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

function atHour(day: Date, hour: number): Date {
  return new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour));
}

const isWeekend = (at: Date) => at.getUTCDay() === 0 || at.getUTCDay() === 6;

/** A quiet weekend moves an e-mail due on Saturday or Sunday to Monday at the digest hour. */
function pastQuietWeekend(at: Date, settings: EmailSettings): Date {
  if (!settings.quietWeekends || !isWeekend(at)) return at;
  const daysToMonday = at.getUTCDay() === 6 ? 2 : 1;
  return atHour(new Date(at.getTime() + daysToMonday * DAY_MS), settings.digestHour);
}

/** When an immediate e-mail made at `now` may be sent. */
export function immediateSendAt(now: Date, settings: EmailSettings): Date {
  return pastQuietWeekend(now, settings);
}

/** When the digest of `day`'s notifications is due: the next day at the chosen hour. */
export function digestDueAt(day: Date, settings: EmailSettings): Date {
  return pastQuietWeekend(atHour(new Date(day.getTime() + DAY_MS), settings.digestHour), settings);
}

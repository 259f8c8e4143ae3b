// The program's wall clock (docs/RULES.md, section 2): an IANA time zone, and the conversions
// between an instant and a local date and hour there. Pure: Intl does the zone rules, so DST
// transitions come from the runtime's time-zone data, not from tables of our own.

export const DEFAULT_TIME_ZONE = "UTC";

/** The zone's canonical name ("europe/berlin" → "Europe/Berlin"), or null when it is not one. */
export function canonicalTimeZone(name: string): string | null {
  // Offsets ("+01:00") and abbreviations ("CET" aside) are not places: a wall clock needs a region.
  if (!/^[A-Za-z][A-Za-z0-9_+/-]{0,63}$/.test(name)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** Every zone a lead may choose, UTC first. */
export function timeZoneChoices(): string[] {
  const zones = Intl.supportedValuesOf("timeZone").filter((zone) => zone !== DEFAULT_TIME_ZONE);
  return [DEFAULT_TIME_ZONE, ...zones];
}

export interface LocalTime {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 1 = Monday … 7 = Sunday (ISO). */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock reading of `instant` in `timeZone`. */
export function localTime(instant: Date, timeZone: string): LocalTime {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      weekday: "short",
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday!]!,
  };
}

/** The local calendar day of `instant`, as the UTC midnight the database's DATE columns use. */
export function localDay(instant: Date, timeZone: string): Date {
  const t = localTime(instant, timeZone);
  return new Date(Date.UTC(t.year, t.month - 1, t.day));
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
function offsetAt(instant: Date, timeZone: string): number {
  const t = localTime(instant, timeZone);
  const asUtc = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  return asUtc - Math.floor(instant.getTime() / 60_000) * 60_000;
}

/**
 * The instant at which the clock in `timeZone` reads `hour`:00 on `day` (a UTC-midnight Date naming
 * the local date). Asked twice, because the offset at the first guess may be the other side of a
 * DST change; an hour that a spring-forward skips comes out an hour later, as clocks show it.
 */
export function zonedInstant(day: Date, hour: number, timeZone: string): Date {
  const wall = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour);
  const first = wall - offsetAt(new Date(wall), timeZone);
  const second = wall - offsetAt(new Date(first), timeZone);
  return new Date(second);
}

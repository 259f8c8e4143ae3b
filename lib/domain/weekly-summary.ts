// When the weekly executive summary is due (docs/RULES.md, section 7): Monday 08:00 on the
// program's wall clock, once per ISO week. Pure: the sweep asks it every five minutes with the
// week it last sent, and sends only when it answers due.
import { localDay, localTime, zonedInstant } from "@/lib/domain/time-zone";

export const WEEKLY_SUMMARY_HOUR = 8;
const DAY_MS = 86_400_000;

/** The ISO 8601 week ("2026-W49") that a calendar day (UTC midnight) belongs to. */
export function isoWeek(day: Date): string {
  // The week belongs to the year of its Thursday.
  const weekday = day.getUTCDay() || 7;
  const thursday = new Date(day.getTime() + (4 - weekday) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return `${year}-W${String(week).padStart(2, "0")}`;
}

export interface WeeklySummaryDecision {
  due: boolean;
  /** The local ISO week of `now`: what a summary sent now is for. */
  week: string;
  /** This week's Monday (UTC midnight naming the local date). */
  monday: Date;
  /** This week's Monday 08:00 in the program's zone. */
  dueAt: Date;
}

/**
 * Due when this local week's Monday 08:00 has passed and no summary went out for this week yet.
 * A server that was down at 08:00 sends once when it is back, in the same week; a week missed
 * entirely is not sent late (the next one carries the figures), and a clock or zone change that
 * lands on a week already sent (or an earlier one) sends nothing.
 */
export function weeklySummaryDue(now: Date, timeZone: string, lastSentWeek: string | null): WeeklySummaryDecision {
  const today = localDay(now, timeZone);
  const monday = new Date(today.getTime() - (localTime(now, timeZone).weekday - 1) * DAY_MS);
  const week = isoWeek(monday);
  const dueAt = zonedInstant(monday, WEEKLY_SUMMARY_HOUR, timeZone);
  // ISO week names sort as text ("2026-W53" < "2027-W01").
  const alreadySent = lastSentWeek !== null && lastSentWeek >= week;
  return { due: now.getTime() >= dueAt.getTime() && !alreadySent, week, monday, dueAt };
}

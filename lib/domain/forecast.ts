// An honest forecast of the program's finish: a range from two paces (the last 7 and the last 28
// days) instead of one date, the margin to the program end, and a colour that turns amber before
// it is too late. Pure: it reads the burn-up series the report already builds.
import { addDays, daysBetween, isoDay } from "@/lib/domain/schedule";

export const SHORT_WINDOW_DAYS = 7;
export const LONG_WINDOW_DAYS = 28;
/** Under this many days of margin the forecast is amber, however good the pace looks. */
export const MARGIN_WARNING_DAYS = 7;

export type ForecastLevel = "green" | "amber" | "red";

export interface ForecastInput {
  /** Cumulative done (approved + waived) per program day up to today, oldest first. */
  doneByDay: readonly { date: string; done: number }[];
  total: number;
  today: Date;
  endsOn: Date;
  /** The last milestone, forecast on its own: a program is not reset until it is done. */
  lastMilestone: { name: string; done: number; total: number } | null;
}

export interface HonestForecast {
  remaining: number;
  /** Completions per day over each window (the window shrinks to the program's age early on). */
  pace: { short: number; long: number };
  /** The finish range: the faster pace gives `from`, the slower `to`; null where a pace is 0. */
  finish: { from: string | null; to: string | null };
  /** Days between the later finish and the program end: negative when late; null without pace. */
  marginDays: number | null;
  /** Completions per day needed from today to finish by the end. */
  neededPace: number | null;
  /** The best completions per day over any 7 days so far. */
  bestWeekPace: number;
  lastMilestone: { name: string; done: number; total: number; percent: number; neededPace: number | null } | null;
  level: ForecastLevel;
  /** Why it is amber or red, in plain words; empty when green. */
  reasons: string[];
}

const round = (n: number) => Math.round(n * 100) / 100;

function paceOver(series: readonly { done: number }[], days: number): number {
  if (series.length === 0) return 0;
  const window = Math.min(days, series.length);
  const end = series[series.length - 1]!.done;
  const start = series.length > window ? series[series.length - 1 - window]!.done : 0;
  return Math.max(0, end - start) / window;
}

export function honestForecast(input: ForecastInput): HonestForecast {
  const { doneByDay, total, today, endsOn } = input;
  const done = doneByDay.at(-1)?.done ?? 0;
  const remaining = Math.max(0, total - done);
  const short = paceOver(doneByDay, SHORT_WINDOW_DAYS);
  const long = paceOver(doneByDay, LONG_WINDOW_DAYS);
  let bestWeek = 0;
  for (let i = 0; i < doneByDay.length; i += 1) {
    const before = i >= SHORT_WINDOW_DAYS ? doneByDay[i - SHORT_WINDOW_DAYS]!.done : 0;
    bestWeek = Math.max(bestWeek, (doneByDay[i]!.done - before) / SHORT_WINDOW_DAYS);
  }
  const daysLeft = Math.max(0, daysBetween(today, endsOn));
  const neededPace = remaining === 0 ? 0 : daysLeft > 0 ? remaining / daysLeft : null;
  const finishAt = (pace: number) =>
    remaining === 0 ? isoDay(today) : pace > 0 ? isoDay(addDays(today, Math.ceil(remaining / pace))) : null;
  const fast = Math.max(short, long);
  const slow = Math.min(short, long);
  const finish = { from: finishAt(fast), to: finishAt(slow) };
  const later = finish.to ?? finish.from;
  const marginDays =
    later && (finish.to || remaining === 0) ? daysBetween(new Date(`${later}T00:00:00Z`), endsOn) : null;

  const reasons: string[] = [];
  let level: ForecastLevel = "green";
  if (remaining > 0) {
    const earliestLate = finish.from === null || daysBetween(new Date(`${finish.from}T00:00:00Z`), endsOn) < 0;
    if (earliestLate) {
      level = "red";
      reasons.push(
        finish.from === null
          ? "Nothing was completed recently, so at this pace the program never finishes."
          : "Even at the faster pace the program finishes after its end.",
      );
    } else if (marginDays === null || marginDays < MARGIN_WARNING_DAYS) {
      level = "amber";
      reasons.push(
        marginDays === null
          ? "At the slower pace there is no finish in sight."
          : marginDays < 0
            ? `At the slower pace it finishes ${-marginDays} days late.`
            : `Only ${marginDays} days of margin at the slower pace.`,
      );
    }
    if (neededPace !== null && neededPace > bestWeek) {
      if (level === "green") level = "amber";
      reasons.push(
        `Finishing on time needs ${round(neededPace)} a day, more than the best week so far (${round(bestWeek)} a day).`,
      );
    }
  }

  const last = input.lastMilestone;
  const lastRemaining = last ? Math.max(0, last.total - last.done) : 0;
  return {
    remaining,
    pace: { short: round(short), long: round(long) },
    finish,
    marginDays,
    neededPace: neededPace === null ? null : round(neededPace),
    bestWeekPace: round(bestWeek),
    lastMilestone: last
      ? {
          ...last,
          percent: last.total ? Math.floor((last.done / last.total) * 100) : 0,
          neededPace: lastRemaining === 0 ? 0 : daysLeft > 0 ? round(lastRemaining / daysLeft) : null,
        }
      : null,
    level,
    reasons,
  };
}

/** What the forecast reads of the progress report (the dashboard's, the report's, the weekly summary's). */
export interface ForecastReportFacts {
  asOf: string;
  program: { endsOn: string };
  totals: { checkpoints: number };
  burnUp: readonly { date: string; done: number | null }[];
  byMilestone: readonly { name: string; approved: number; waived: number; total: number }[];
}

/** The forecast of a progress report, built the same way wherever the sentence is shown. */
export function forecastOfReport(report: ForecastReportFacts): HonestForecast {
  const last = report.byMilestone.at(-1);
  return honestForecast({
    doneByDay: report.burnUp.flatMap((p) => (p.done === null ? [] : [{ date: p.date, done: p.done }])),
    total: report.totals.checkpoints,
    today: new Date(report.asOf),
    endsOn: new Date(`${report.program.endsOn}T00:00:00Z`),
    lastMilestone: last ? { name: last.name, done: last.approved + last.waived, total: last.total } : null,
  });
}

/** The forecast's level as a word, never colour alone. */
export const FORECAST_LEVEL_WORD: Record<ForecastLevel, string> = { green: "On course", amber: "At risk", red: "Late" };

const short = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });
const day = (iso: string) => short.format(new Date(`${iso}T00:00:00Z`));

/** The one plain sentence at the top of the dashboard and the report. */
export function forecastSentence(f: HonestForecast): string {
  const last = f.lastMilestone
    ? `; ${f.lastMilestone.name.charAt(0).toLowerCase()}${f.lastMilestone.name.slice(1)} is ${f.lastMilestone.percent} % done`
    : "";
  if (f.remaining === 0) return `Every checkpoint is done${last}.`;
  if (f.finish.from === null)
    return `Nothing was completed in the last ${LONG_WINDOW_DAYS} days, so at the current pace the program does not finish${last}.`;
  const range =
    f.finish.to && f.finish.to !== f.finish.from ? `${day(f.finish.from)}–${day(f.finish.to)}` : day(f.finish.from);
  const margin =
    f.marginDays === null
      ? ""
      : f.marginDays >= 0
        ? `, ${f.marginDays} day${f.marginDays === 1 ? "" : "s"} before the end`
        : `, ${-f.marginDays} day${f.marginDays === -1 ? "" : "s"} after the end`;
  return `At the current pace the program finishes ${range}${margin}${last}.`;
}

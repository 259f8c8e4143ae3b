// Program progress maths, pure: the dashboard, the report, GET /api/v1/progress and the weekly
// snapshots all derive their figures here from the same aggregate rows, so they cannot disagree.
import { addDays, daysBetween, isoDay, type CheckpointStatus } from "@/lib/domain/schedule";

/**
 * The exclusive buckets of the milestone chart. A checkpoint that is not done and past due is
 * "overdue" whatever its status, because that is what a lead has to act on; changes requested is
 * work back with the owner, so it counts as in progress.
 */
export type Bucket = "approved" | "waived" | "overdue" | "submitted" | "inProgress" | "notStarted";
export const BUCKETS: readonly Bucket[] = ["approved", "waived", "submitted", "inProgress", "notStarted", "overdue"];

export function bucketOf(status: CheckpointStatus, overdue: boolean): Bucket {
  if (status === "APPROVED") return "approved";
  if (status === "WAIVED") return "waived";
  if (overdue) return "overdue";
  if (status === "SUBMITTED") return "submitted";
  if (status === "NOT_STARTED") return "notStarted";
  return "inProgress";
}

export type BucketCounts = Record<Bucket, number> & { total: number };

export function emptyBuckets(): BucketCounts {
  return { approved: 0, waived: 0, overdue: 0, submitted: 0, inProgress: 0, notStarted: 0, total: 0 };
}

/** How many days of completions the forecast's pace is measured over. */
export const PACE_WINDOW_DAYS = 14;

export interface Forecast {
  /** Checkpoints completed (approved or waived) per day over the pace window. */
  pacePerDay: number;
  windowDays: number;
  remaining: number;
  /** The day the last checkpoint is expected to complete; null when there is no pace to go on. */
  finishOn: Date | null;
  /** Days past the program's end (positive) or before it (negative or zero); null without a forecast. */
  daysLate: number | null;
  /** Why there is no date, in words, when finishOn is null. */
  reason: string | null;
}

/**
 * Forecast finish: the checkpoints still open divided by the recent pace. The pace is the number of
 * checkpoints completed in the last PACE_WINDOW_DAYS days (today included) divided by that many
 * days, so one busy afternoon neither saves nor sinks the forecast. When everything is done the
 * finish is the last completion; when nothing was completed in the window there is no forecast.
 */
export function forecastFinish(input: {
  total: number;
  done: number;
  /** Completions per UTC day (YYYY-MM-DD). */
  completionsByDay: ReadonlyMap<string, number>;
  today: Date;
  endsOn: Date;
  startsOn: Date;
}): Forecast {
  const { total, done, completionsByDay, today, endsOn, startsOn } = input;
  const remaining = total - done;
  // Before the window has run its length, the program's age is the honest denominator.
  const windowDays = Math.max(1, Math.min(PACE_WINDOW_DAYS, daysBetween(startsOn, today) + 1));
  let recent = 0;
  for (let offset = 0; offset < windowDays; offset += 1)
    recent += completionsByDay.get(isoDay(addDays(today, -offset))) ?? 0;
  const pacePerDay = recent / windowDays;
  if (remaining <= 0) {
    const days = [...completionsByDay.keys()].sort();
    const last = days.length > 0 ? new Date(`${days[days.length - 1]}T00:00:00Z`) : today;
    return { pacePerDay, windowDays, remaining: 0, finishOn: last, daysLate: daysBetween(endsOn, last), reason: null };
  }
  if (recent === 0) {
    return {
      pacePerDay: 0,
      windowDays,
      remaining,
      finishOn: null,
      daysLate: null,
      reason: `No checkpoint was completed in the last ${windowDays} days, so there is no pace to forecast from.`,
    };
  }
  // remaining / (recent / windowDays), in integers so that an exact pace gives an exact day.
  const finishOn = addDays(today, Math.ceil((remaining * windowDays) / recent));
  return { pacePerDay, windowDays, remaining, finishOn, daysLate: daysBetween(endsOn, finishOn), reason: null };
}

export interface BurnUpPoint {
  date: string;
  /** Program day, 1-based. */
  day: number;
  /** Checkpoints due on or before this day. */
  planned: number;
  /** Checkpoints approved on or before this day (null after today: the future has no actuals). */
  approved: number | null;
  /** Approved or waived on or before this day (null after today). */
  done: number | null;
}

/**
 * One point per calendar day from the program's start to its end. Actuals count the checkpoints
 * that are done now by the day they were completed, so a checkpoint reopened later no longer
 * counts on the day it was first approved: the line shows work that still stands.
 */
export function burnUpSeries(input: {
  startsOn: Date;
  endsOn: Date;
  today: Date;
  dueByDay: ReadonlyMap<string, number>;
  approvedByDay: ReadonlyMap<string, number>;
  waivedByDay: ReadonlyMap<string, number>;
}): BurnUpPoint[] {
  const { startsOn, endsOn, today, dueByDay, approvedByDay, waivedByDay } = input;
  const before = (map: ReadonlyMap<string, number>, day: string) => {
    let sum = 0;
    for (const [key, n] of map) if (key < day) sum += n;
    return sum;
  };
  const first = isoDay(startsOn);
  // Anything due or completed before the start (an override, a backdated import) counts on day 1.
  let planned = before(dueByDay, first);
  let approved = before(approvedByDay, first);
  let waived = before(waivedByDay, first);
  const points: BurnUpPoint[] = [];
  const days = daysBetween(startsOn, endsOn);
  for (let offset = 0; offset <= days; offset += 1) {
    const date = addDays(startsOn, offset);
    const key = isoDay(date);
    planned += dueByDay.get(key) ?? 0;
    approved += approvedByDay.get(key) ?? 0;
    waived += waivedByDay.get(key) ?? 0;
    const past = daysBetween(date, today) >= 0;
    points.push({
      date: key,
      day: offset + 1,
      planned,
      approved: past ? approved : null,
      done: past ? approved + waived : null,
    });
  }
  return points;
}

/** The figures a weekly snapshot freezes, and the week-over-week change between two of them. */
export interface SnapshotFigures {
  approved: number;
  waived: number;
  submitted: number;
  inProgress: number;
  notStarted: number;
  overdueCheckpoints: number;
  systemsDone: number;
  systemsOverdue: number;
  reviewsWaiting: number;
}

export const SNAPSHOT_LABELS: Record<
  keyof SnapshotFigures,
  { label: string; more: string; fewer: string; goodWhenUp: boolean }
> = {
  approved: { label: "Checkpoints approved", more: "more approved", fewer: "fewer approved", goodWhenUp: true },
  waived: { label: "Checkpoints waived", more: "more waived", fewer: "fewer waived", goodWhenUp: false },
  submitted: {
    label: "Awaiting review",
    more: "more awaiting review",
    fewer: "fewer awaiting review",
    goodWhenUp: false,
  },
  inProgress: { label: "In progress", more: "more in progress", fewer: "fewer in progress", goodWhenUp: true },
  notStarted: { label: "Not started", more: "more not started", fewer: "fewer not started", goodWhenUp: false },
  overdueCheckpoints: { label: "Checkpoints overdue", more: "more overdue", fewer: "fewer overdue", goodWhenUp: false },
  systemsDone: {
    label: "Systems fully reset",
    more: "more systems fully reset",
    fewer: "fewer systems fully reset",
    goodWhenUp: true,
  },
  systemsOverdue: {
    label: "Systems overdue",
    more: "more systems overdue",
    fewer: "fewer systems overdue",
    goodWhenUp: false,
  },
  reviewsWaiting: {
    label: "Reviews waiting",
    more: "more reviews waiting",
    fewer: "fewer reviews waiting",
    goodWhenUp: false,
  },
};

export interface Change {
  figure: keyof SnapshotFigures;
  from: number;
  to: number;
  delta: number;
  /** "+41 more approved", "6 more systems overdue", "no change". */
  words: string;
  better: boolean | null;
}

export function weekOverWeek(previous: SnapshotFigures, current: SnapshotFigures): Change[] {
  return (Object.keys(SNAPSHOT_LABELS) as (keyof SnapshotFigures)[]).map((figure) => {
    const from = previous[figure] ?? 0;
    const to = current[figure] ?? 0;
    const delta = to - from;
    const meta = SNAPSHOT_LABELS[figure];
    const words =
      delta === 0
        ? "no change"
        : `${delta > 0 ? "+" : "−"}${Math.abs(delta).toLocaleString("en-US")} ${delta > 0 ? meta.more : meta.fewer}`;
    return { figure, from, to, delta, words, better: delta === 0 ? null : delta > 0 === meta.goodWhenUp };
  });
}

// Schedule maths and health (docs/RULES.md, rule 9), pure: dates in, decisions out. Dates are
// calendar days in UTC (the database's DATE columns), so "today" is a UTC day too.
export type CheckpointStatus =
  "NOT_STARTED" | "IN_PROGRESS" | "SUBMITTED" | "APPROVED" | "CHANGES_REQUESTED" | "WAIVED";
export type Health = "DONE" | "OVERDUE" | "AT_RISK" | "ON_TRACK";

export const AT_RISK_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

/**
 * Midnight UTC of the calendar day of `date`. Computed from the time value, not with Date.UTC,
 * which reads years 0 to 99 as 1900 to 1999.
 */
export function utcDay(date: Date): Date {
  const time = date.getTime();
  return new Date(time - (((time % DAY_MS) + DAY_MS) % DAY_MS));
}

/** A calendar day as the database and the API write it: "2026-11-27". */
export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function addDays(date: Date, days: number): Date {
  return new Date(utcDay(date).getTime() + days * DAY_MS);
}

/** Whole calendar days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((utcDay(to).getTime() - utcDay(from).getTime()) / DAY_MS);
}

export function isDone(status: CheckpointStatus): boolean {
  return status === "APPROVED" || status === "WAIVED";
}

export interface ProgramSchedule {
  startsOn: Date;
  durationDays: number;
}

export function programEndsOn(program: ProgramSchedule): Date {
  return addDays(program.startsOn, program.durationDays);
}

/**
 * Today's program day, 1-based ("Day 41 of 90"): the start date is day 1. Before the start it is
 * 0; after the end it keeps counting so that lateness stays visible.
 */
export function programDay(program: ProgramSchedule, today: Date): number {
  return Math.max(0, daysBetween(program.startsOn, today) + 1);
}

export function checkpointHealth(checkpoint: { status: CheckpointStatus; dueOn: Date }, today: Date): Health {
  if (isDone(checkpoint.status)) return "DONE";
  const daysLeft = daysBetween(today, checkpoint.dueOn);
  if (daysLeft < 0) return "OVERDUE";
  // Submitted work waits on reviewers, not on the owner, so it is not "at risk" of being late.
  if (daysLeft <= AT_RISK_WINDOW_DAYS && checkpoint.status !== "SUBMITTED") return "AT_RISK";
  return "ON_TRACK";
}

const SEVERITY: Record<Health, number> = { OVERDUE: 3, AT_RISK: 2, ON_TRACK: 1, DONE: 0 };

/** A system is as healthy as its least healthy checkpoint; DONE only when every one is done. */
export function systemHealth(checkpoints: { status: CheckpointStatus; dueOn: Date }[], today: Date): Health {
  let worst: Health = "DONE";
  for (const checkpoint of checkpoints) {
    const health = checkpointHealth(checkpoint, today);
    if (SEVERITY[health] > SEVERITY[worst]) worst = health;
  }
  return worst;
}

export interface Progress {
  approved: number;
  waived: number;
  total: number;
}

/** Waived is counted apart from approved, always (docs/RULES.md, section 2). */
export function progressOf(checkpoints: { status: CheckpointStatus }[]): Progress {
  let approved = 0;
  let waived = 0;
  for (const { status } of checkpoints) {
    if (status === "APPROVED") approved += 1;
    else if (status === "WAIVED") waived += 1;
  }
  return { approved, waived, total: checkpoints.length };
}

/** The fewest days a late joiner gets for any milestone (docs/RULES.md rule 13). */
export const LATE_JOIN_MIN_DAYS = 3;

/**
 * Rule 13, late joiners: a system that joins after the program start gets each milestone's
 * offset scaled into the time it has left, so the milestones keep their order and proportions:
 *   due = join + max(LATE_JOIN_MIN_DAYS, round(dueDay × daysLeft / durationDays)),
 * then capped at the program end and never before the join day (so it is never overdue on the
 * day it joins; joining after the end makes everything due that day). A system that joined on or
 * before the start (joinedOn null, or not later than startsOn) keeps start + dueDay.
 */
export function dueOnFor(program: ProgramSchedule, dueDay: number, joinedOn: Date | null = null): Date {
  const joinOffset = joinedOn ? daysBetween(program.startsOn, joinedOn) : 0;
  if (joinOffset <= 0) return addDays(program.startsOn, dueDay);
  const daysLeft = Math.max(0, program.durationDays - joinOffset);
  const scaled = joinOffset + Math.max(LATE_JOIN_MIN_DAYS, Math.round((dueDay * daysLeft) / program.durationDays));
  return addDays(program.startsOn, Math.max(joinOffset, Math.min(program.durationDays, scaled)));
}

/** The join day to record for a system added on `today`: null when it joins before the start. */
export function joinedOnFor(program: ProgramSchedule, today: Date): Date | null {
  return daysBetween(program.startsOn, today) > 0 ? utcDay(today) : null;
}

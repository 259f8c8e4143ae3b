// The per-system roll-up, pure: one system's checkpoints in, the few facts every listing and
// chart needs out (counts by status, the current milestone, the earliest open and the earliest
// not-yet-submitted due dates). Stored beside the system and kept in the same transaction as every
// change that moves a checkpoint, so reads never re-aggregate the whole program. The time-dependent
// part (health) is then a comparison of the stored dates with today: rollupHealth here, and the
// one SQL fragment built from the same constant in lib/data/rollup.ts.
import {
  AT_RISK_WINDOW_DAYS,
  addDays,
  daysBetween,
  isDone,
  isoDay,
  type CheckpointStatus,
  type Health,
} from "@/lib/domain/schedule";

export interface RollupCheckpoint {
  id: string;
  milestoneId: string;
  /** The milestone's position in the program (1-based). */
  sequence: number;
  status: CheckpointStatus;
  dueOn: Date;
  submittedAt: Date | null;
  /** When it was approved or waived (kept only while it is). */
  completedAt?: Date | null;
}

export interface Rollup {
  total: number;
  notStarted: number;
  inProgress: number;
  submitted: number;
  approved: number;
  changesRequested: number;
  waived: number;
  /** The first milestone in sequence that is neither approved nor waived; null when all are done. */
  currentSequence: number | null;
  currentMilestoneId: string | null;
  /** The open checkpoint due first (ties: lower sequence first); null when all are done. */
  nextDueOn: Date | null;
  nextDueMilestoneId: string | null;
  nextDueCheckpointId: string | null;
  /** The open, not-yet-submitted checkpoint due first: what can still put the system at risk. */
  unsubmittedDueOn: Date | null;
  unsubmittedCheckpointId: string | null;
  /** When the longest-waiting submission of the system was submitted. */
  oldestSubmittedAt: Date | null;
  /** The registry's progress order: share done, and among equals more approved ranks higher. */
  progressRank: number;
}

const byDueThenSequence = (a: RollupCheckpoint, b: RollupCheckpoint) =>
  a.dueOn.getTime() - b.dueOn.getTime() || a.sequence - b.sequence;

export function computeRollup(checkpoints: readonly RollupCheckpoint[]): Rollup {
  const counts = { notStarted: 0, inProgress: 0, submitted: 0, approved: 0, changesRequested: 0, waived: 0 };
  let current: RollupCheckpoint | null = null;
  let nextDue: RollupCheckpoint | null = null;
  let unsubmitted: RollupCheckpoint | null = null;
  let oldestSubmittedAt: Date | null = null;
  for (const c of checkpoints) {
    if (c.status === "NOT_STARTED") counts.notStarted += 1;
    else if (c.status === "IN_PROGRESS") counts.inProgress += 1;
    else if (c.status === "SUBMITTED") counts.submitted += 1;
    else if (c.status === "APPROVED") counts.approved += 1;
    else if (c.status === "CHANGES_REQUESTED") counts.changesRequested += 1;
    else counts.waived += 1;
    if (isDone(c.status)) continue;
    if (!current || c.sequence < current.sequence) current = c;
    if (!nextDue || byDueThenSequence(c, nextDue) < 0) nextDue = c;
    if (c.status === "SUBMITTED") {
      if (c.submittedAt && (!oldestSubmittedAt || c.submittedAt < oldestSubmittedAt)) oldestSubmittedAt = c.submittedAt;
    } else if (!unsubmitted || byDueThenSequence(c, unsubmitted) < 0) unsubmitted = c;
  }
  const total = checkpoints.length;
  return {
    total,
    ...counts,
    currentSequence: current?.sequence ?? null,
    currentMilestoneId: current?.milestoneId ?? null,
    nextDueOn: nextDue?.dueOn ?? null,
    nextDueMilestoneId: nextDue?.milestoneId ?? null,
    nextDueCheckpointId: nextDue?.id ?? null,
    unsubmittedDueOn: unsubmitted?.dueOn ?? null,
    unsubmittedCheckpointId: unsubmitted?.id ?? null,
    oldestSubmittedAt,
    progressRank: (counts.approved + counts.waived) / Math.max(total, 1) + counts.approved / 1_000_000,
  };
}

/**
 * The last day a not-yet-submitted checkpoint can be due and still count as on track is
 * today + AT_RISK_WINDOW_DAYS exclusive: anything due on or before this day is at risk (rule 9).
 */
export function atRiskUntil(today: Date): Date {
  return addDays(today, AT_RISK_WINDOW_DAYS);
}

/**
 * A system's health from its roll-up: the same answer as systemHealth over its checkpoints
 * (a property test holds the two together). Overdue when the earliest open due date has passed;
 * at risk when the earliest unsubmitted one falls within the window; a system without checkpoints
 * has nothing left to do.
 */
export function rollupHealth(rollup: Pick<Rollup, "nextDueOn" | "unsubmittedDueOn">, today: Date): Health {
  if (rollup.nextDueOn === null) return "DONE";
  if (daysBetween(today, rollup.nextDueOn) < 0) return "OVERDUE";
  if (rollup.unsubmittedDueOn !== null && daysBetween(atRiskUntil(today), rollup.unsubmittedDueOn) <= 0)
    return "AT_RISK";
  return "ON_TRACK";
}

/**
 * One cell of the program's tally: how many checkpoints of a milestone, in a team and tier, are in
 * a status, due on a day, and (approved or waived) completed on a day. The dashboard's slices and
 * its burn-up are sums over these; whether a cell is overdue or at risk is decided at read time,
 * from its due date and today.
 */
export interface TallyCell {
  cell: string;
  milestone_id: string;
  team: string;
  tier: string;
  status: CheckpointStatus;
  due_on: string;
  completed_on: string | null;
  n: number;
}

/** A system's contribution to the tally: its checkpoints grouped into cells. */
export function tallyCells(
  checkpoints: readonly RollupCheckpoint[],
  system: { team: string; tier: string },
): TallyCell[] {
  const cells = new Map<string, TallyCell>();
  for (const c of checkpoints) {
    const due = isoDay(c.dueOn);
    const completed = isDone(c.status) && c.completedAt ? isoDay(c.completedAt) : null;
    const cell = [c.milestoneId, system.team, system.tier, c.status, due, completed ?? ""].join("|");
    const existing = cells.get(cell);
    if (existing) existing.n += 1;
    else
      cells.set(cell, {
        cell,
        milestone_id: c.milestoneId,
        team: system.team,
        tier: system.tier,
        status: c.status,
        due_on: due,
        completed_on: completed,
        n: 1,
      });
  }
  return [...cells.values()];
}

/** What to add to the tally to go from `before` to `after` (cells with no change left out), in key order. */
export function tallyDelta(before: readonly TallyCell[], after: readonly TallyCell[]): TallyCell[] {
  const delta = new Map<string, TallyCell>();
  for (const [cells, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    for (const c of cells) {
      const d = delta.get(c.cell) ?? { ...c, n: 0 };
      d.n += sign * c.n;
      delta.set(c.cell, d);
    }
  }
  return [...delta.values()].filter((d) => d.n !== 0).sort((a, b) => (a.cell < b.cell ? -1 : a.cell > b.cell ? 1 : 0));
}

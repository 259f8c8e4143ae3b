// Weekly snapshots and week over week: a finished program week's figures are frozen on the first
// view after it ends (rebuilt from the audit trail), and today is compared with the last one.
import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import { activeSystemSql } from "@/lib/data/active-systems";
import { getActiveProgram } from "@/lib/data/program";
import { db } from "@/lib/db";
import { weekOverWeek, type Change, type SnapshotFigures } from "@/lib/domain/progress";
import type { ProgressReport } from "@/lib/domain/progress-report";
import { addDays, daysBetween, isoDay, utcDay } from "@/lib/domain/schedule";

export interface WeekChange {
  /** The frozen week compared against, or null when no week has finished yet. */
  since: { week: number; weekEndsOn: string } | null;
  changes: Change[];
}

/**
 * A finished week's figures as they stood at its end, rebuilt from the audit trail: every status
 * change is an audit event whose data names the checkpoint and the status it moved `to`, so a
 * checkpoint's status at an instant is the `to` of its last event before then (NOT_STARTED when
 * there is none). One pass over the events, not one query per checkpoint.
 */
async function figuresAt(programId: string, instant: Date): Promise<SnapshotFigures> {
  const day = isoDay(utcDay(instant));
  const [row] = await db().$queryRaw<
    (SnapshotFigures & {
      inprogress: number;
      notstarted: number;
      overduecheckpoints: number;
      systemsdone: number;
      systemsoverdue: number;
      reviewswaiting: number;
    })[]
  >`
    WITH last_change AS (
      SELECT DISTINCT ON (e.data->>'checkpointId') e.data->>'checkpointId' AS checkpoint_id, e.data->>'to' AS status
      FROM audit_event e
      WHERE e.at < ${instant} AND e.data ? 'checkpointId'
        -- Only status changes: other checkpoint events carry a 'to' too (a due-date override's is a date).
        AND e.data->>'to' IN ('NOT_STARTED', 'IN_PROGRESS', 'SUBMITTED', 'APPROVED', 'CHANGES_REQUESTED', 'WAIVED')
      ORDER BY e.data->>'checkpointId', e.seq DESC
    ), state AS (
      SELECT c.system_id, c.due_on, coalesce(l.status, 'NOT_STARTED') AS status
      FROM checkpoint c
      JOIN milestone m ON m.id = c.milestone_id
      JOIN system s ON s.id = c.system_id
      LEFT JOIN last_change l ON l.checkpoint_id = c.id::text
      WHERE m.program_id = ${programId}::uuid AND c.created_at < ${instant} AND ${activeSystemSql}
    ), per_system AS (
      SELECT system_id,
             bool_and(status IN ('APPROVED', 'WAIVED')) AS done,
             bool_or(status NOT IN ('APPROVED', 'WAIVED') AND due_on < ${day}::date) AS overdue
      FROM state GROUP BY system_id
    )
    SELECT
      (SELECT count(*) FILTER (WHERE status = 'APPROVED') FROM state)::int AS approved,
      (SELECT count(*) FILTER (WHERE status = 'WAIVED') FROM state)::int AS waived,
      (SELECT count(*) FILTER (WHERE status = 'SUBMITTED') FROM state)::int AS submitted,
      (SELECT count(*) FILTER (WHERE status IN ('IN_PROGRESS', 'CHANGES_REQUESTED')) FROM state)::int AS inprogress,
      (SELECT count(*) FILTER (WHERE status = 'NOT_STARTED') FROM state)::int AS notstarted,
      (SELECT count(*) FILTER (WHERE status NOT IN ('APPROVED', 'WAIVED') AND due_on < ${day}::date) FROM state)::int AS overduecheckpoints,
      (SELECT count(*) FILTER (WHERE done) FROM per_system)::int AS systemsdone,
      (SELECT count(*) FILTER (WHERE overdue) FROM per_system)::int AS systemsoverdue`;
  return {
    approved: row!.approved,
    waived: row!.waived,
    submitted: row!.submitted,
    inProgress: row!.inprogress,
    notStarted: row!.notstarted,
    overdueCheckpoints: row!.overduecheckpoints,
    systemsDone: row!.systemsdone,
    systemsOverdue: row!.systemsoverdue,
    reviewsWaiting: row!.submitted,
  };
}

/**
 * Weekly snapshots: on the first view after a program week ends, that week's figures (as they
 * stood at its end) are frozen; a frozen week is never recomputed or rewritten (the table is
 * append-only and ON CONFLICT DO NOTHING lets two first viewers race harmlessly). Then today is
 * compared with the last finished week. With `freeze: false` (the API's GET, which writes
 * nothing) a missing week is computed the same way but not stored.
 */
export async function weekOverWeekChange(
  report: ProgressReport,
  now = new Date(),
  options: { freeze: boolean } = { freeze: true },
): Promise<WeekChange> {
  const client = db();
  // The request's one read of the active program (React's cache).
  const program = await getActiveProgram();
  if (!program) return { since: null, changes: [] };
  const today = utcDay(now);
  const finishedWeeks = Math.min(
    Math.floor(daysBetween(program.startsOn, today) / 7),
    Math.ceil(program.durationDays / 7),
  );
  if (finishedWeeks < 1) return { since: null, changes: [] };
  const frozen = await client.weeklySnapshot.findMany({
    where: { programId: program.id },
    select: { week: true, weekEndsOn: true, figures: true },
  });
  const byWeek = new Map(frozen.map((s) => [s.week, s]));
  for (let week = 1; week <= finishedWeeks; week += 1) {
    if (byWeek.has(week)) continue;
    const weekEndsOn = addDays(program.startsOn, week * 7);
    // Only the last week is needed for the comparison when nothing is stored.
    if (!options.freeze && week < finishedWeeks) continue;
    const figures = await figuresAt(program.id, weekEndsOn);
    if (options.freeze)
      await client.$executeRaw`
      INSERT INTO weekly_snapshot (program_id, week, week_ends_on, figures)
      VALUES (${program.id}::uuid, ${week}, ${isoDay(weekEndsOn)}::date, ${JSON.stringify(figures)}::jsonb)
      ON CONFLICT (program_id, week) DO NOTHING`;
    byWeek.set(week, { week, weekEndsOn, figures: figures as unknown as Prisma.JsonValue });
  }
  const last = byWeek.get(finishedWeeks)!;
  return {
    since: { week: last.week, weekEndsOn: isoDay(last.weekEndsOn) },
    changes: weekOverWeek(last.figures as unknown as SnapshotFigures, report.figures),
  };
}

// Where the program stands: one set of aggregate queries shared by the dashboard, the
// report, its CSV and GET /api/v1/progress. Seven statements whatever the number of systems (one
// checks for expired waivers); every figure is derived from their rows by lib/domain/progress.ts.
import "server-only";
import { Tier } from "@/lib/generated/prisma/enums";
import { cache } from "react";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { activeSystemSql } from "@/lib/data/active-systems";
import { lapseDueWaivers } from "@/lib/data/checkpoints/waiver-lapse";
import { reviewerLoad } from "@/lib/data/my-work";
import { activeSystem, rollupHealthSql, storeMarkedRollups } from "@/lib/data/rollup";
import { db } from "@/lib/db";
import {
  bucketOf,
  burnUpSeries,
  emptyBuckets,
  forecastFinish,
  weekOverWeek,
  type BucketCounts,
  type BurnUpPoint,
  type Change,
  type SnapshotFigures,
} from "@/lib/domain/progress";
import {
  addDays,
  AT_RISK_WINDOW_DAYS,
  isoDay,
  daysBetween,
  programDay,
  programEndsOn,
  utcDay,
  type CheckpointStatus,
  type Health,
} from "@/lib/domain/schedule";

const TIERS = Object.values(Tier);
const AT_RISK_LIST_LIMIT = 25;

export interface PersonRef {
  name: string;
  email: string;
}

export interface ProgressReport {
  asOf: string;
  program: { name: string; startsOn: string; endsOn: string; durationDays: number; day: number; daysLeft: number };
  totals: {
    checkpoints: number;
    approved: number;
    waived: number;
    submitted: number;
    inProgress: number;
    changesRequested: number;
    notStarted: number;
    overdue: number;
    atRisk: number;
  };
  systems: { total: number; done: number; overdue: number; atRisk: number; onTrack: number };
  reviews: { waiting: number; oldestSubmittedAt: string | null; oldestWaitDays: number | null };
  byMilestone: ({ key: string; name: string; sequence: number; dueOn: string } & BucketCounts)[];
  byTeam: { team: string; systems: number; systemsDone: number; approved: number; waived: number; total: number }[];
  byTier: ({ tier: Tier; systems: number; systemsDone: number; systemsOverdue: number } & BucketCounts)[];
  /** Teams × milestones: done (approved + waived) of total, per cell. */
  heatmap: { team: string; cells: { milestone: string; approved: number; waived: number; total: number }[] }[];
  /** Systems by the first milestone they have not completed; `milestone: null` is fully reset. */
  funnel: { milestone: string | null; name: string; systems: number }[];
  burnUp: BurnUpPoint[];
  forecast: {
    pacePerDay: number;
    windowDays: number;
    remaining: number;
    finishOn: string | null;
    finishDay: number | null;
    daysLate: number | null;
    reason: string | null;
  };
  atRisk: {
    total: number;
    items: {
      systemKey: string;
      systemName: string;
      team: string;
      tier: Tier;
      health: Health;
      milestone: string;
      milestoneName: string;
      status: CheckpointStatus;
      dueOn: string;
      /** Days past due (positive) or until due (negative or zero). */
      daysLate: number;
      waitingOn: "owners" | "reviewers";
      people: PersonRef[];
    }[];
  };
  reviewerLoad: {
    email: string;
    name: string;
    seniority: string;
    waiting: number;
    oldestSubmittedAt: string;
    oldestWaitDays: number;
  }[];
  figures: SnapshotFigures;
}

interface ProgramRow {
  id: string;
  name: string;
  starts_on: Date;
  duration_days: number;
  milestones: { id: string; key: string; name: string; sequence: number; due_day: number }[];
}

/** Reads the figures of the active program; null when there is none. */
export async function getProgress(actor: Actor, now = new Date()): Promise<ProgressReport | null> {
  await authorize(actor, "report.read", { type: "program", id: "active" });
  return computeProgress(now);
}

/** The figures for `now` without an authorization check: for callers that already did one. */
export const computeProgress = cache(async (now: Date = new Date()): Promise<ProgressReport | null> => {
  const client = db();
  const [program] = await client.$queryRaw<ProgramRow[]>`
    SELECT p.id, p.name, p.starts_on, p.duration_days,
           coalesce((SELECT json_agg(json_build_object('id', m.id, 'key', m.key, 'name', m.name, 'sequence', m.sequence, 'due_day', m.due_day)
                                     ORDER BY m.sequence)
                     FROM milestone m WHERE m.program_id = p.id), '[]') AS milestones
    FROM program p WHERE p.active`;
  if (!program) return null;
  const today = utcDay(now);
  const todayIso = isoDay(today);
  // Rule 8 (a waiver past its expiry no longer counts as waived) and roll-ups marked as behind: brought up to date before anything is counted.
  await storeMarkedRollups(await lapseDueWaivers(today));
  const soonIso = isoDay(addDays(today, AT_RISK_WINDOW_DAYS));
  const startsOn = program.starts_on;
  const endsOn = programEndsOn({ startsOn, durationDays: program.duration_days });

  // The queries are independent; the pool runs them side by side.
  const [groups, systemRows, dayRows, reviewerRows, riskRows] = await Promise.all([
    // 1. Checkpoints grouped by everything the charts slice them by: sums over the tally's cells,
    //    a few hundred rows whatever the fleet size; the oldest submission from the roll-ups' index.
    client.$queryRaw<
      {
        team: string;
        tier: Tier;
        milestone_id: string;
        status: CheckpointStatus | null;
        overdue: boolean;
        at_risk: boolean;
        n: number;
        oldest_submitted: Date | null;
      }[]
    >`
      SELECT t.team, t.tier::text AS tier, t.milestone_id, t.status::text AS status,
             (t.due_on < ${todayIso}::date) AS overdue,
             (t.due_on >= ${todayIso}::date AND t.due_on <= ${soonIso}::date AND t.status <> 'SUBMITTED') AS at_risk,
             sum(t.n)::int AS n,
             NULL::timestamptz AS oldest_submitted
      FROM checkpoint_tally t
      WHERE t.n > 0
      GROUP BY 1, 2, 3, 4, 5, 6
      UNION ALL
      SELECT NULL, NULL, NULL, NULL, NULL, NULL, 0, min(r.oldest_submitted_at)
      FROM system_rollup r JOIN system s ON s.id = r.system_id
      WHERE r.oldest_submitted_at IS NOT NULL AND ${activeSystem("s")}`,
    // 2. Systems by team, tier, first open milestone and health: one narrow roll-up row each.
    client.$queryRaw<{ team: string; tier: Tier; first_open: number | null; health: Health; n: number }[]>`
      SELECT s.team, s.tier::text AS tier, r.current_sequence AS first_open, ${rollupHealthSql("r", today)} AS health, count(*)::int AS n
      FROM system_rollup r JOIN system s ON s.id = r.system_id
      WHERE r.total > 0 AND ${activeSystem("s")}
      GROUP BY 1, 2, 3, 4`,
    // 3. Per calendar day: checkpoints due, and completions that still stand, for the burn-up.
    client.$queryRaw<{ day: Date; kind: "DUE" | "APPROVED" | "WAIVED"; n: number }[]>`
      SELECT t.due_on AS day, 'DUE' AS kind, sum(t.n)::int AS n
      FROM checkpoint_tally t WHERE t.n > 0
      GROUP BY 1
      UNION ALL
      SELECT t.completed_on, t.status::text, sum(t.n)::int
      FROM checkpoint_tally t
      WHERE t.n > 0 AND t.status IN ('APPROVED', 'WAIVED') AND t.completed_on IS NOT NULL
      GROUP BY 1, 2`,
    // 4. Reviewer load: what each reviewer can sign now, as lib/domain/eligibility.ts decides.
    reviewerLoad(program.id),
    // 5. At risk: each late or nearly late system's most pressing checkpoint, and who it waits on.
    client.$queryRaw<
      {
        system_key: string;
        system_name: string;
        team: string;
        tier: Tier;
        milestone: string;
        milestone_name: string;
        status: CheckpointStatus;
        due_on: Date;
        total: number;
        people: PersonRef[];
      }[]
    >`
      WITH pressing AS (
        -- A system's most pressing checkpoint is its earliest open one when that is overdue, else its
        -- earliest unsubmitted one when that falls within the at-risk window (rule 9, from the roll-up).
        SELECT r.system_id,
               CASE WHEN r.next_due_on < ${todayIso}::date THEN r.next_due_checkpoint_id ELSE r.unsubmitted_checkpoint_id END AS checkpoint_id,
               CASE WHEN r.next_due_on < ${todayIso}::date THEN r.next_due_on ELSE r.unsubmitted_due_on END AS due_on
        FROM system_rollup r
        WHERE r.next_due_on < ${todayIso}::date OR r.unsubmitted_due_on <= ${soonIso}::date
      ), ranked AS (
        -- Ordered and cut on the narrow rows; only the listed few are joined to their checkpoints.
        SELECT p.*, s.key AS system_key, s.name AS system_name, s.team, s.tier::text AS tier, count(*) OVER ()::int AS total
        FROM pressing p JOIN system s ON s.id = p.system_id
        WHERE ${activeSystem("s")}
        ORDER BY p.due_on, s.tier, s.key
        LIMIT ${AT_RISK_LIST_LIMIT}
      ), top AS (
        SELECT k.*, c.id, c.status, c.round, m.key AS milestone, m.name AS milestone_name
        FROM ranked k JOIN checkpoint c ON c.id = k.checkpoint_id JOIN milestone m ON m.id = c.milestone_id
      )
      SELECT t.system_key, t.system_name, t.team, t.tier, t.milestone, t.milestone_name, t.status::text AS status, t.due_on, t.total,
             coalesce((
               SELECT json_agg(json_build_object('name', u.name, 'email', u.email) ORDER BY u.name)
               FROM assignment a JOIN app_user u ON u.id = a.user_id
               WHERE a.system_id = t.system_id
                 AND a.kind = (CASE WHEN t.status = 'SUBMITTED' THEN 'REVIEWER' ELSE 'OWNER' END)::assignment_kind
                 AND NOT EXISTS (SELECT 1 FROM review r WHERE t.status = 'SUBMITTED' AND r.checkpoint_id = t.id AND r.round = t.round AND r.reviewer_id = u.id)
             ), '[]') AS people
      FROM top t
      ORDER BY t.due_on, t.tier, t.system_key`,
  ]);

  const milestones = program.milestones;
  const milestoneById = new Map(milestones.map((m) => [m.id, m]));

  const totals = {
    checkpoints: 0,
    approved: 0,
    waived: 0,
    submitted: 0,
    inProgress: 0,
    changesRequested: 0,
    notStarted: 0,
    overdue: 0,
    atRisk: 0,
  };
  const milestoneBuckets = new Map(milestones.map((m) => [m.id, emptyBuckets()]));
  const tierBuckets = new Map(TIERS.map((t) => [t, emptyBuckets()]));
  const teamCells = new Map<string, Map<string, { approved: number; waived: number; total: number }>>();
  let oldestSubmitted: Date | null = null;
  for (const g of groups) {
    if (g.oldest_submitted && (!oldestSubmitted || g.oldest_submitted < oldestSubmitted))
      oldestSubmitted = g.oldest_submitted;
    // The last row carries only the oldest submission.
    if (g.status === null) continue;
    const done = g.status === "APPROVED" || g.status === "WAIVED";
    totals.checkpoints += g.n;
    if (g.status === "APPROVED") totals.approved += g.n;
    else if (g.status === "WAIVED") totals.waived += g.n;
    else if (g.status === "SUBMITTED") totals.submitted += g.n;
    else if (g.status === "NOT_STARTED") totals.notStarted += g.n;
    else {
      totals.inProgress += g.n;
      if (g.status === "CHANGES_REQUESTED") totals.changesRequested += g.n;
    }
    const overdue = !done && g.overdue;
    if (overdue) totals.overdue += g.n;
    else if (!done && g.at_risk) totals.atRisk += g.n;
    const bucket = bucketOf(g.status, overdue);
    for (const counts of [milestoneBuckets.get(g.milestone_id), tierBuckets.get(g.tier)]) {
      if (!counts) continue;
      counts[bucket] += g.n;
      counts.total += g.n;
    }
    const milestone = milestoneById.get(g.milestone_id);
    if (milestone) {
      const cells = teamCells.get(g.team) ?? new Map();
      teamCells.set(g.team, cells);
      const cell = cells.get(milestone.key) ?? { approved: 0, waived: 0, total: 0 };
      cells.set(milestone.key, cell);
      cell.total += g.n;
      if (g.status === "APPROVED") cell.approved += g.n;
      if (g.status === "WAIVED") cell.waived += g.n;
    }
  }

  const systems = { total: 0, done: 0, overdue: 0, atRisk: 0, onTrack: 0 };
  const teamSystems = new Map<string, { systems: number; systemsDone: number }>();
  const tierSystems = new Map(TIERS.map((t) => [t, { systems: 0, systemsDone: 0, systemsOverdue: 0 }]));
  const funnelCounts = new Map<number | null, number>();
  for (const row of systemRows) {
    systems.total += row.n;
    if (row.health === "DONE") systems.done += row.n;
    else if (row.health === "OVERDUE") systems.overdue += row.n;
    else if (row.health === "AT_RISK") systems.atRisk += row.n;
    else systems.onTrack += row.n;
    const team = teamSystems.get(row.team) ?? { systems: 0, systemsDone: 0 };
    teamSystems.set(row.team, team);
    team.systems += row.n;
    if (row.health === "DONE") team.systemsDone += row.n;
    const tier = tierSystems.get(row.tier);
    if (tier) {
      tier.systems += row.n;
      if (row.health === "DONE") tier.systemsDone += row.n;
      if (row.health === "OVERDUE") tier.systemsOverdue += row.n;
    }
    funnelCounts.set(row.first_open, (funnelCounts.get(row.first_open) ?? 0) + row.n);
  }

  const dueByDay = new Map<string, number>();
  const approvedByDay = new Map<string, number>();
  const waivedByDay = new Map<string, number>();
  const completionsByDay = new Map<string, number>();
  for (const row of dayRows) {
    const key = isoDay(row.day);
    const target = row.kind === "DUE" ? dueByDay : row.kind === "APPROVED" ? approvedByDay : waivedByDay;
    target.set(key, (target.get(key) ?? 0) + row.n);
    if (row.kind !== "DUE") completionsByDay.set(key, (completionsByDay.get(key) ?? 0) + row.n);
  }
  const done = totals.approved + totals.waived;
  const forecast = forecastFinish({ total: totals.checkpoints, done, completionsByDay, today, endsOn, startsOn });

  const teams = [...new Set([...teamCells.keys(), ...teamSystems.keys()])].sort((a, b) => a.localeCompare(b));
  const day = programDay({ startsOn, durationDays: program.duration_days }, today);
  const figures: SnapshotFigures = {
    approved: totals.approved,
    waived: totals.waived,
    submitted: totals.submitted,
    inProgress: totals.inProgress,
    notStarted: totals.notStarted,
    overdueCheckpoints: totals.overdue,
    systemsDone: systems.done,
    systemsOverdue: systems.overdue,
    reviewsWaiting: totals.submitted,
  };

  return {
    asOf: now.toISOString(),
    program: {
      name: program.name,
      startsOn: isoDay(startsOn),
      endsOn: isoDay(endsOn),
      durationDays: program.duration_days,
      day,
      daysLeft: Math.max(0, daysBetween(today, endsOn)),
    },
    totals,
    systems,
    reviews: {
      waiting: totals.submitted,
      oldestSubmittedAt: oldestSubmitted?.toISOString() ?? null,
      oldestWaitDays: oldestSubmitted
        ? Math.max(0, Math.floor((now.getTime() - oldestSubmitted.getTime()) / 86_400_000))
        : null,
    },
    byMilestone: milestones.map((m) => ({
      key: m.key,
      name: m.name,
      sequence: m.sequence,
      dueOn: isoDay(addDays(startsOn, m.due_day)),
      ...(milestoneBuckets.get(m.id) ?? emptyBuckets()),
    })),
    byTeam: teams.map((team) => {
      const cells = [...(teamCells.get(team)?.values() ?? [])];
      return {
        team,
        systems: teamSystems.get(team)?.systems ?? 0,
        systemsDone: teamSystems.get(team)?.systemsDone ?? 0,
        approved: cells.reduce((sum, c) => sum + c.approved, 0),
        waived: cells.reduce((sum, c) => sum + c.waived, 0),
        total: cells.reduce((sum, c) => sum + c.total, 0),
      };
    }),
    byTier: TIERS.map((tier) => ({ tier, ...tierSystems.get(tier)!, ...tierBuckets.get(tier)! })),
    heatmap: teams.map((team) => ({
      team,
      cells: milestones.map((m) => ({
        milestone: m.key,
        ...(teamCells.get(team)?.get(m.key) ?? { approved: 0, waived: 0, total: 0 }),
      })),
    })),
    funnel: [
      ...milestones.map((m) => ({
        milestone: m.key as string | null,
        name: m.name,
        systems: funnelCounts.get(m.sequence) ?? 0,
      })),
      { milestone: null, name: "Fully reset", systems: funnelCounts.get(null) ?? 0 },
    ],
    burnUp: burnUpSeries({ startsOn, endsOn, today, dueByDay, approvedByDay, waivedByDay }),
    forecast: {
      pacePerDay: Math.round(forecast.pacePerDay * 100) / 100,
      windowDays: forecast.windowDays,
      remaining: forecast.remaining,
      finishOn: forecast.finishOn ? isoDay(forecast.finishOn) : null,
      finishDay: forecast.finishOn
        ? programDay({ startsOn, durationDays: program.duration_days }, forecast.finishOn)
        : null,
      daysLate: forecast.daysLate,
      reason: forecast.reason,
    },
    atRisk: {
      total: riskRows[0]?.total ?? 0,
      items: riskRows.map((r) => {
        const daysLate = daysBetween(r.due_on, today);
        return {
          systemKey: r.system_key,
          systemName: r.system_name,
          team: r.team,
          tier: r.tier,
          health: (daysLate > 0 ? "OVERDUE" : "AT_RISK") as Health,
          milestone: r.milestone,
          milestoneName: r.milestone_name,
          status: r.status,
          dueOn: isoDay(r.due_on),
          daysLate,
          waitingOn: r.status === "SUBMITTED" ? ("reviewers" as const) : ("owners" as const),
          people: r.people,
        };
      }),
    },
    reviewerLoad: reviewerRows.map((r) => ({
      email: r.email,
      name: r.name,
      seniority: r.seniority,
      waiting: r.waiting,
      oldestSubmittedAt: r.oldest.toISOString(),
      oldestWaitDays: Math.max(0, Math.floor((now.getTime() - r.oldest.getTime()) / 86_400_000)),
    })),
    figures,
  };
});

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
  const program = await client.program.findFirst({
    where: { active: true },
    select: { id: true, startsOn: true, durationDays: true },
  });
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

export type ProgressCsvRow = [string, string, string | number];

/** The report's figures as rows (section, figure, value) for the CSV download. */
export function progressCsvRows(report: ProgressReport, change: WeekChange): ProgressCsvRow[] {
  const rows: ProgressCsvRow[] = [
    ["program", "name", report.program.name],
    ["program", "as of", report.asOf],
    ["program", "day", report.program.day],
    ["program", "days left", report.program.daysLeft],
    ["program", "ends on", report.program.endsOn],
  ];
  for (const [key, value] of Object.entries(report.totals)) rows.push(["checkpoints", key, value]);
  for (const [key, value] of Object.entries(report.systems)) rows.push(["systems", key, value]);
  rows.push(
    ["reviews", "waiting", report.reviews.waiting],
    ["reviews", "oldest wait (days)", report.reviews.oldestWaitDays ?? ""],
  );
  rows.push(
    ["forecast", "pace per day", report.forecast.pacePerDay],
    ["forecast", "finish on", report.forecast.finishOn ?? ""],
    ["forecast", "days late", report.forecast.daysLate ?? ""],
  );
  for (const m of report.byMilestone)
    for (const key of ["approved", "waived", "submitted", "inProgress", "notStarted", "overdue", "total"] as const)
      rows.push([`milestone ${m.key}`, key, m[key]]);
  for (const t of report.byTier)
    for (const key of ["systems", "systemsDone", "approved", "waived", "overdue", "total"] as const)
      rows.push([`tier ${t.tier}`, key, t[key]]);
  for (const c of change.changes) rows.push([`change since week ${change.since?.week ?? ""}`, c.figure, c.delta]);
  for (const r of report.atRisk.items)
    rows.push(["at risk", r.systemKey, `${r.milestone} ${r.daysLate > 0 ? `${r.daysLate} days overdue` : "due soon"}`]);
  return rows;
}

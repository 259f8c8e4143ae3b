// TEST-ONLY: the figures as they were computed before the per-system roll-up, by aggregating
// every checkpoint of the program on each read. Kept verbatim so that tests can hold the
// roll-up-backed reads to exactly the same figures; never imported by the application.
import { db } from "@/lib/db";
import type { ProgressReport } from "@/lib/domain/progress-report";
import { legacyReviewerLoad } from "@/tests/legacy-queue";
import { bucketOf, burnUpSeries, emptyBuckets, forecastFinish, type SnapshotFigures } from "@/lib/domain/progress";
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

type Tier = "TIER_0" | "TIER_1" | "TIER_2";
const TIERS: Tier[] = ["TIER_0", "TIER_1", "TIER_2"];
const AT_RISK_LIST_LIMIT = 25;
type PersonRef = { name: string; email: string };

interface ProgramRow {
  id: string;
  name: string;
  starts_on: Date;
  duration_days: number;
  milestones: { id: string; key: string; name: string; sequence: number; due_day: number }[];
}

export async function legacyProgress(now: Date = new Date()): Promise<ProgressReport | null> {
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
  // Rule 8: a waiver past its expiry no longer counts as waived.
  // (The caller brings waivers and roll-ups up to date first: this copy only counts.)
  const soonIso = isoDay(addDays(today, AT_RISK_WINDOW_DAYS));
  const startsOn = program.starts_on;
  const endsOn = programEndsOn({ startsOn, durationDays: program.duration_days });

  // The queries are independent; the pool runs them side by side.
  const [groups, systemRows, dayRows, reviewerRows, riskRows] = await Promise.all([
    // 1. Checkpoints grouped by everything the charts slice them by.
    client.$queryRaw<
      {
        team: string;
        tier: Tier;
        milestone_id: string;
        status: CheckpointStatus;
        overdue: boolean;
        at_risk: boolean;
        n: number;
        oldest_submitted: Date | null;
      }[]
    >`
      SELECT s.team, s.tier::text AS tier, c.milestone_id, c.status::text AS status,
             (c.due_on < ${todayIso}::date) AS overdue,
             (c.due_on >= ${todayIso}::date AND c.due_on <= ${soonIso}::date AND c.status <> 'SUBMITTED') AS at_risk,
             count(*)::int AS n,
             min(c.submitted_at) FILTER (WHERE c.status = 'SUBMITTED') AS oldest_submitted
      FROM checkpoint c
      JOIN milestone m ON m.id = c.milestone_id
      JOIN system s ON s.id = c.system_id
      WHERE m.program_id = ${program.id}::uuid AND c.system_id IN (SELECT id FROM system WHERE archived_at IS NULL)
      GROUP BY 1, 2, 3, 4, 5, 6`,
    // 2. Systems by team, tier, first open milestone and health.
    client.$queryRaw<{ team: string; tier: Tier; first_open: number | null; health: Health; n: number }[]>`
      WITH per_system AS (
        SELECT c.system_id,
               min(m.sequence) FILTER (WHERE c.status NOT IN ('APPROVED', 'WAIVED')) AS first_open,
               bool_or(c.status NOT IN ('APPROVED', 'WAIVED') AND c.due_on < ${todayIso}::date) AS overdue,
               bool_or(c.status NOT IN ('APPROVED', 'WAIVED', 'SUBMITTED') AND c.due_on >= ${todayIso}::date AND c.due_on <= ${soonIso}::date) AS at_risk
        FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id
        WHERE m.program_id = ${program.id}::uuid AND c.system_id IN (SELECT id FROM system WHERE archived_at IS NULL)
        GROUP BY c.system_id
      )
      SELECT s.team, s.tier::text AS tier, p.first_open,
             CASE WHEN p.first_open IS NULL THEN 'DONE' WHEN p.overdue THEN 'OVERDUE' WHEN p.at_risk THEN 'AT_RISK' ELSE 'ON_TRACK' END AS health,
             count(*)::int AS n
      FROM per_system p JOIN system s ON s.id = p.system_id
      GROUP BY 1, 2, 3, 4`,
    // 3. Per calendar day: checkpoints due, and completions that still stand, for the burn-up.
    client.$queryRaw<{ day: Date; kind: "DUE" | "APPROVED" | "WAIVED"; n: number }[]>`
      SELECT c.due_on AS day, 'DUE' AS kind, count(*)::int AS n
      FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id
      WHERE m.program_id = ${program.id}::uuid AND c.system_id IN (SELECT id FROM system WHERE archived_at IS NULL)
      GROUP BY 1
      UNION ALL
      SELECT (c.completed_at AT TIME ZONE 'UTC')::date, c.status::text, count(*)::int
      FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id
      WHERE m.program_id = ${program.id}::uuid AND c.system_id IN (SELECT id FROM system WHERE archived_at IS NULL) AND c.status IN ('APPROVED', 'WAIVED') AND c.completed_at IS NOT NULL
      GROUP BY 1, 2`,
    // 4. Reviewer load is not a roll-up figure: it is what the eligibility rule says each reviewer
    //    can sign now (docs/RULES.md, rule 14), read the same way by both computations.
    legacyReviewerLoad(),
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
        SELECT DISTINCT ON (c.system_id) c.id, c.system_id, c.status, c.due_on, c.round, m.key AS milestone, m.name AS milestone_name, m.sequence
        FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id
        WHERE m.program_id = ${program.id}::uuid AND c.system_id IN (SELECT id FROM system WHERE archived_at IS NULL)
          AND c.status NOT IN ('APPROVED', 'WAIVED')
          AND (c.due_on < ${todayIso}::date OR (c.due_on <= ${soonIso}::date AND c.status <> 'SUBMITTED'))
        ORDER BY c.system_id, c.due_on, m.sequence
      ), top AS (
        SELECT p.*, s.key AS system_key, s.name AS system_name, s.team, s.tier::text AS tier, count(*) OVER ()::int AS total
        FROM pressing p JOIN system s ON s.id = p.system_id
        ORDER BY p.due_on, s.tier, s.key
        LIMIT ${AT_RISK_LIST_LIMIT}
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
    if (g.oldest_submitted && (!oldestSubmitted || g.oldest_submitted < oldestSubmitted))
      oldestSubmitted = g.oldest_submitted;
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
}

export interface LegacySystemFigures {
  key: string;
  health: Health;
  progress: { approved: number; waived: number; total: number };
  nextDue: { milestone: string; dueOn: string } | null;
  currentMilestone: string | null;
}

/** The registry's per-system aggregates as its listing computed them from every checkpoint. */
export async function legacySystemFigures(today: Date): Promise<Map<string, LegacySystemFigures>> {
  const day = isoDay(today);
  const riskDay = isoDay(addDays(today, AT_RISK_WINDOW_DAYS));
  const rows = await db().$queryRaw<
    {
      key: string;
      total: number;
      approved: number;
      waived: number;
      health: Health;
      next_due: Date | null;
      next_due_milestone: string | null;
      current_key: string | null;
    }[]
  >`
    WITH prog AS (SELECT id FROM program WHERE active LIMIT 1),
    agg AS (
      SELECT c.system_id,
             count(*)::int AS total,
             (count(*) FILTER (WHERE c.status = 'APPROVED'))::int AS approved,
             (count(*) FILTER (WHERE c.status = 'WAIVED'))::int AS waived,
             min(c.due_on) FILTER (WHERE c.status NOT IN ('APPROVED', 'WAIVED')) AS next_due,
             min(m.sequence) FILTER (WHERE c.status NOT IN ('APPROVED', 'WAIVED')) AS current_seq,
             bool_or(c.status NOT IN ('APPROVED', 'WAIVED') AND c.due_on < ${day}::date) AS overdue,
             bool_or(c.status NOT IN ('APPROVED', 'WAIVED', 'SUBMITTED') AND c.due_on <= ${riskDay}::date) AS at_risk
        FROM checkpoint c
        JOIN milestone m ON m.id = c.milestone_id
        JOIN prog ON prog.id = m.program_id
       GROUP BY c.system_id
    )
    SELECT s.key, coalesce(a.total, 0) AS total, coalesce(a.approved, 0) AS approved, coalesce(a.waived, 0) AS waived, a.next_due,
           CASE WHEN a.overdue THEN 'OVERDUE' WHEN a.at_risk THEN 'AT_RISK' WHEN a.next_due IS NOT NULL THEN 'ON_TRACK' ELSE 'DONE' END AS health,
           (SELECT m.key FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id JOIN prog ON prog.id = m.program_id
             WHERE c.system_id = s.id AND c.status NOT IN ('APPROVED', 'WAIVED')
             ORDER BY c.due_on, m.sequence LIMIT 1) AS next_due_milestone,
           cm.key AS current_key
      FROM system s
      LEFT JOIN agg a ON a.system_id = s.id
      LEFT JOIN milestone cm ON cm.program_id = (SELECT id FROM prog) AND cm.sequence = a.current_seq
     WHERE s.archived_at IS NULL`;
  return new Map(
    rows.map((r) => [
      r.key,
      {
        key: r.key,
        health: r.health,
        progress: { approved: r.approved, waived: r.waived, total: r.total },
        nextDue:
          r.next_due && r.next_due_milestone ? { milestone: r.next_due_milestone, dueOn: isoDay(r.next_due) } : null,
        currentMilestone: r.current_key,
      },
    ]),
  );
}

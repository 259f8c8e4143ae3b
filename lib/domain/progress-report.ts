// The progress report's figures, folded from the rows of the aggregate queries in
// lib/data/progress.ts: totals, systems by health, the milestone, team and tier breakdowns, the
// heatmap, the funnel, the burn-up, the forecast, the at-risk list and the reviewer load. Pure,
// so that the dashboard, the report, its CSV and GET /api/v1/progress cannot disagree and the
// folding is unit-tested without a database (docs/RULES.md, section 4).
import { Tier } from "@/lib/generated/prisma/enums";
import {
  bucketOf,
  burnUpSeries,
  emptyBuckets,
  forecastFinish,
  type BucketCounts,
  type BurnUpPoint,
  type SnapshotFigures,
} from "@/lib/domain/progress";
import {
  addDays,
  daysBetween,
  isoDay,
  programDay,
  programEndsOn,
  utcDay,
  type CheckpointStatus,
  type Health,
} from "@/lib/domain/schedule";

const TIERS = Object.values(Tier);

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

/** The active program and its milestones in sequence order. */
export interface ProgramRow {
  id: string;
  name: string;
  starts_on: Date;
  duration_days: number;
  milestones: { id: string; key: string; name: string; sequence: number; due_day: number }[];
}

/**
 * Checkpoints counted by team, tier, milestone, status and whether due before today / within the
 * at-risk window; one extra row with a null status carries only the oldest open submission.
 */
export interface TallyGroupRow {
  team: string;
  tier: Tier;
  milestone_id: string;
  status: CheckpointStatus | null;
  overdue: boolean;
  at_risk: boolean;
  n: number;
  oldest_submitted: Date | null;
}

/** Systems counted by team, tier, first open milestone (null: fully reset) and health. */
export interface SystemGroupRow {
  team: string;
  tier: Tier;
  first_open: number | null;
  health: Health;
  n: number;
}

/** Per calendar day: checkpoints due, and completions (approved, waived) that still stand. */
export interface DayRow {
  day: Date;
  kind: "DUE" | "APPROVED" | "WAIVED";
  n: number;
}

/** What a reviewer can sign now (rule 14), and since when the oldest of it waits. */
export interface ReviewerRow {
  email: string;
  name: string;
  seniority: string;
  waiting: number;
  oldest: Date;
}

/** A late or nearly late system's most pressing checkpoint, the people it waits on, and the full count. */
export interface RiskRow {
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
}

export interface ProgressRows {
  program: ProgramRow;
  groups: readonly TallyGroupRow[];
  systemRows: readonly SystemGroupRow[];
  dayRows: readonly DayRow[];
  reviewerRows: readonly ReviewerRow[];
  riskRows: readonly RiskRow[];
}

/** Folds the aggregate rows into the report as it stands at `now`. */
export function buildProgressReport(rows: ProgressRows, now: Date): ProgressReport {
  const { program, groups, systemRows, dayRows, reviewerRows, riskRows } = rows;
  const today = utcDay(now);
  const startsOn = program.starts_on;
  const endsOn = programEndsOn({ startsOn, durationDays: program.duration_days });
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
}

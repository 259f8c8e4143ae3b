import { describe, expect, it } from "vitest";
import { buildProgressReport, type ProgressRows, type TallyGroupRow } from "@/lib/domain/progress-report";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

// A 30-day program started on Jan 1; "now" is Jan 21, noon (program day 21).
const NOW = new Date("2026-01-21T12:00:00Z");
const program: ProgressRows["program"] = {
  id: "p",
  name: "Reset",
  starts_on: d("2026-01-01"),
  duration_days: 30,
  milestones: [
    { id: "m1", key: "inventory", name: "Inventory", sequence: 1, due_day: 7 },
    { id: "m2", key: "rollback", name: "Rollback", sequence: 2, due_day: 28 },
  ],
};

const group = (over: Partial<TallyGroupRow>): TallyGroupRow => ({
  team: "payments",
  tier: "TIER_1",
  milestone_id: "m1",
  status: "NOT_STARTED",
  overdue: false,
  at_risk: false,
  n: 1,
  oldest_submitted: null,
  ...over,
});

const rows = (over: Partial<ProgressRows> = {}): ProgressRows => ({
  program,
  groups: [],
  systemRows: [],
  dayRows: [],
  reviewerRows: [],
  riskRows: [],
  ...over,
});

describe("buildProgressReport", () => {
  it("counts approved and waived apart, never late, and open work past due as overdue whatever its status", () => {
    const report = buildProgressReport(
      rows({
        groups: [
          group({ status: "APPROVED", overdue: true, n: 3 }),
          group({ status: "WAIVED", n: 1 }),
          group({ status: "SUBMITTED", overdue: true, n: 2 }),
          group({ status: "CHANGES_REQUESTED", at_risk: true, n: 4, tier: "TIER_0" }),
          group({ status: "IN_PROGRESS", overdue: true, at_risk: true, n: 5, milestone_id: "m2" }),
          group({ status: "NOT_STARTED", n: 6, milestone_id: "m2", team: "identity" }),
        ],
      }),
      NOW,
    );
    expect(report.totals).toEqual({
      checkpoints: 21,
      approved: 3,
      waived: 1,
      submitted: 2,
      inProgress: 9,
      changesRequested: 4,
      notStarted: 6,
      overdue: 7,
      atRisk: 4,
    });
    const [inventory, rollback] = report.byMilestone;
    expect(inventory).toMatchObject({ key: "inventory", dueOn: "2026-01-08", approved: 3, waived: 1, overdue: 2 });
    expect(inventory).toMatchObject({ inProgress: 4, submitted: 0, notStarted: 0, total: 10 });
    expect(rollback).toMatchObject({ key: "rollback", overdue: 5, notStarted: 6, total: 11 });
    expect(report.byTier.map((t) => t.tier)).toEqual(["TIER_0", "TIER_1", "TIER_2"]);
    expect(report.byTier[0]).toMatchObject({ inProgress: 4, total: 4 });
    expect(report.byTier[2]).toMatchObject({ systems: 0, total: 0 });
    // The snapshot's figures are the same totals, so a frozen week compares like with like.
    expect(report.figures).toMatchObject({ approved: 3, waived: 1, overdueCheckpoints: 7, reviewsWaiting: 2 });
  });

  it("lays the heatmap out as every team by every milestone, teams in order, missing cells empty", () => {
    const report = buildProgressReport(
      rows({
        groups: [
          group({ team: "payments", status: "APPROVED", n: 2 }),
          group({ team: "payments", status: "NOT_STARTED", n: 1 }),
          group({ team: "identity", milestone_id: "m2", status: "WAIVED", n: 1 }),
        ],
        systemRows: [{ team: "search", tier: "TIER_2", first_open: 1, health: "ON_TRACK", n: 1 }],
      }),
      NOW,
    );
    expect(report.heatmap).toEqual([
      {
        team: "identity",
        cells: [
          { milestone: "inventory", approved: 0, waived: 0, total: 0 },
          { milestone: "rollback", approved: 0, waived: 1, total: 1 },
        ],
      },
      {
        team: "payments",
        cells: [
          { milestone: "inventory", approved: 2, waived: 0, total: 3 },
          { milestone: "rollback", approved: 0, waived: 0, total: 0 },
        ],
      },
      {
        team: "search",
        cells: [
          { milestone: "inventory", approved: 0, waived: 0, total: 0 },
          { milestone: "rollback", approved: 0, waived: 0, total: 0 },
        ],
      },
    ]);
    expect(report.byTeam.find((t) => t.team === "payments")).toEqual({
      team: "payments",
      systems: 0,
      systemsDone: 0,
      approved: 2,
      waived: 0,
      total: 3,
    });
  });

  it("sorts systems by health, tier and the first milestone they have not completed", () => {
    const report = buildProgressReport(
      rows({
        systemRows: [
          { team: "payments", tier: "TIER_0", first_open: null, health: "DONE", n: 2 },
          { team: "payments", tier: "TIER_0", first_open: 1, health: "OVERDUE", n: 3 },
          { team: "identity", tier: "TIER_1", first_open: 2, health: "AT_RISK", n: 1 },
          { team: "identity", tier: "TIER_1", first_open: 2, health: "ON_TRACK", n: 4 },
        ],
      }),
      NOW,
    );
    expect(report.systems).toEqual({ total: 10, done: 2, overdue: 3, atRisk: 1, onTrack: 4 });
    expect(report.byTier[0]).toMatchObject({ tier: "TIER_0", systems: 5, systemsDone: 2, systemsOverdue: 3 });
    expect(report.byTier[1]).toMatchObject({ tier: "TIER_1", systems: 5, systemsDone: 0, systemsOverdue: 0 });
    expect(report.funnel).toEqual([
      { milestone: "inventory", name: "Inventory", systems: 3 },
      { milestone: "rollback", name: "Rollback", systems: 5 },
      { milestone: null, name: "Fully reset", systems: 2 },
    ]);
    expect(report.byTeam.map((t) => [t.team, t.systems, t.systemsDone])).toEqual([
      ["identity", 5, 0],
      ["payments", 5, 2],
    ]);
  });

  it("dates the program and the oldest waiting review from now", () => {
    const report = buildProgressReport(
      rows({
        groups: [
          group({ status: "SUBMITTED", n: 2 }),
          // The row without a status carries only the oldest open submission.
          group({ status: null, n: 0, oldest_submitted: new Date("2026-01-18T09:00:00Z") }),
        ],
        reviewerRows: [
          { email: "r@x.test", name: "R", seniority: "SENIOR", waiting: 2, oldest: new Date("2026-01-20T13:00:00Z") },
        ],
      }),
      NOW,
    );
    expect(report.asOf).toBe(NOW.toISOString());
    expect(report.program).toEqual({
      name: "Reset",
      startsOn: "2026-01-01",
      endsOn: "2026-01-31",
      durationDays: 30,
      day: 21,
      daysLeft: 10,
    });
    expect(report.totals.checkpoints).toBe(2);
    expect(report.reviews).toEqual({ waiting: 2, oldestSubmittedAt: "2026-01-18T09:00:00.000Z", oldestWaitDays: 3 });
    // 23 hours is not yet a day.
    expect(report.reviewerLoad).toEqual([
      {
        email: "r@x.test",
        name: "R",
        seniority: "SENIOR",
        waiting: 2,
        oldestSubmittedAt: "2026-01-20T13:00:00.000Z",
        oldestWaitDays: 0,
      },
    ]);
  });

  it("says who an at-risk checkpoint waits on, and whether it is late or only due soon", () => {
    const risk = {
      system_name: "Ledger",
      team: "payments",
      tier: "TIER_0" as const,
      milestone: "inventory",
      milestone_name: "Inventory",
      total: 7,
      people: [{ name: "Olu", email: "olu@x.test" }],
    };
    const report = buildProgressReport(
      rows({
        riskRows: [
          { ...risk, system_key: "ledger", status: "SUBMITTED", due_on: d("2026-01-18") },
          { ...risk, system_key: "vault", status: "NOT_STARTED", due_on: d("2026-01-24") },
        ],
      }),
      NOW,
    );
    expect(report.atRisk.total).toBe(7);
    expect(report.atRisk.items.map((i) => [i.systemKey, i.health, i.daysLate, i.waitingOn, i.dueOn])).toEqual([
      ["ledger", "OVERDUE", 3, "reviewers", "2026-01-18"],
      ["vault", "AT_RISK", -3, "owners", "2026-01-24"],
    ]);
  });

  it("forecasts from the completions per day and shows the burn-up to today", () => {
    const report = buildProgressReport(
      rows({
        groups: [group({ status: "APPROVED", n: 14 }), group({ status: "NOT_STARTED", n: 14 })],
        dayRows: [
          { day: d("2026-01-08"), kind: "DUE", n: 28 },
          { day: d("2026-01-14"), kind: "APPROVED", n: 7 },
          { day: d("2026-01-21"), kind: "APPROVED", n: 7 },
        ],
      }),
      NOW,
    );
    // 14 completions in the last 14 days: 1 a day, 14 remain → Feb 4, 4 days after the end (day 35).
    expect(report.forecast).toEqual({
      pacePerDay: 1,
      windowDays: 14,
      remaining: 14,
      finishOn: "2026-02-04",
      finishDay: 35,
      daysLate: 4,
      reason: null,
    });
    const point = (date: string) => report.burnUp.find((p) => p.date === date);
    expect(point("2026-01-07")).toMatchObject({ planned: 0, approved: 0, done: 0 });
    expect(point("2026-01-14")).toMatchObject({ planned: 28, approved: 7, done: 7 });
    expect(point("2026-01-21")).toMatchObject({ day: 21, planned: 28, approved: 14, done: 14 });
    // The future has no actuals.
    expect(point("2026-01-22")).toMatchObject({ planned: 28, approved: null, done: null });
  });

  it("gives an empty program every breakdown with zeros rather than missing rows", () => {
    const report = buildProgressReport(rows(), NOW);
    expect(report.totals.checkpoints).toBe(0);
    expect(report.byMilestone.map((m) => m.total)).toEqual([0, 0]);
    expect(report.byTier).toHaveLength(3);
    expect(report.funnel.map((f) => f.systems)).toEqual([0, 0, 0]);
    expect(report.heatmap).toEqual([]);
    expect(report.reviews.oldestSubmittedAt).toBeNull();
    expect(report.atRisk).toEqual({ total: 0, items: [] });
  });
});

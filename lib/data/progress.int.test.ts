// The dashboard's figures for a small program built by hand, each number checked against values
// worked out on paper (in the comments). If a query or a derivation drifts, a number here moves.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/db";

vi.mock("server-only", () => ({}));

let database: TestDatabase;
let client: pg.Client;
const NOW = new Date("2026-11-15T12:00:00Z"); // program day 15 of 28
const id = {} as Record<string, string>;
let seq = 0;

async function insert(sql: string, params: unknown[]): Promise<string> {
  const { rows } = await client.query<{ id: string }>(`${sql} RETURNING id`, params);
  return rows[0]!.id;
}

/** A status change as the app records it: an audit event whose data names the checkpoint and `to`. */
async function moved(checkpoint: string, to: string, at: string) {
  seq += 1;
  const hex = (n: number) => n.toString(16).padStart(64, "0");
  await client.query(
    "INSERT INTO audit_event (seq, at, action, subject_type, subject_id, data, prev_hash, hash) VALUES ($1, $2, 'test.move', 'checkpoint', $3, $4, $5, $6)",
    [seq, at, checkpoint, JSON.stringify({ checkpointId: id[checkpoint], to }), hex(seq - 1), hex(seq)],
  );
}

async function checkpoint(
  name: string,
  system: string,
  milestone: string,
  dueOn: string,
  status: string,
  at: { completed?: string; submitted?: string; round?: number } = {},
) {
  id[name] = await insert(
    `INSERT INTO checkpoint (system_id, milestone_id, due_on, status, completed_at, submitted_at, round, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, '2026-10-31T00:00:00Z', now())`,
    [id[system], id[milestone], dueOn, status, at.completed ?? null, at.submitted ?? null, at.round ?? 0],
  );
}

beforeAll(async () => {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const user = (email: string, name: string, seniority: string) =>
    insert("INSERT INTO app_user (email, name, role, seniority, updated_at) VALUES ($1, $2, 'ENGINEER', $3, now())", [
      email,
      name,
      seniority,
    ]);
  id.ownerA = await user("olu@example.com", "Olu Owner", "MID");
  id.ownerB = await user("bea@example.com", "Bea Owner", "MID");
  id.r1 = await user("rae@example.com", "Rae Reviewer", "SENIOR");
  id.r2 = await user("sol@example.com", "Sol Reviewer", "SENIOR");
  // Starts Nov 1 (day 1), 28 days, ends Nov 29.
  id.program = await insert(
    "INSERT INTO program (name, starts_on, duration_days, updated_at) VALUES ('Hand-built', '2026-11-01', 28, now())",
    [],
  );
  // m1 due day 7 (Nov 8, overdue by today); m2 due day 18 (Nov 19, within the 7-day at-risk window).
  id.m1 = await insert(
    "INSERT INTO milestone (program_id, key, name, sequence, due_day, updated_at) VALUES ($1, 'first', 'First', 1, 7, now())",
    [id.program],
  );
  id.m2 = await insert(
    "INSERT INTO milestone (program_id, key, name, sequence, due_day, updated_at) VALUES ($1, 'second', 'Second', 2, 18, now())",
    [id.program],
  );
  const system = (key: string, team: string, tier: string) =>
    insert(
      "INSERT INTO system (key, name, team, tier, created_at, updated_at) VALUES ($1, $1, $2, $3, '2026-10-31T00:00:00Z', now())",
      [key, team, tier],
    );
  id.a1 = await system("a1", "Alpha", "TIER_0");
  id.a2 = await system("a2", "Alpha", "TIER_1");
  id.b1 = await system("b1", "Beta", "TIER_2");
  id.b2 = await system("b2", "Beta", "TIER_0");
  for (const [system, owner] of [
    ["a1", "ownerA"],
    ["a2", "ownerA"],
    ["b1", "ownerB"],
    ["b2", "ownerB"],
  ] as const)
    await client.query("INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $2, 'OWNER')", [
      id[system],
      id[owner],
    ]);
  for (const reviewer of ["r1", "r2"])
    await client.query("INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $2, 'REVIEWER')", [
      id.a1,
      id[reviewer],
    ]);

  await checkpoint("a1m1", "a1", "m1", "2026-11-08", "APPROVED", { completed: "2026-11-10T09:00:00Z", round: 1 });
  await checkpoint("a1m2", "a1", "m2", "2026-11-19", "SUBMITTED", { submitted: "2026-11-12T10:00:00Z", round: 1 });
  await checkpoint("a2m1", "a2", "m1", "2026-11-08", "WAIVED", { completed: "2026-11-14T09:00:00Z" });
  await checkpoint("a2m2", "a2", "m2", "2026-11-19", "IN_PROGRESS");
  await checkpoint("b1m1", "b1", "m1", "2026-11-08", "CHANGES_REQUESTED", { round: 1 });
  await checkpoint("b1m2", "b1", "m2", "2026-11-19", "NOT_STARTED");
  await checkpoint("b2m1", "b2", "m1", "2026-11-08", "APPROVED", { completed: "2026-11-05T09:00:00Z", round: 1 });
  await checkpoint("b2m2", "b2", "m2", "2026-11-19", "APPROVED", { completed: "2026-11-13T09:00:00Z", round: 1 });
  // Tier 0 needs two approvals: Rae has signed a1/m2's round, Sol has not.
  await client.query(
    "INSERT INTO review (checkpoint_id, reviewer_id, round, decision, seniority, evidence_digest) VALUES ($1, $2, 1, 'APPROVE', 'SENIOR', $3)",
    [id.a1m2, id.r1, "a".repeat(64)],
  );

  // The same history as audit events, for the weekly snapshots.
  await moved("b1m1", "IN_PROGRESS", "2026-11-02T09:00:00Z");
  await moved("b2m1", "IN_PROGRESS", "2026-11-03T09:00:00Z");
  await moved("b2m1", "SUBMITTED", "2026-11-04T09:00:00Z");
  await moved("b2m1", "APPROVED", "2026-11-05T09:00:00Z");
  await moved("a1m1", "IN_PROGRESS", "2026-11-06T09:00:00Z");
  await moved("b1m1", "SUBMITTED", "2026-11-06T10:00:00Z");
  await moved("a2m1", "IN_PROGRESS", "2026-11-07T09:00:00Z");
  await moved("b1m1", "CHANGES_REQUESTED", "2026-11-07T10:00:00Z");
  await moved("a1m1", "SUBMITTED", "2026-11-09T09:00:00Z");
  await moved("b2m2", "IN_PROGRESS", "2026-11-09T10:00:00Z");
  await moved("a1m1", "APPROVED", "2026-11-10T09:00:00Z");
  await moved("a1m2", "IN_PROGRESS", "2026-11-10T10:00:00Z");
  await moved("a1m2", "SUBMITTED", "2026-11-12T10:00:00Z");
  await moved("b2m2", "SUBMITTED", "2026-11-12T11:00:00Z");
  await moved("b2m2", "APPROVED", "2026-11-13T09:00:00Z");
  await moved("a2m1", "WAIVED", "2026-11-14T09:00:00Z");
  await moved("a2m2", "IN_PROGRESS", "2026-11-14T10:00:00Z");
  // A later event on an approved checkpoint that is not a status change: a due-date override,
  // whose data also has a `to` (a date). The snapshots must not read it as a status.
  seq += 1;
  await client.query(
    "INSERT INTO audit_event (seq, at, action, subject_type, subject_id, data, prev_hash, hash) VALUES ($1, $2, 'checkpoint.due_override', 'checkpoint', 'b2m1', $3, $4, $5)",
    [
      seq,
      "2026-11-06T09:00:00Z",
      JSON.stringify({ checkpointId: id.b2m1, from: "2026-11-08", to: "2026-11-20", reason: "Vendor freeze" }),
      (seq - 1).toString(16).padStart(64, "0"),
      seq.toString(16).padStart(64, "0"),
    ],
  );
});

afterAll(async () => {
  await client?.end();
  await (globalThis as { resetboardDb?: { $disconnect(): Promise<void> } }).resetboardDb?.$disconnect();
  await database?.drop();
});

describe("progress figures for a hand-built program", () => {
  it("counts checkpoints by status, with waived always apart from approved", async () => {
    const { computeProgress } = await import("@/lib/data/progress");
    const report = (await computeProgress(NOW))!;
    expect(report.program).toEqual({
      name: "Hand-built",
      startsOn: "2026-11-01",
      endsOn: "2026-11-29",
      durationDays: 28,
      day: 15,
      daysLeft: 14,
    });
    // approved: a1m1, b2m1, b2m2; waived: a2m1; in progress: a2m2 + b1m1 (changes requested);
    // overdue: b1m1 (due Nov 8); at risk: a2m2, b1m2 (due Nov 19, not submitted). a1m2 is submitted: not at risk.
    expect(report.totals).toEqual({
      checkpoints: 8,
      approved: 3,
      waived: 1,
      submitted: 1,
      inProgress: 2,
      changesRequested: 1,
      notStarted: 1,
      overdue: 1,
      atRisk: 2,
    });
    // a1 on track (its open checkpoint is submitted), a2 at risk, b1 overdue, b2 fully reset.
    expect(report.systems).toEqual({ total: 4, done: 1, overdue: 1, atRisk: 1, onTrack: 1 });
    // a1m2 submitted Nov 12 10:00; now Nov 15 12:00: 3 whole days.
    expect(report.reviews).toEqual({ waiting: 1, oldestSubmittedAt: "2026-11-12T10:00:00.000Z", oldestWaitDays: 3 });
  });

  it("slices by milestone, tier, team, and the teams × milestones heatmap", async () => {
    const { computeProgress } = await import("@/lib/data/progress");
    const report = (await computeProgress(NOW))!;
    expect(report.byMilestone).toEqual([
      {
        key: "first",
        name: "First",
        sequence: 1,
        dueOn: "2026-11-08",
        approved: 2,
        waived: 1,
        overdue: 1,
        submitted: 0,
        inProgress: 0,
        notStarted: 0,
        total: 4,
      },
      {
        key: "second",
        name: "Second",
        sequence: 2,
        dueOn: "2026-11-19",
        approved: 1,
        waived: 0,
        overdue: 0,
        submitted: 1,
        inProgress: 1,
        notStarted: 1,
        total: 4,
      },
    ]);
    expect(report.byTier).toEqual([
      {
        tier: "TIER_0",
        systems: 2,
        systemsDone: 1,
        systemsOverdue: 0,
        approved: 3,
        waived: 0,
        overdue: 0,
        submitted: 1,
        inProgress: 0,
        notStarted: 0,
        total: 4,
      },
      {
        tier: "TIER_1",
        systems: 1,
        systemsDone: 0,
        systemsOverdue: 0,
        approved: 0,
        waived: 1,
        overdue: 0,
        submitted: 0,
        inProgress: 1,
        notStarted: 0,
        total: 2,
      },
      {
        tier: "TIER_2",
        systems: 1,
        systemsDone: 0,
        systemsOverdue: 1,
        approved: 0,
        waived: 0,
        overdue: 1,
        submitted: 0,
        inProgress: 0,
        notStarted: 1,
        total: 2,
      },
    ]);
    expect(report.byTeam).toEqual([
      { team: "Alpha", systems: 2, systemsDone: 0, approved: 1, waived: 1, total: 4 },
      { team: "Beta", systems: 2, systemsDone: 1, approved: 2, waived: 0, total: 4 },
    ]);
    expect(report.heatmap).toEqual([
      {
        team: "Alpha",
        cells: [
          { milestone: "first", approved: 1, waived: 1, total: 2 },
          { milestone: "second", approved: 0, waived: 0, total: 2 },
        ],
      },
      {
        team: "Beta",
        cells: [
          { milestone: "first", approved: 1, waived: 0, total: 2 },
          { milestone: "second", approved: 1, waived: 0, total: 2 },
        ],
      },
    ]);
    // First open milestone: b1 → first; a1, a2 → second; b2 → none.
    expect(report.funnel).toEqual([
      { milestone: "first", name: "First", systems: 1 },
      { milestone: "second", name: "Second", systems: 2 },
      { milestone: null, name: "Fully reset", systems: 1 },
    ]);
  });

  it("builds the burn-up and forecasts the finish from the last 14 days' pace", async () => {
    const { computeProgress } = await import("@/lib/data/progress");
    const report = (await computeProgress(NOW))!;
    expect(report.burnUp).toHaveLength(29); // Nov 1 … Nov 29
    const on = (date: string) => report.burnUp.find((p) => p.date === date)!;
    expect(on("2026-11-01")).toEqual({ date: "2026-11-01", day: 1, planned: 0, approved: 0, done: 0 });
    expect(on("2026-11-08")).toMatchObject({ day: 8, planned: 4, approved: 1, done: 1 });
    expect(on("2026-11-14")).toMatchObject({ planned: 4, approved: 3, done: 4 }); // + a2m1 waived
    expect(on("2026-11-15")).toMatchObject({ planned: 4, approved: 3, done: 4 });
    expect(on("2026-11-16")).toMatchObject({ planned: 4, approved: null, done: null }); // the future has no actuals
    expect(on("2026-11-19")).toMatchObject({ planned: 8 });
    // Window Nov 2–15 holds 4 completions (Nov 5, 10, 13, 14): pace 4/14 a day; 4 remain, so
    // 4 ÷ (4/14) = 14 days: Nov 29, exactly the program's end (0 days late), program day 29.
    expect(report.forecast).toEqual({
      pacePerDay: 0.29,
      windowDays: 14,
      remaining: 4,
      finishOn: "2026-11-29",
      finishDay: 29,
      daysLate: 0,
      reason: null,
    });
  });

  it("lists the systems at risk with who they wait on, and each reviewer's queue", async () => {
    const { computeProgress } = await import("@/lib/data/progress");
    const report = (await computeProgress(NOW))!;
    expect(report.atRisk.total).toBe(2);
    expect(report.atRisk.items).toEqual([
      {
        systemKey: "b1",
        systemName: "b1",
        team: "Beta",
        tier: "TIER_2",
        health: "OVERDUE",
        milestone: "first",
        milestoneName: "First",
        status: "CHANGES_REQUESTED",
        dueOn: "2026-11-08",
        daysLate: 7,
        waitingOn: "owners",
        people: [{ name: "Bea Owner", email: "bea@example.com" }],
      },
      {
        systemKey: "a2",
        systemName: "a2",
        team: "Alpha",
        tier: "TIER_1",
        health: "AT_RISK",
        milestone: "second",
        milestoneName: "Second",
        status: "IN_PROGRESS",
        dueOn: "2026-11-19",
        daysLate: -4,
        waitingOn: "owners",
        people: [{ name: "Olu Owner", email: "olu@example.com" }],
      },
    ]);
    // Rae already signed a1/m2's round; only Sol's sign-off waits.
    expect(report.reviewerLoad).toEqual([
      {
        email: "sol@example.com",
        name: "Sol Reviewer",
        seniority: "SENIOR",
        waiting: 1,
        oldestSubmittedAt: "2026-11-12T10:00:00.000Z",
        oldestWaitDays: 3,
      },
    ]);
  });

  it("freezes each finished week as it stood at its end, once, and compares today with the last", async () => {
    const { computeProgress } = await import("@/lib/data/progress");
    const { weekOverWeekChange } = await import("@/lib/data/progress-snapshots");
    const report = (await computeProgress(NOW))!;
    // The API's read-only path computes the last week without storing anything.
    const readOnly = await weekOverWeekChange(report, NOW, { freeze: false });
    expect(readOnly.since).toEqual({ week: 2, weekEndsOn: "2026-11-15" });
    expect((await client.query("SELECT count(*)::int AS n FROM weekly_snapshot")).rows[0].n).toBe(0);
    const change = await weekOverWeekChange(report, NOW);
    const { rows } = await client.query(
      "SELECT week, week_ends_on::text AS ends, figures FROM weekly_snapshot ORDER BY week",
    );
    expect(rows).toEqual([
      // At Nov 8 00:00: b2m1 approved; a1m1, a2m1, b1m1 (changes requested) in progress; the rest not started; nothing due before Nov 8.
      {
        week: 1,
        ends: "2026-11-08",
        figures: {
          approved: 1,
          waived: 0,
          submitted: 0,
          inProgress: 3,
          notStarted: 4,
          overdueCheckpoints: 0,
          systemsDone: 0,
          systemsOverdue: 0,
          reviewsWaiting: 0,
        },
      },
      // At Nov 15 00:00: as today.
      {
        week: 2,
        ends: "2026-11-15",
        figures: {
          approved: 3,
          waived: 1,
          submitted: 1,
          inProgress: 2,
          notStarted: 1,
          overdueCheckpoints: 1,
          systemsDone: 1,
          systemsOverdue: 1,
          reviewsWaiting: 1,
        },
      },
    ]);
    expect(change.since).toEqual({ week: 2, weekEndsOn: "2026-11-15" });
    expect(change.changes.every((c) => c.delta === 0 && c.words === "no change")).toBe(true);

    // Later the same day a2m2 is submitted: today moves, the frozen weeks do not.
    await client.query(
      "UPDATE checkpoint SET status = 'SUBMITTED', submitted_at = '2026-11-15T13:00:00Z', round = 1 WHERE id = $1",
      [id.a2m2],
    );
    await moved("a2m2", "SUBMITTED", "2026-11-15T13:00:00Z");
    const later = new Date("2026-11-15T14:00:00Z");
    const after = await weekOverWeekChange((await computeProgress(later))!, later);
    const byFigure = Object.fromEntries(after.changes.map((c) => [c.figure, c]));
    expect(byFigure.submitted).toMatchObject({
      from: 1,
      to: 2,
      delta: 1,
      words: "+1 more awaiting review",
      better: false,
    });
    expect(byFigure.inProgress).toMatchObject({ delta: -1, words: "−1 fewer in progress", better: false });
    expect(byFigure.approved).toMatchObject({ delta: 0, words: "no change", better: null });
    const again = await client.query(
      "SELECT count(*)::int AS n, max(figures->>'submitted') AS submitted FROM weekly_snapshot WHERE week = 2",
    );
    expect(again.rows[0]).toEqual({ n: 1, submitted: "1" });
    await expect(client.query("UPDATE weekly_snapshot SET figures = '{}'")).rejects.toThrow(/append-only/);
  });

  it("stops counting a waiver as waived once it has expired (rule 8)", async () => {
    const { computeProgress } = await import("@/lib/data/progress");
    // a2m1 was waived while in progress; the waiver expired on Nov 14, the day before NOW.
    await client.query(
      "INSERT INTO waiver (checkpoint_id, reason, granted_by_id, expires_on, prior_status) VALUES ($1, 'Vendor migration', $2, '2026-11-14', 'IN_PROGRESS')",
      [id.a2m1, id.r1],
    );
    const report = (await computeProgress(new Date("2026-11-15T15:00:00Z")))!;
    expect(report.totals.waived).toBe(0);
    expect(report.byMilestone[0]).toMatchObject({ key: "first", waived: 0, overdue: 2 }); // a2m1 is open again, and late
    const { rows } = await client.query("SELECT status FROM checkpoint WHERE id = $1", [id.a2m1]);
    expect(rows[0].status).toBe("IN_PROGRESS");
  });
});

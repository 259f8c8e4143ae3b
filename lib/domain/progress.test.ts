import { describe, expect, it } from "vitest";
import { bucketOf, burnUpSeries, forecastFinish, weekOverWeek, type SnapshotFigures } from "@/lib/domain/progress";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe("bucketOf", () => {
  it("puts done work in its own bucket even when late, and late open work in overdue", () => {
    expect(bucketOf("APPROVED", true)).toBe("approved");
    expect(bucketOf("WAIVED", true)).toBe("waived");
    expect(bucketOf("SUBMITTED", true)).toBe("overdue");
    expect(bucketOf("SUBMITTED", false)).toBe("submitted");
    expect(bucketOf("CHANGES_REQUESTED", false)).toBe("inProgress");
    expect(bucketOf("NOT_STARTED", false)).toBe("notStarted");
  });
});

describe("forecastFinish", () => {
  const base = { startsOn: d("2026-01-01"), endsOn: d("2026-03-02"), today: d("2026-02-01") };

  it("is late when the recent pace cannot close the gap before the end", () => {
    // 14 completions in the last 14 days: 1 a day; 40 remain → 40 days → Mar 13, 11 days late.
    const completions = new Map([
      ["2026-01-25", 7],
      ["2026-02-01", 7],
      ["2026-01-10", 100],
    ]);
    const f = forecastFinish({ ...base, total: 154, done: 114, completionsByDay: completions });
    expect(f.pacePerDay).toBe(1);
    expect(f.finishOn).toEqual(d("2026-03-13"));
    expect(f.daysLate).toBe(11);
  });

  it("gives no date, and says why, when nothing was completed recently", () => {
    const f = forecastFinish({ ...base, total: 10, done: 2, completionsByDay: new Map([["2026-01-02", 2]]) });
    expect(f.finishOn).toBeNull();
    expect(f.reason).toMatch(/No checkpoint was completed in the last 14 days/);
  });

  it("uses the program's age as the window before two weeks have passed", () => {
    // Day 3: 6 completions over 3 days = 2 a day; 10 remain → 5 days.
    const f = forecastFinish({
      ...base,
      today: d("2026-01-03"),
      total: 16,
      done: 6,
      completionsByDay: new Map([["2026-01-02", 6]]),
    });
    expect(f.windowDays).toBe(3);
    expect(f.finishOn).toEqual(d("2026-01-08"));
  });

  it("reports the last completion when everything is done", () => {
    const f = forecastFinish({
      ...base,
      total: 3,
      done: 3,
      completionsByDay: new Map([
        ["2026-01-20", 1],
        ["2026-01-28", 2],
      ]),
    });
    expect(f).toMatchObject({ remaining: 0, finishOn: d("2026-01-28"), daysLate: -33 });
  });
});

describe("burnUpSeries", () => {
  it("counts work due or done before the start on day 1 and leaves the future without actuals", () => {
    const points = burnUpSeries({
      startsOn: d("2026-01-01"),
      endsOn: d("2026-01-04"),
      today: d("2026-01-02"),
      dueByDay: new Map([
        ["2025-12-31", 1],
        ["2026-01-03", 2],
      ]),
      approvedByDay: new Map([
        ["2025-12-30", 1],
        ["2026-01-02", 1],
      ]),
      waivedByDay: new Map([["2026-01-02", 1]]),
    });
    expect(points).toEqual([
      { date: "2026-01-01", day: 1, planned: 1, approved: 1, done: 1 },
      { date: "2026-01-02", day: 2, planned: 1, approved: 2, done: 3 },
      { date: "2026-01-03", day: 3, planned: 3, approved: null, done: null },
      { date: "2026-01-04", day: 4, planned: 3, approved: null, done: null },
    ]);
  });
});

describe("weekOverWeek", () => {
  it("words each change and says whether it is good news", () => {
    const before: SnapshotFigures = {
      approved: 100,
      waived: 2,
      submitted: 10,
      inProgress: 5,
      notStarted: 50,
      overdueCheckpoints: 3,
      systemsDone: 1,
      systemsOverdue: 2,
      reviewsWaiting: 10,
    };
    const after = { ...before, approved: 141, systemsOverdue: 8, notStarted: 50 };
    const byFigure = Object.fromEntries(weekOverWeek(before, after).map((c) => [c.figure, c]));
    expect(byFigure.approved).toMatchObject({ delta: 41, words: "+41 more approved", better: true });
    expect(byFigure.systemsOverdue).toMatchObject({ delta: 6, words: "+6 more systems overdue", better: false });
    expect(byFigure.notStarted).toMatchObject({ delta: 0, words: "no change", better: null });
  });
});

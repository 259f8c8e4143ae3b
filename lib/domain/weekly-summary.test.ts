import { describe, expect, it } from "vitest";
import { isoWeek, weeklySummaryDue } from "./weekly-summary";

describe("ISO weeks", () => {
  it("names the week by its Thursday's year, at year ends too", () => {
    expect(isoWeek(new Date("2026-12-07"))).toBe("2026-W50");
    expect(isoWeek(new Date("2026-12-13"))).toBe("2026-W50");
    expect(isoWeek(new Date("2026-12-31"))).toBe("2026-W53");
    expect(isoWeek(new Date("2027-01-03"))).toBe("2026-W53");
    expect(isoWeek(new Date("2027-01-04"))).toBe("2027-W01");
    expect(isoWeek(new Date("2025-12-29"))).toBe("2026-W01");
  });
});

describe("whether the weekly summary is due (Monday 08:00 on the program's clock)", () => {
  const due = (now: string, zone: string, last: string | null = null) => weeklySummaryDue(new Date(now), zone, last);

  it("is due from Monday 08:00 in the program's zone, not before", () => {
    expect(due("2026-12-07T07:59:00Z", "UTC").due).toBe(false);
    expect(due("2026-12-07T08:00:00Z", "UTC")).toMatchObject({ due: true, week: "2026-W50" });
    // Berlin is UTC+1 in December: 08:00 there is 07:00 UTC.
    expect(due("2026-12-07T06:59:00Z", "Europe/Berlin").due).toBe(false);
    expect(due("2026-12-07T07:05:00Z", "Europe/Berlin")).toMatchObject({
      due: true,
      week: "2026-W50",
      dueAt: new Date("2026-12-07T07:00:00Z"),
    });
    // Monday 08:00 in Tokyo is Sunday 23:00 UTC, in the UTC week before.
    expect(due("2026-12-06T23:05:00Z", "Asia/Tokyo")).toMatchObject({ due: true, week: "2026-W50" });
    expect(due("2026-12-06T23:05:00Z", "UTC")).toMatchObject({ due: true, week: "2026-W49" });
  });

  it("keeps 08:00 on the wall clock across DST weeks", () => {
    // Berlin moves to summer time on Sunday 2026-03-29: Monday 08:00 is 06:00 UTC, the week before 07:00.
    expect(due("2026-03-23T06:30:00Z", "Europe/Berlin").due).toBe(false);
    expect(due("2026-03-23T07:00:00Z", "Europe/Berlin")).toMatchObject({ due: true, week: "2026-W13" });
    expect(due("2026-03-30T05:59:00Z", "Europe/Berlin", "2026-W13").due).toBe(false);
    expect(due("2026-03-30T06:00:00Z", "Europe/Berlin", "2026-W13")).toMatchObject({ due: true, week: "2026-W14" });
    // New York leaves summer time on Sunday 2026-11-01: Monday 08:00 is 13:00 UTC (12:00 a week earlier).
    expect(due("2026-10-26T12:00:00Z", "America/New_York")).toMatchObject({ due: true, week: "2026-W44" });
    expect(due("2026-11-02T12:30:00Z", "America/New_York", "2026-W44").due).toBe(false);
    expect(due("2026-11-02T13:00:00Z", "America/New_York", "2026-W44")).toMatchObject({ due: true, week: "2026-W45" });
  });

  it("is sent once per week: after this week's summary it is not due again until next Monday", () => {
    expect(due("2026-12-07T08:05:00Z", "UTC", "2026-W50").due).toBe(false);
    expect(due("2026-12-11T17:00:00Z", "UTC", "2026-W50").due).toBe(false);
    expect(due("2026-12-13T23:59:00Z", "UTC", "2026-W50").due).toBe(false);
    expect(due("2026-12-14T08:00:00Z", "UTC", "2026-W50")).toMatchObject({ due: true, week: "2026-W51" });
    // A lead moving the zone west after Monday's summary does not make the same week due twice.
    expect(due("2026-12-07T08:30:00Z", "America/Los_Angeles", "2026-W50").due).toBe(false);
  });

  it("a server down at 08:00 on Monday sends once when it is back, in the same week only", () => {
    expect(due("2026-12-09T15:00:00Z", "UTC", "2026-W49")).toMatchObject({ due: true, week: "2026-W50" });
    expect(due("2026-12-13T23:00:00Z", "UTC", "2026-W49")).toMatchObject({ due: true, week: "2026-W50" });
    // Down the whole week: Monday 07:00 of the next is not yet due, and the missed week is not sent late.
    expect(due("2026-12-14T07:00:00Z", "UTC", "2026-W49")).toMatchObject({ due: false, week: "2026-W51" });
  });
});

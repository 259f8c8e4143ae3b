import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  addDays,
  checkpointHealth,
  daysBetween,
  dueOnFor,
  isoDay,
  joinedOnFor,
  LATE_JOIN_MIN_DAYS,
  programDay,
  programEndsOn,
  progressOf,
  systemHealth,
  utcDay,
} from "./schedule";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const today = d("2026-11-27");

describe("program calendar", () => {
  const program = { startsOn: d("2026-10-18"), durationDays: 90 };
  it("counts the start date as day 1", () => {
    expect(programDay(program, d("2026-10-18"))).toBe(1);
    expect(programDay(program, today)).toBe(41);
  });
  it("is day 0 before the start", () => {
    expect(programDay(program, d("2026-10-01"))).toBe(0);
  });
  it("ends 90 days after the start", () => {
    expect(programEndsOn(program).toISOString().slice(0, 10)).toBe("2027-01-16");
  });
  it("ignores the time of day", () => {
    expect(daysBetween(new Date("2026-11-27T23:59:00Z"), new Date("2026-11-28T00:01:00Z"))).toBe(1);
  });
});

describe("checkpoint health", () => {
  it("is DONE for approved and waived, whatever the date", () => {
    expect(checkpointHealth({ status: "APPROVED", dueOn: d("2026-11-01") }, today)).toBe("DONE");
    expect(checkpointHealth({ status: "WAIVED", dueOn: d("2026-11-01") }, today)).toBe("DONE");
  });
  it("is OVERDUE past the due date, even when submitted", () => {
    expect(checkpointHealth({ status: "SUBMITTED", dueOn: d("2026-11-26") }, today)).toBe("OVERDUE");
  });
  it("is not overdue on the due date itself", () => {
    expect(checkpointHealth({ status: "IN_PROGRESS", dueOn: today }, today)).toBe("AT_RISK");
  });
  it("is AT_RISK within 7 days when not yet submitted", () => {
    expect(checkpointHealth({ status: "NOT_STARTED", dueOn: d("2026-12-04") }, today)).toBe("AT_RISK");
    expect(checkpointHealth({ status: "CHANGES_REQUESTED", dueOn: d("2026-11-30") }, today)).toBe("AT_RISK");
    expect(checkpointHealth({ status: "SUBMITTED", dueOn: d("2026-11-30") }, today)).toBe("ON_TRACK");
  });
  it("is ON_TRACK beyond 7 days", () => {
    expect(checkpointHealth({ status: "NOT_STARTED", dueOn: d("2026-12-05") }, today)).toBe("ON_TRACK");
  });
});

describe("system health and progress", () => {
  const checkpoints = [
    { status: "APPROVED" as const, dueOn: d("2026-11-01") },
    { status: "WAIVED" as const, dueOn: d("2026-11-08") },
    { status: "IN_PROGRESS" as const, dueOn: d("2026-11-20") },
    { status: "NOT_STARTED" as const, dueOn: d("2026-12-02") },
  ];
  it("takes the worst checkpoint", () => {
    expect(systemHealth(checkpoints, today)).toBe("OVERDUE");
    expect(systemHealth(checkpoints.slice(3), today)).toBe("AT_RISK");
    expect(systemHealth(checkpoints.slice(0, 2), today)).toBe("DONE");
  });
  it("counts waived apart from approved", () => {
    expect(progressOf(checkpoints)).toEqual({ approved: 1, waived: 1, total: 4 });
  });
});

describe("late joiners", () => {
  const program = { startsOn: d("2026-10-18"), durationDays: 90 };
  const dueDays = [7, 14, 30, 30, 45, 60, 75, 90];

  it("keeps start + due day for systems that joined on or before the start", () => {
    expect(isoDay(dueOnFor(program, 7, null))).toBe("2026-10-25");
    expect(isoDay(dueOnFor(program, 7, d("2026-10-18")))).toBe("2026-10-25");
    expect(joinedOnFor(program, d("2026-10-18"))).toBeNull();
    expect(joinedOnFor(program, d("2026-09-01"))).toBeNull();
  });

  it("scales the offsets into the days left after joining on day 41", () => {
    const joined = joinedOnFor(program, today)!;
    expect(isoDay(joined)).toBe("2026-11-27");
    // 50 days left: 7 → 4 days, 90 → the program end.
    expect(dueDays.map((day) => daysBetween(joined, dueOnFor(program, day, joined)))).toEqual([
      4, 8, 17, 17, 25, 33, 42, 50,
    ]);
    expect(isoDay(dueOnFor(program, 90, joined))).toBe(isoDay(programEndsOn(program)));
  });

  it("gives at least a few days, and never a date past the end or before the join day", () => {
    const nearEnd = addDays(program.startsOn, 88);
    expect(dueDays.map((day) => daysBetween(nearEnd, dueOnFor(program, day, nearEnd)))).toEqual(dueDays.map(() => 2));
    const afterEnd = addDays(program.startsOn, 120);
    expect(isoDay(dueOnFor(program, 7, afterEnd))).toBe(isoDay(afterEnd));
  });

  it("on any join day: never overdue that day, in milestone order, within the program when it joined within it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 130 }), fc.integer({ min: 30, max: 120 }), (offset, durationDays) => {
        const p = { startsOn: program.startsOn, durationDays };
        const joined = addDays(p.startsOn, offset);
        const due = dueDays.map((day) => dueOnFor(p, Math.min(day, durationDays), joined));
        for (const [i, date] of due.entries()) {
          expect(checkpointHealth({ status: "NOT_STARTED", dueOn: date }, joined)).not.toBe("OVERDUE");
          if (offset < durationDays) expect(date.getTime()).toBeLessThanOrEqual(programEndsOn(p).getTime());
          if (offset + LATE_JOIN_MIN_DAYS <= durationDays)
            expect(daysBetween(joined, date)).toBeGreaterThanOrEqual(LATE_JOIN_MIN_DAYS);
          if (i > 0) expect(date.getTime()).toBeGreaterThanOrEqual(due[i - 1]!.getTime());
        }
      }),
    );
  });
});

describe("utcDay before the year 100", () => {
  it("keeps the year instead of reading it as 19xx", () => {
    expect(isoDay(utcDay(new Date("0001-01-01T13:00:00Z")))).toBe("0001-01-01");
    expect(isoDay(utcDay(new Date("0099-12-31T23:59:59Z")))).toBe("0099-12-31");
  });
});

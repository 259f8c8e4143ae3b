import { describe, expect, it } from "vitest";
import { formatDay, formatDue } from "./format";

const today = new Date("2026-11-27T15:00:00Z");

describe("formatDue", () => {
  it("reads as people say it", () => {
    expect(formatDue("2026-12-02", today, false)).toBe("Dec 2 (in 5 days)");
    expect(formatDue("2026-11-28", today, false)).toBe("Nov 28 (in 1 day)");
    expect(formatDue("2026-11-27", today, false)).toBe("Nov 27 (today)");
    expect(formatDue("2026-11-24", today, false)).toBe("3 days overdue");
    expect(formatDue("2026-11-26", today, false)).toBe("1 day overdue");
  });
  it("shows only the date once done", () => {
    expect(formatDue("2026-11-24", today, true)).toBe("Nov 24");
  });
});

describe("formatDay", () => {
  it("reads a calendar day with its year, in UTC, and refuses nonsense quietly", () => {
    expect(formatDay("2026-12-17")).toBe("Dec 17, 2026");
    expect(formatDay("2027-01-01")).toBe("Jan 1, 2027");
    expect(formatDay("")).toBe("—");
  });
});

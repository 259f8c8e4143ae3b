import { describe, expect, it } from "vitest";
import { canonicalTimeZone, localDay, localTime, timeZoneChoices, zonedInstant } from "./time-zone";

describe("time zones", () => {
  it("accepts IANA zones in their canonical spelling and refuses anything else", () => {
    expect(canonicalTimeZone("UTC")).toBe("UTC");
    expect(canonicalTimeZone("europe/berlin")).toBe("Europe/Berlin");
    expect(canonicalTimeZone("America/New_York")).toBe("America/New_York");
    for (const bad of ["Mars/Olympus", "+01:00", "", " UTC", "Europe/Berlin\u0000", "a".repeat(100)])
      expect(canonicalTimeZone(bad), bad).toBeNull();
  });

  it("offers UTC first and every zone the runtime knows", () => {
    const zones = timeZoneChoices();
    expect(zones[0]).toBe("UTC");
    expect(zones).toContain("Europe/Berlin");
    expect(new Set(zones).size).toBe(zones.length);
  });

  it("reads an instant's local date, hour and ISO weekday", () => {
    const instant = new Date("2026-12-06T23:30:00Z"); // Sunday in UTC, Monday in Berlin
    expect(localTime(instant, "UTC")).toMatchObject({ day: 6, hour: 23, weekday: 7 });
    expect(localTime(instant, "Europe/Berlin")).toMatchObject({ day: 7, hour: 0, minute: 30, weekday: 1 });
    expect(localDay(instant, "Europe/Berlin")).toEqual(new Date("2026-12-07"));
    expect(localDay(instant, "America/Los_Angeles")).toEqual(new Date("2026-12-06"));
  });

  it("finds the instant of a wall-clock hour on both sides of a DST change", () => {
    expect(zonedInstant(new Date("2026-03-27"), 8, "Europe/Berlin")).toEqual(new Date("2026-03-27T07:00:00Z"));
    expect(zonedInstant(new Date("2026-03-30"), 8, "Europe/Berlin")).toEqual(new Date("2026-03-30T06:00:00Z"));
    // 02:00 does not exist on 2026-03-29 in Berlin: the clock shows 03:00 then.
    expect(zonedInstant(new Date("2026-03-29"), 2, "Europe/Berlin")).toEqual(new Date("2026-03-29T01:00:00Z"));
    expect(zonedInstant(new Date("2026-11-02"), 8, "America/New_York")).toEqual(new Date("2026-11-02T13:00:00Z"));
    expect(zonedInstant(new Date("2026-12-07"), 8, "Asia/Kolkata")).toEqual(new Date("2026-12-07T02:30:00Z"));
  });
});

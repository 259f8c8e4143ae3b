import { describe, expect, it } from "vitest";
import { forecastSentence, honestForecast, type ForecastInput } from "./forecast";

const d = (iso: string) => new Date(`${iso}T00:00:00Z`);
const START = d("2026-10-18");
const dateAt = (offset: number) => new Date(START.getTime() + offset * 86_400_000).toISOString().slice(0, 10);

/** A burn-up that adds `perDay(i)` on day i, for `days` days. */
function series(days: number, perDay: (i: number) => number) {
  let done = 0;
  return Array.from({ length: days }, (_, i) => {
    done += perDay(i);
    return { date: dateAt(i), done };
  });
}

const base = (over: Partial<ForecastInput>): ForecastInput => ({
  doneByDay: series(41, () => 10),
  total: 2680,
  today: d(dateAt(40)),
  endsOn: d("2027-01-16"),
  lastMilestone: { name: "Senior engineering sign-off", done: 10, total: 335 },
  ...over,
});

describe("the honest forecast", () => {
  it("gives a range from the 7- and 28-day paces and the margin at the slower one", () => {
    // 10 a day for 27 days, then 30 a day for the last 14: done 690; the 7-day pace is 30, the
    // 28-day one (690 − 130) / 28 = 20. With 1,200 left: 40 days (Jan 6) or 60 (Jan 26).
    const f = honestForecast(base({ doneByDay: series(41, (i) => (i < 27 ? 10 : 30)), total: 1890 }));
    expect(f.pace).toEqual({ short: 30, long: 20 });
    expect(f.remaining).toBe(1200);
    expect(f.finish).toEqual({ from: "2027-01-06", to: "2027-01-26" });
    expect(f.marginDays).toBe(-10);
    expect(f.level).toBe("amber");
    expect(f.reasons).toEqual(["At the slower pace it finishes 10 days late."]);
    expect(forecastSentence(f)).toBe(
      "At the current pace the program finishes Jan 6–Jan 26, 10 days after the end; senior engineering sign-off is 2 % done.",
    );
  });

  it("is red when even the faster pace finishes late, or nothing was done lately", () => {
    expect(honestForecast(base({ doneByDay: series(41, () => 1) })).level).toBe("red");
    const stalled = honestForecast(base({ doneByDay: series(41, (i) => (i < 5 ? 10 : 0)) }));
    expect(stalled.finish.from).toBeNull();
    expect(stalled.level).toBe("red");
    expect(forecastSentence(stalled)).toMatch(/does not finish/);
  });

  it("is amber with under 7 days of margin, green with more", () => {
    // 40 a day: 1,640 done, 1,040 left, 26 days → Dec 23, 24 days before Jan 16.
    const green = honestForecast(base({ doneByDay: series(41, () => 40) }));
    expect(green.marginDays).toBe(24);
    expect(green.level).toBe("green");
    expect(green.reasons).toEqual([]);
    // 30 a day: 1,230 done. 1,250 left → 42 days (Jan 8), 8 days of margin: green.
    expect(honestForecast(base({ doneByDay: series(41, () => 30), total: 2480 }))).toMatchObject({
      marginDays: 8,
      level: "green",
    });
    // 1,370 left → 46 days (Jan 12), 4 days of margin: amber.
    expect(honestForecast(base({ doneByDay: series(41, () => 30), total: 2600 }))).toMatchObject({
      marginDays: 4,
      level: "amber",
    });
  });

  it("says so when the pace needed exceeds the best week so far", () => {
    // 200 a day in the last week only: 1,400 done; 10,600 left over 50 days needs 212 a day.
    const f = honestForecast(base({ doneByDay: series(41, (i) => (i >= 34 ? 200 : 0)), total: 12_000 }));
    expect(f.bestWeekPace).toBe(200);
    expect(f.neededPace).toBe(212);
    expect(f.reasons.join(" ")).toMatch(/needs 212 a day, more than the best week so far \(200 a day\)/);
    expect(f.level).toBe("red");
  });

  it("says it in one plain sentence, with the last milestone", () => {
    const f = honestForecast(base({ doneByDay: series(41, () => 40) }));
    expect(forecastSentence(f)).toBe(
      "At the current pace the program finishes Dec 23, 24 days before the end; senior engineering sign-off is 2 % done.",
    );
    expect(f.lastMilestone).toMatchObject({ percent: 2, neededPace: 6.5 });
    expect(forecastSentence(honestForecast(base({ total: 410 })))).toBe(
      "Every checkpoint is done; senior engineering sign-off is 2 % done.",
    );
  });
});

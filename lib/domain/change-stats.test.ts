import { describe, expect, it } from "vitest";
import { changeWeeks, median, type ChangeStatFacts } from "./change-stats";

const start = new Date("2026-10-19T00:00:00Z");
const at = (day: number, hour = 0) => new Date(start.getTime() + (day - 1) * 86_400_000 + hour * 3_600_000);
const fact = (over: Partial<ChangeStatFacts>): ChangeStatFacts => ({
  createdAt: at(1),
  aiAssisted: false,
  firstCheckAllowed: null,
  firstAllowedAt: null,
  rolledBack: false,
  ...over,
});

describe("the change gate's weekly figures", () => {
  it("counts changes, AI share, blocked at first ask, median time to sign-off and rollbacks per program week", () => {
    const weeks = changeWeeks(
      [
        fact({ createdAt: at(2), aiAssisted: true, firstCheckAllowed: false, firstAllowedAt: at(2, 4) }),
        fact({ createdAt: at(3), firstCheckAllowed: true, firstAllowedAt: at(3, 10) }),
        fact({ createdAt: at(3), aiAssisted: true, firstCheckAllowed: false, rolledBack: true }),
        fact({ createdAt: at(9), aiAssisted: true }),
      ],
      start,
      at(10),
    );
    expect(weeks).toHaveLength(2);
    expect(weeks[0]).toMatchObject({
      week: 1,
      changes: 3,
      aiAssisted: 2,
      asked: 3,
      blockedAtFirstAsk: 2,
      medianHoursToSignOff: 7,
      rolledBack: 1,
    });
    expect(weeks[0]!.aiShare).toBeCloseTo(2 / 3);
    expect(weeks[1]).toMatchObject({
      week: 2,
      changes: 1,
      aiShare: 1,
      asked: 0,
      medianHoursToSignOff: null,
      rolledBack: 0,
    });
  });

  it("puts changes from before the program's start in its first week", () => {
    expect(changeWeeks([fact({ createdAt: at(-3) })], start, at(1))[0]!.changes).toBe(1);
  });

  it("takes the middle value, or the mean of the two middle ones", () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

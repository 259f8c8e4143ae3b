import { describe, expect, it } from "vitest";
import {
  channelsFor,
  digestDueAt,
  immediateSendAt,
  type ChannelChoice,
  type EmailSettings,
} from "./notification-preferences";
import type { NotificationEvent } from "@/lib/generated/prisma/enums";

const off: ChannelChoice = { inApp: false, email: false };
const appOnly: ChannelChoice = { inApp: true, email: false };
const map = (entries: [NotificationEvent, ChannelChoice][]) => new Map(entries);

describe("channels", () => {
  it("takes the person's own choice over the lead's default, and every channel when neither is set", () => {
    expect(channelsFor("AT_RISK", map([["AT_RISK", off]]), map([["AT_RISK", appOnly]]))).toEqual(off);
    expect(channelsFor("AT_RISK", map([]), map([["AT_RISK", appOnly]]))).toEqual(appOnly);
    expect(channelsFor("OVERDUE", map([["AT_RISK", off]]), map([]))).toEqual({ inApp: true, email: true });
  });
});

describe("when e-mail leaves", () => {
  const quiet: EmailSettings = { mode: "IMMEDIATE", digestHour: 9, quietWeekends: true };
  const loud: EmailSettings = { ...quiet, quietWeekends: false };

  it("sends at once on weekdays, and holds weekend mail for Monday at the chosen hour when weekends are quiet", () => {
    const wednesday = new Date("2026-12-02T15:00:00Z");
    const saturday = new Date("2026-12-05T15:00:00Z");
    const sunday = new Date("2026-12-06T23:00:00Z");
    expect(immediateSendAt(wednesday, quiet)).toEqual(wednesday);
    expect(immediateSendAt(saturday, quiet)).toEqual(new Date("2026-12-07T09:00:00Z"));
    expect(immediateSendAt(sunday, quiet)).toEqual(new Date("2026-12-07T09:00:00Z"));
    expect(immediateSendAt(saturday, loud)).toEqual(saturday);
  });

  it("sends a day's digest the next day at the chosen hour, Friday's on Monday when weekends are quiet", () => {
    expect(digestDueAt(new Date("2026-12-02"), loud)).toEqual(new Date("2026-12-03T09:00:00Z"));
    expect(digestDueAt(new Date("2026-12-04"), loud)).toEqual(new Date("2026-12-05T09:00:00Z"));
    expect(digestDueAt(new Date("2026-12-04"), quiet)).toEqual(new Date("2026-12-07T09:00:00Z"));
  });
});

describe("when e-mail leaves, on the program's wall clock", () => {
  const quiet: EmailSettings = { mode: "DAILY_DIGEST", digestHour: 9, quietWeekends: true };
  const loud: EmailSettings = { ...quiet, quietWeekends: false };

  it("sends a day's digest at the chosen hour of the program's zone, across a DST change", () => {
    // New York: EST (UTC−5) until 2026-03-08, EDT (UTC−4) from then.
    expect(digestDueAt(new Date("2026-03-06"), loud, "America/New_York")).toEqual(new Date("2026-03-07T14:00:00Z"));
    expect(digestDueAt(new Date("2026-03-08"), loud, "America/New_York")).toEqual(new Date("2026-03-09T13:00:00Z"));
    expect(digestDueAt(new Date("2026-12-02"), loud, "Asia/Tokyo")).toEqual(new Date("2026-12-03T00:00:00Z"));
  });

  it("reads the weekend in the program's zone: Friday evening in UTC is already Saturday in Tokyo", () => {
    const fridayUtc = new Date("2026-12-04T20:00:00Z"); // Saturday 05:00 in Tokyo
    expect(immediateSendAt(fridayUtc, quiet)).toEqual(fridayUtc);
    expect(immediateSendAt(fridayUtc, quiet, "Asia/Tokyo")).toEqual(new Date("2026-12-07T00:00:00Z"));
  });
});

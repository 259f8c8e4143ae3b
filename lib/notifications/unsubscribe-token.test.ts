import { describe, expect, it, vi } from "vitest";

// The key is derived from the session secret, which lib/env.ts reads once.
vi.hoisted(() => {
  process.env.NEXTAUTH_SECRET = "a-unit-test-session-secret-of-32-characters";
});

const { readUnsubscribeToken, unsubscribeToken, unsubscribeUrl } = await import("./unsubscribe-token");
const { unsubscribeHeaders } = await import("./channels");

const ALICE = "11111111-1111-4111-8111-111111111111";
const BOB = "22222222-2222-4222-8222-222222222222";

describe("one-click unsubscribe tokens", () => {
  it("name the person and the events they were signed for", () => {
    const token = unsubscribeToken(ALICE, ["OVERDUE", "AT_RISK", "OVERDUE"])!;
    expect(readUnsubscribeToken(token)).toEqual({ ok: true, userId: ALICE, events: ["AT_RISK", "OVERDUE"] });
    expect(unsubscribeUrl("https://rb.example/", ALICE, ["AT_RISK"])).toBe(
      `https://rb.example/api/v1/notifications/unsubscribe?token=${encodeURIComponent(unsubscribeToken(ALICE, ["AT_RISK"])!)}`,
    );
  });

  it("cannot be edited to name another person or more events, nor made up", () => {
    const [version, , events, signature] = unsubscribeToken(ALICE, ["AT_RISK"])!.split(".");
    for (const forged of [
      `${version}.${BOB}.${events}.${signature}`,
      `${version}.${ALICE}.AT_RISK,OVERDUE.${signature}`,
      `${version}.${ALICE}.${events}.${signature!.slice(0, -1)}${signature!.endsWith("A") ? "B" : "A"}`,
      `v2.${ALICE}.${events}.${signature}`,
      `${version}.${ALICE}.NOT_AN_EVENT.${signature}`,
      "",
      "v1...",
    ])
      expect(readUnsubscribeToken(forged), forged).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("the unsubscribe headers", () => {
  it("put the one-click URL first and announce the POST (RFC 8058), or only the settings page without one", () => {
    expect(
      unsubscribeHeaders({
        unsubscribe: "https://rb.example/settings#notifications",
        oneClick: "https://rb.example/u?token=t",
      }),
    ).toEqual({
      "List-Unsubscribe": "<https://rb.example/u?token=t>, <https://rb.example/settings#notifications>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
    expect(unsubscribeHeaders({ unsubscribe: "https://rb.example/settings#notifications" })).toEqual({
      "List-Unsubscribe": "<https://rb.example/settings#notifications>",
    });
  });
});

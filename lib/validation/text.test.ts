import { describe, expect, it } from "vitest";
import { multiLineText, singleLineText } from "./text";
import { wholeNumber, wholeNumberParam } from "./number";
import { isoDaySchema } from "./date";

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((i) => i.message) ?? [];

describe("safe text", () => {
  const title = singleLineText("A title").trim().min(1, "A title is required").max(10, "too long");
  const note = multiLineText("A note").max(100);

  it("accepts ordinary text, keeping what the chain does", () => {
    expect(title.parse("  Runbook ")).toBe("Runbook");
    expect(note.parse("line one\r\nline two\tend")).toBe("line one\r\nline two\tend");
  });

  it("refuses NUL, a lone surrogate and control characters, naming the field, once", () => {
    for (const bad of ["a\u0000b", "a\ud800b", "\udc00", "a\u0007", "a\u001b[31m", "a\u007f"]) {
      const result = title.safeParse(bad);
      expect(result.success).toBe(false);
      expect(messages(result)).toHaveLength(1);
      expect(messages(result)[0]).toMatch(/^A title /);
    }
    expect(messages(title.safeParse("a\nb"))[0]).toMatch(/line breaks/);
    expect(messages(title.safeParse("a\tb"))[0]).toMatch(/tabs/);
    expect(messages(note.safeParse("a\u0000b"))[0]).toBe("A note cannot contain a NUL character");
    expect(messages(note.safeParse("a\ud83db"))[0]).toMatch(/lone UTF-16 surrogate/);
    expect(note.safeParse("emoji \ud83d\ude00 ok").success).toBe(true);
  });
});

describe("whole numbers", () => {
  const version = wholeNumber("version", { min: 1 });
  it("refuses floats, negatives, Infinity (1e309) and values past 2^31 - 1", () => {
    for (const bad of [1.5, -1, 0, JSON.parse("1e309") as number, 2 ** 31, Number.NaN, "1"])
      expect(version.safeParse(bad).success).toBe(false);
    expect(version.parse(2 ** 31 - 1)).toBe(2 ** 31 - 1);
  });
  it("reads only plain digits from a query string", () => {
    const page = wholeNumberParam("page", { min: 1, max: 1000 });
    for (const bad of ["1.5", "-1", "1e3", "0x10", " ", "1e309", "99999999999", "\u0000"])
      expect(page.safeParse(bad).success).toBe(false);
    expect(page.parse(" 12 ")).toBe(12);
  });
});

describe("calendar days", () => {
  it("refuses days outside the window, including two-digit years", () => {
    const day = isoDaySchema("must be a date");
    expect(day.safeParse("0001-01-01").success).toBe(false);
    expect(day.safeParse("0099-12-31").success).toBe(false);
    expect(day.safeParse("2999-01-01").success).toBe(false);
    expect(day.parse("2026-12-01")).toBe("2026-12-01");
  });
});

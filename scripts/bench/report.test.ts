import { describe, expect, it } from "vitest";
import { table } from "./report";

describe("table", () => {
  it("pads the first column left and the numbers right, as a Markdown table", () => {
    expect(table(["route", "p50"], [["/systems", "12.5"], ["/a", "3"]])).toBe(
      ["| route    |  p50 |", "|----------|-----:|", "| /systems | 12.5 |", "| /a       |    3 |"].join("\n"),
    );
  });
});

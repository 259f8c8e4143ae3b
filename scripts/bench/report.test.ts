import { describe, expect, it } from "vitest";
import { computeGrowth, table, type RouteResult, type SizeResult } from "./report";

describe("table", () => {
  it("pads the first column left and the numbers right, as a Markdown table", () => {
    expect(
      table(
        ["route", "p50"],
        [
          ["/systems", "12.5"],
          ["/a", "3"],
        ],
      ),
    ).toBe(["| route    |  p50 |", "|----------|-----:|", "| /systems | 12.5 |", "| /a       |    3 |"].join("\n"));
  });
});

describe("computeGrowth", () => {
  const route = (name: string, p50: number | undefined, pageOverFramework: number | null): RouteResult => ({
    name,
    path: name,
    kind: "page",
    auth: "session",
    status: p50 === undefined ? "missing (404)" : "ok",
    load:
      p50 === undefined
        ? undefined
        : { count: 10, p50, p95: p50, p99: p50, mean: p50, perSecond: 1, seconds: 6, failures: 0 },
    pageOverFramework,
  });
  const size = (systems: number, routes: RouteResult[]): SizeResult => ({
    systems,
    seedSeconds: 1,
    routes,
    lighthouse: {},
  });

  it("sets p50(largest)/p50(smallest) and the growth of the page's cost over the framework floor", () => {
    const small = size(335, [route("/systems", 100, 5), route("/dashboard", undefined, null)]);
    const large = size(10_000, [route("/systems", 300, 10), route("/dashboard", undefined, null)]);
    computeGrowth([large, small]);
    expect(large.routes[0]).toMatchObject({ growthP50: 3, growthOverFramework: 2 });
    expect(large.routes[1]).toMatchObject({ growthP50: null, growthOverFramework: null });
    expect(small.routes[0]!.growthP50).toBeUndefined();
  });

  it("does nothing for a single fleet size", () => {
    const only = size(335, [route("/systems", 100, 5)]);
    computeGrowth([only]);
    expect(only.routes[0]!.growthP50).toBeUndefined();
  });
});

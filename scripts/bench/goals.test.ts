import { describe, expect, it } from "vitest";
import { evaluateGoals } from "./goals";
import type { RouteResult, SizeResult } from "./report";

const route = (name: string, p50: number, extra: Partial<RouteResult> = {}): RouteResult => ({
  name,
  path: name,
  kind: name.startsWith("GET") ? "api" : "page",
  auth: "session",
  status: "ok",
  load: { count: 30, p50, p95: p50, p99: p50, mean: p50, perSecond: 1, seconds: 6, failures: 0 },
  ...extra,
});

const size = (systems: number, routes: RouteResult[], rest: Partial<SizeResult> = {}): SizeResult => ({
  systems,
  seedSeconds: 1,
  routes,
  lighthouse: {},
  ...rest,
});

describe("evaluateGoals", () => {
  it("judges each goal at the largest fleet size, beside its figure", () => {
    const large = size(
      10_000,
      [
        route("/dashboard", 50, {
          pageOverFramework: 9.5,
          statements: 7,
          growthP50: 1.2,
          firstLoadJs: { files: 1, rawBytes: 1, gzipBytes: 120 * 1024 },
        }),
        route("/systems", 60, { pageOverFramework: 12, statements: 5, growthP50: 1.4 }),
        route("/systems/[key]", 40, { pageOverFramework: 4, statements: 9 }),
        route("GET /api/v1/progress", 30, { growthP50: 1.1 }),
        route("GET /api/v1/systems", 30, { growthP50: 2 }),
      ],
      {
        emptyPageJs: { files: 1, rawBytes: 1, gzipBytes: 100 * 1024 },
        write: {
          approvals: { ok: 100, failed: 0, statuses: {}, count: 100, p50: 1, p95: 1, p99: 1, mean: 1, perSecond: 320 },
          approvalStatements: 12,
          plainInserts: { count: 100, p50: 1, p95: 1, p99: 1, mean: 1, perSecond: 3000 },
          insertsOverApprovals: 9,
        },
        lighthouse: { "/dashboard": { performance: 97 } as never, "/systems": { error: "no Chromium" } },
      },
    );
    const goals = Object.fromEntries(
      evaluateGoals({ sizes: [size(335, []), large] }).map((g) => [g.goal.replace(/ at 10,000$/, ""), g]),
    );
    expect(goals["/dashboard p50 ÷ framework floor"]).toMatchObject({ figure: "9.5×", met: true });
    expect(goals["/systems p50 ÷ framework floor"]).toMatchObject({ figure: "12×", met: false });
    expect(goals["growth p50: /dashboard, /systems, GET /api/v1/progress, GET /api/v1/systems"]).toMatchObject({
      figure: "1.2×, 1.4×, 1.1×, 2×",
      met: false,
    });
    expect(goals["SQL statements per page: /dashboard, /systems, /systems/[key]"]).toMatchObject({
      figure: "7, 5, 9",
      met: false,
    });
    expect(goals["approvals through the API per second"]).toMatchObject({ met: true });
    expect(goals["SQL statements per approval"]).toMatchObject({ figure: "12", met: true });
    // One page not measured: the goal is not judged rather than passed.
    expect(goals["Lighthouse performance: /dashboard, /systems"]).toMatchObject({ figure: "97, –", met: null });
    expect(goals["first-load JS of the empty page (/signin), gzip"]).toMatchObject({ figure: "100 KiB", met: true });
    expect(goals["heaviest page's first-load JS over the empty page's"]).toMatchObject({
      figure: "20 KiB",
      met: false,
    });
  });

  it("leaves growth unjudged with one fleet size", () => {
    const goals = evaluateGoals({ sizes: [size(335, [route("/dashboard", 50, { growthP50: 1 })])] });
    expect(goals.find((g) => g.goal.startsWith("growth"))!.met).toBeNull();
  });
});

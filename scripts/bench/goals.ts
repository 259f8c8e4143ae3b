// The performance goals the bench holds the app to, each beside its measured figure with ✓/✗
// (or "–" when the run did not measure it: one fleet size, no Chromium, a route missing).
// Ratios and counts, never absolute times: they are what holds still on a shared machine.
import type { BenchResult, SizeResult } from "./report";

export interface Goal {
  goal: string;
  target: string;
  figure: string;
  /** null: not measured by this run. */
  met: boolean | null;
}

const fmt = (value: number | null | undefined, suffix = "") =>
  value == null ? "–" : `${Math.round(value * 100) / 100}${suffix}`;

function check(
  goal: string,
  target: string,
  values: (number | null | undefined)[],
  ok: (v: number) => boolean,
  suffix = "",
): Goal {
  const measured = values.every((v) => v != null);
  return {
    goal,
    target,
    figure: values.map((v) => fmt(v, suffix)).join(", "),
    met: measured ? values.every((v) => ok(v!)) : null,
  };
}

/** The goals, judged at the largest fleet size of the run (growth needs two sizes). */
export function evaluateGoals(result: Pick<BenchResult, "sizes">): Goal[] {
  if (result.sizes.length === 0) return [];
  const largest: SizeResult = [...result.sizes].sort((a, b) => b.systems - a.systems)[0]!;
  const route = (name: string) => largest.routes.find((r) => r.name === name && r.status === "ok");
  const at = largest.systems.toLocaleString("en");
  const twoSizes = result.sizes.length > 1;
  const write = largest.write && !("error" in largest.write) ? largest.write : null;
  const lighthouse = (path: string) => {
    const r = largest.lighthouse[path];
    return r && !("error" in r) ? r.performance : null;
  };
  const empty = largest.emptyPageJs?.gzipBytes;
  const pages = largest.routes.filter((r) => r.kind === "page" && r.firstLoadJs);
  const heaviestOverEmpty =
    empty != null && pages.length ? Math.max(...pages.map((r) => r.firstLoadJs!.gzipBytes - empty)) / 1024 : null;
  return [
    check(
      `/dashboard p50 ÷ framework floor at ${at}`,
      "≤ 10×",
      [route("/dashboard")?.pageOverFramework],
      (v) => v <= 10,
      "×",
    ),
    check(
      `/systems p50 ÷ framework floor at ${at}`,
      "≤ 10×",
      [route("/systems")?.pageOverFramework],
      (v) => v <= 10,
      "×",
    ),
    check(
      `/systems/[key] p50 ÷ framework floor at ${at}`,
      "≤ 10×",
      [route("/systems/[key]")?.pageOverFramework],
      (v) => v <= 10,
      "×",
    ),
    check(
      "growth p50: /dashboard, /systems, GET /api/v1/progress, GET /api/v1/systems",
      "≤ 1.5× each",
      ["/dashboard", "/systems", "GET /api/v1/progress", "GET /api/v1/systems"].map((n) =>
        twoSizes ? route(n)?.growthP50 : null,
      ),
      (v) => v <= 1.5,
      "×",
    ),
    check(
      "SQL statements per page: /dashboard, /systems, /systems/[key]",
      "≤ 8 each",
      ["/dashboard", "/systems", "/systems/[key]"].map((n) => route(n)?.statements),
      (v) => v <= 8,
    ),
    check(
      "approvals through the API per second",
      "≥ 300/s",
      [write?.approvals.ok ? write.approvals.perSecond : null],
      (v) => v >= 300,
      "/s",
    ),
    check("SQL statements per approval", "≤ 12", [write?.approvalStatements], (v) => v <= 12),
    check(
      "Lighthouse performance: /dashboard, /systems",
      "≥ 95 both",
      [lighthouse("/dashboard"), lighthouse("/systems")],
      (v) => v >= 95,
    ),
    check(
      "first-load JS of the empty page (/signin), gzip",
      "≤ 110 KiB",
      [empty == null ? null : empty / 1024],
      (v) => v <= 110,
      " KiB",
    ),
    check(
      "heaviest page's first-load JS over the empty page's",
      "≤ +15 KiB",
      [heaviestOverEmpty],
      (v) => v <= 15,
      " KiB",
    ),
  ];
}

export function goalRows(goals: Goal[]): string[][] {
  return goals.map((g) => [g.goal, g.target, g.figure, g.met === null ? "–" : g.met ? "✓" : "✗"]);
}

// The shape of a bench result (also the JSON in bench/results/) and its printed tables.
import type { JsWeight } from "./first-load-js";
import { goalRows, type Goal } from "./goals";
import type { LighthouseResult } from "./lighthouse";
import type { LoadResult } from "./load";
import { ratio, round, type LatencySummary } from "./stats";
import type { WriteResult } from "./write-path";

export interface RouteResult {
  name: string;
  path: string;
  /** "floor" is the framework floor: GET /api/v1/me, authentication and nothing else. */
  kind: "page" | "api" | "floor";
  auth: "session" | "token";
  /** "ok", "missing (404)" or "error (<status>)"; only "ok" routes are measured. */
  status: string;
  load?: LoadResult;
  /** SQL statements one request executed, counted from Postgres' statement log. */
  statements?: number;
  /** Those statements' text (truncated, without parameters). */
  sql?: string[];
  dataFloor?: LatencySummary | { error: string };
  firstLoadJs?: JsWeight;
  pageOverFramework?: number | null;
  pageOverData?: number | null;
  /** p50 at the largest fleet size / p50 at the smallest (set on the largest size only). */
  growthP50?: number | null;
  /**
   * The same growth of ÷framework: the page's cost over the framework floor measured in the same
   * minute, so that a machine busier during one size's run than the other's cancels out.
   */
  growthOverFramework?: number | null;
}

export interface SizeResult {
  systems: number;
  seedSeconds: number;
  routes: RouteResult[];
  emptyPageJs?: JsWeight;
  write?:
    | {
        approvals: WriteResult;
        approvalStatements?: number;
        approvalSql?: string[];
        plainInserts: LatencySummary;
        insertsOverApprovals: number | null;
      }
    | { error: string };
  lighthouse: Record<string, LighthouseResult | { error: string }>;
}

export interface BenchResult {
  date: string;
  machine: {
    nproc: number;
    cpu: string;
    memoryGiB: number;
    node: string;
    platform: string;
    loadAverageAtStart: number[];
  };
  options: Record<string, number>;
  sizes: SizeResult[];
  /** Each performance goal beside its figure (scripts/bench/goals.ts). */
  goals?: Goal[];
  totalSeconds: number;
}

/** Sets growthP50 and growthOverFramework on the largest size's routes, from the smallest's. */
export function computeGrowth(sizes: SizeResult[]): void {
  if (sizes.length < 2) return;
  const bySize = [...sizes].sort((a, b) => a.systems - b.systems);
  const small = bySize[0]!;
  const large = bySize[bySize.length - 1]!;
  for (const r of large.routes) {
    const before = small.routes.find((s) => s.name === r.name);
    r.growthP50 = ratio(r.load?.p50, before?.load?.p50);
    r.growthOverFramework = ratio(r.pageOverFramework, before?.pageOverFramework);
  }
}

const num = (value: number | null | undefined, suffix = "") => {
  const r = round(value);
  return r == null ? "–" : `${r}${suffix}`;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)}`;
const signed = (bytes: number) => `${bytes < 0 ? "−" : "+"}${kb(Math.abs(bytes))}`;

/** Left-aligned first column, right-aligned numbers (Markdown-compatible pipes). */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  const rule = `|${widths.map((w, i) => (i === 0 ? `${"-".repeat(w + 1)}-` : `${"-".repeat(w + 1)}:`)).join("|")}|`;
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

function routeRows(size: SizeResult): string[][] {
  return size.routes.map((r) => {
    if (r.status !== "ok") return [r.name, r.status, "", "", "", "", "", "", "", "", "", "", "", ""];
    const data = r.dataFloor && "p50" in r.dataFloor ? r.dataFloor : undefined;
    return [
      r.name,
      num(r.load?.p50),
      num(r.load?.p95),
      num(r.load?.p99),
      num(r.load?.perSecond),
      String(r.load?.count ?? 0),
      r.load?.failures ? String(r.load.failures) : "0",
      r.statements == null ? "–" : String(r.statements),
      data ? num(data.p50) : r.dataFloor ? "error" : "–",
      num(r.pageOverFramework, "×"),
      num(r.pageOverData, "×"),
      num(r.growthP50, "×"),
      num(r.growthOverFramework, "×"),
      r.firstLoadJs && size.emptyPageJs
        ? `${kb(r.firstLoadJs.gzipBytes)} (${signed(r.firstLoadJs.gzipBytes - size.emptyPageJs.gzipBytes)})`
        : "",
    ];
  });
}

export function formatReport(result: BenchResult): string {
  const m = result.machine;
  const out: string[] = [
    `Resetboard bench ${result.date} — ${m.nproc} CPUs (${m.cpu}), ${m.memoryGiB} GiB, Node ${m.node}, load at start ${m.loadAverageAtStart.join(" ")}`,
    `${result.options.connections} connections, ${result.options.seconds}–${result.options.maxSeconds} s per route after ${result.options.warmupSeconds} s warm-up; data floor ${result.options.dataSeconds} s; latencies in ms`,
  ];
  for (const size of result.sizes) {
    out.push("", `## ${size.systems.toLocaleString("en")} systems (seeded in ${size.seedSeconds} s)`, "");
    out.push(
      table(
        [
          "route",
          "p50",
          "p95",
          "p99",
          "req/s",
          "n",
          "fail",
          "SQL/req",
          "data p50",
          "÷framework",
          "÷data",
          "growth p50",
          "growth ÷fw",
          "JS gzip KiB (+empty)",
        ],
        routeRows(size),
      ),
    );
    if (size.emptyPageJs)
      out.push(
        "",
        `Empty page (/signin) first-load JS: ${size.emptyPageJs.files} files, ${kb(size.emptyPageJs.rawBytes)} KiB raw, ${kb(size.emptyPageJs.gzipBytes)} KiB gzip.`,
      );
    const w = size.write;
    if (w && "error" in w) out.push(`Write path: not measured (${w.error})`);
    else if (w) {
      out.push(
        "",
        table(
          ["write path", "rows", "ok", "per s", "p50", "p95", "p99", "SQL/req"],
          [
            [
              "approvals via API",
              String(w.approvals.ok + w.approvals.failed),
              String(w.approvals.ok),
              num(w.approvals.perSecond),
              num(w.approvals.p50),
              num(w.approvals.p95),
              num(w.approvals.p99),
              w.approvalStatements == null ? "–" : String(w.approvalStatements),
            ],
            [
              "plain INSERTs via pg",
              String(w.plainInserts.count),
              String(w.plainInserts.count),
              num(w.plainInserts.perSecond),
              num(w.plainInserts.p50),
              num(w.plainInserts.p95),
              num(w.plainInserts.p99),
              "1",
            ],
          ],
        ),
        "",
        `Plain inserts are ${num(w.insertsOverApprovals, "×")} the approvals' throughput.${w.approvals.failed ? ` Approval failures by status: ${JSON.stringify(w.approvals.statuses)}` : ""}`,
      );
    }
    const lh = Object.entries(size.lighthouse);
    if (lh.length) {
      out.push(
        "",
        table(
          ["Lighthouse", "performance", "accessibility", "best practices", "LCP ms", "TBT ms", "CLS"],
          lh.map(([page, r]) =>
            "error" in r
              ? [page, `error: ${r.error}`, "", "", "", "", ""]
              : [
                  page,
                  num(r.performance),
                  num(r.accessibility),
                  num(r.bestPractices),
                  num(r.lcpMs, ""),
                  num(r.tbtMs),
                  r.cls == null ? "–" : r.cls.toFixed(3),
                ],
          ),
        ),
      );
    }
  }
  if (result.goals?.length)
    out.push("", "## Goals", "", table(["goal", "target", "figure", "met"], goalRows(result.goals)));
  out.push("", `Total ${result.totalSeconds} s.`);
  return out.join("\n");
}

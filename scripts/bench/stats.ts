// The benchmark's arithmetic, kept pure so it is unit-tested: percentiles of measured latencies,
// throughput, and the ratios BENCHMARKS.md reports (page / floor, growth between fleet sizes).

export interface LatencySummary {
  /** How many samples (requests, or replays of a request's SQL). */
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  /** Samples per second over the measured window. */
  perSecond: number;
}

/**
 * The q-th percentile (0 < q ≤ 100) by the nearest-rank method: the smallest sample with at
 * least q % of the samples at or below it. No interpolation, so the figure is a real latency.
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  if (!(q > 0 && q <= 100)) throw new RangeError(`percentile must be in (0, 100], not ${q}`);
  const rank = Math.ceil((q / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: readonly number[], windowMs: number): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const total = sorted.reduce((sum, x) => sum + x, 0);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    mean: sorted.length ? total / sorted.length : Number.NaN,
    perSecond: windowMs > 0 ? (sorted.length * 1000) / windowMs : Number.NaN,
  };
}

/** a / b, or null when either side is missing or the divisor is not a positive number. */
export function ratio(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return null;
  return a / b;
}

/** Rounded for the table and the JSON: milliseconds to 2 decimals below 10, 1 above. */
export function round(value: number | null | undefined, digits?: number): number | null {
  if (value == null || !Number.isFinite(value)) return null;
  const d = digits ?? (Math.abs(value) < 10 ? 2 : 1);
  const f = 10 ** d;
  return Math.round(value * f) / f;
}

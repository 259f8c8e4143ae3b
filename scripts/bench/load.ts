// The load generator: autocannon at a fixed number of connections for a fixed time, after a
// short warm-up. Latencies come from autocannon's per-response event so that p95 (which its own
// histogram summary omits) is computed here, by the tested nearest-rank maths.
import autocannon from "autocannon";
import { summarize, type LatencySummary } from "./stats";

export interface LoadResult extends LatencySummary {
  /** The measured window's length (see loadSeconds). */
  seconds: number;
  /** Responses that were not 2xx, plus socket errors and timeouts: a healthy run has none. */
  failures: number;
}

let current: { stop(): void } | undefined;

/** Stops a running load test (Ctrl-C). */
export function stopLoad() {
  current?.stop();
}

async function run(
  url: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
  onResponse?: (status: number, ms: number) => void,
) {
  const instance = autocannon({ url, headers, connections, duration: seconds, timeout: 30 });
  current = instance;
  if (onResponse)
    instance.on("response", (_client: unknown, status: number, _bytes: number, ms: number) => onResponse(status, ms));
  try {
    return await instance;
  } finally {
    current = undefined;
  }
}

/**
 * A fixed window; but autocannon drops the responses still in flight when it ends, so a route
 * that takes a second or more would leave a handful of samples. The window is stretched (up to
 * `maxSeconds`) to give about `minSamples`, judged from one unloaded request's latency.
 */
export function loadSeconds(
  options: { seconds: number; maxSeconds: number; minSamples: number },
  singleRequestMs: number,
): number {
  const needed = Math.ceil((options.minSamples * singleRequestMs) / 1000);
  return Math.max(options.seconds, Math.min(options.maxSeconds, needed));
}

export async function measureLoad(
  url: string,
  headers: Record<string, string>,
  options: { connections: number; seconds: number; warmupSeconds: number },
): Promise<LoadResult> {
  if (options.warmupSeconds > 0) await run(url, headers, options.connections, options.warmupSeconds);
  const samples: number[] = [];
  const started = performance.now();
  const result = await run(url, headers, options.connections, options.seconds, (status, ms) => {
    if (status >= 200 && status < 300) samples.push(ms);
  });
  const windowMs = performance.now() - started;
  return {
    ...summarize(samples, windowMs),
    seconds: options.seconds,
    failures: result.non2xx + result.errors + result.timeouts,
  };
}

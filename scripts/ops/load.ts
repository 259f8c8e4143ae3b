// A bounded loopback load of mixed reads and writes through the public API, recording every
// outcome: the operations test runs it across a database restart, and counts what was written.

export interface LoadTarget {
  baseUrls: string[];
  cookie: string;
  /** Checkpoints writes go to, as [systemKey, milestoneKey]. */
  checkpoints: [string, string][];
  /** Prefix of every evidence title written, so the rows can be found afterwards. */
  titlePrefix: string;
}

export interface LoadResult {
  byStatus: Record<string, number>;
  /** Titles of the evidence writes answered 201: each must be in the database. */
  acknowledged: string[];
  /** Titles of writes whose outcome the client never learned (connection lost, timeout). */
  unknown: string[];
  /** The slowest answer, in ms: fail-fast means no request hangs for long. */
  slowestMs: number;
  requests: number;
}

export async function runLoad(
  target: LoadTarget,
  options: { connections: number; durationMs: number; timeoutMs?: number },
): Promise<LoadResult> {
  const result: LoadResult = { byStatus: {}, acknowledged: [], unknown: [], slowestMs: 0, requests: 0 };
  const stopAt = Date.now() + options.durationMs;
  let counter = 0;
  const count = (key: string) => (result.byStatus[key] = (result.byStatus[key] ?? 0) + 1);
  async function worker(index: number) {
    while (Date.now() < stopAt) {
      const n = counter++;
      const base = target.baseUrls[n % target.baseUrls.length]!;
      const [systemKey, milestone] = target.checkpoints[index % target.checkpoints.length]!;
      const write = n % 3 === 0;
      const title = `${target.titlePrefix}-${n}`;
      const started = Date.now();
      try {
        const response = write
          ? await fetch(`${base}/api/v1/systems/${systemKey}/checkpoints/${milestone}/evidence`, {
              method: "POST",
              headers: { cookie: target.cookie, "content-type": "application/json", origin: base },
              body: JSON.stringify({ url: `https://evidence.example/${title}`, title, kind: "DOC" }),
              signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
            })
          : await fetch(`${base}/api/v1/systems/${systemKey}`, {
              headers: { cookie: target.cookie },
              signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
            });
        const text = await response.text();
        count(String(response.status));
        // A 503 with an "outcome" says the change may have been (or was) saved: the database
        // went away while committing it or while the answer was being built.
        const outcome = response.status === 503 && /"outcome":"(unknown|saved)"/.exec(text)?.[1];
        if (write && (response.status === 201 || outcome === "saved")) result.acknowledged.push(title);
        if (write && ((response.status >= 500 && response.status !== 503) || outcome === "unknown"))
          result.unknown.push(title);
      } catch {
        count("network-error");
        if (write) result.unknown.push(title);
        // The instance itself is up; a refused connection would mean it fell over.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      result.requests += 1;
      result.slowestMs = Math.max(result.slowestMs, Date.now() - started);
    }
  }
  await Promise.all(Array.from({ length: options.connections }, (_, i) => worker(i)));
  return result;
}

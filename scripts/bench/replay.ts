// The data floor: a request's own SQL (as the log recorded it, with its parameters) replayed
// straight through `pg`, statement after statement, by as many connections as the load test
// used, for a fixed time. What the page costs beyond this is framework, rendering and I/O.
import type pg from "pg";
import { connect } from "./pg-client";
import type { Statement } from "./pg-log";
import { summarize, type LatencySummary } from "./stats";

export async function replayLoop(
  connectionString: string,
  statements: readonly Statement[],
  options: { connections: number; seconds: number; applicationName: string },
): Promise<LatencySummary> {
  const clients = await Promise.all(
    Array.from({ length: options.connections }, () => connect(connectionString, options.applicationName)),
  );
  const samples: number[] = [];
  try {
    const once = async (client: pg.Client) => {
      for (const { sql, params } of statements) await client.query(sql, params);
    };
    // One untimed pass per connection, so each has planned and cached what it needs.
    await Promise.all(clients.map(once));
    const started = performance.now();
    const deadline = started + options.seconds * 1000;
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          const t = performance.now();
          await once(client);
          samples.push(performance.now() - t);
        }
      }),
    );
    return summarize(samples, performance.now() - started);
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => undefined)));
  }
}

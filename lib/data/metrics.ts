// The figures GET /api/metrics reads from the database when scraped.
import "server-only";
import { db, poolUsage } from "@/lib/db";
import { DeliveryChannel, DeliveryStatus } from "@/lib/generated/prisma/enums";
import { clusterMetricsText } from "@/lib/observability/cluster-metrics";
import { metrics } from "@/lib/observability/metrics";

/** Each group of gauges on its own: one that cannot be read (an outage) is cleared, the rest answer. */
async function refresh(read: () => Promise<void>, clear: () => void): Promise<void> {
  try {
    await read();
  } catch {
    // A scrape during an outage still answers: the request counters matter most then.
    clear();
  }
}

/**
 * Refreshes the database-backed gauges, then renders them after the request counters (this
 * process's, or every worker's summed) as Prometheus text; null when a cluster's primary did not
 * hand over the workers' counters in time.
 */
export async function renderMetrics(): Promise<{ contentType: string; body: string } | null> {
  const m = metrics();
  const client = db();
  await Promise.all([
    refresh(
      async () => {
        const head = await client.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
        m.auditChainLength.set(Number(head?.seq ?? 0n));
      },
      () => m.auditChainLength.reset(),
    ),
    refresh(
      async () => {
        const rows = await client.$queryRaw<{ channel: DeliveryChannel; status: DeliveryStatus; n: number }[]>`
          SELECT channel, status, count(*)::int AS n FROM notification_delivery GROUP BY channel, status`;
        const [oldest] = await client.$queryRaw<[{ seconds: number | null }]>`
          SELECT extract(epoch FROM now() - min(created_at))::float8 AS seconds
          FROM notification_delivery WHERE status = 'PENDING'`;
        const failed = await client.$queryRaw<{ channel: DeliveryChannel; n: number }[]>`
          SELECT d.channel, count(*)::int AS n FROM delivery_attempt a
          JOIN notification_delivery d ON d.id = a.delivery_id WHERE NOT a.ok GROUP BY d.channel`;
        // Every channel and status is present, zero included, so an alert can compare it.
        for (const channel of Object.values(DeliveryChannel)) {
          for (const status of Object.values(DeliveryStatus)) {
            const n = rows.find((r) => r.channel === channel && r.status === status)?.n ?? 0;
            m.deliveries.set({ channel, status }, n);
          }
          m.failedDeliveryAttempts.set({ channel }, failed.find((r) => r.channel === channel)?.n ?? 0);
        }
        m.oldestPendingDelivery.set(oldest?.seconds ?? 0);
      },
      () => {
        m.deliveries.reset();
        m.failedDeliveryAttempts.reset();
        m.oldestPendingDelivery.reset();
      },
    ),
    refresh(
      async () => {
        // pg-boss creates its schema when the first instance starts its workers; until then, none.
        const [exists] = await client.$queryRaw<[{ ok: boolean }]>`
          SELECT to_regclass('pgboss.job') IS NOT NULL AS ok`;
        const rows = exists?.ok
          ? await client.$queryRaw<{ queue: string; state: string; n: number }[]>`
              SELECT q.name AS queue, s.state::text AS state, count(j.id)::int AS n
              FROM pgboss.queue q
              CROSS JOIN unnest(enum_range(NULL::pgboss.job_state)) AS s(state)
              LEFT JOIN pgboss.job j ON j.name = q.name AND j.state = s.state
              GROUP BY q.name, s.state`
          : [];
        // Queue names come from the app's code (createQueue), so the label stays bounded.
        m.jobs.reset();
        for (const row of rows) m.jobs.set({ queue: row.queue, state: row.state }, row.n);
      },
      () => m.jobs.reset(),
    ),
  ]);
  const pool = poolUsage();
  if (pool) {
    m.poolConnections.set({ state: "total" }, pool.total);
    m.poolConnections.set({ state: "idle" }, pool.idle);
    m.poolConnections.set({ state: "waiting" }, pool.waiting);
    m.poolConnections.set({ state: "max" }, pool.max);
  }
  const perProcess = await clusterMetricsText(m.registry);
  if (perProcess === null) return null;
  return { contentType: m.registry.contentType, body: `${perProcess}\n${await m.databaseRegistry.metrics()}` };
}

// The figures GET /api/metrics reads from the database when scraped.
import "server-only";
import { db, poolUsage } from "@/lib/db";
import { metrics } from "@/lib/observability/metrics";

/** Refreshes the database-backed gauges, then renders the registry as Prometheus text. */
export async function renderMetrics(): Promise<{ contentType: string; body: string }> {
  const m = metrics();
  try {
    const head = await db().auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true } });
    m.auditChainLength.set(Number(head?.seq ?? 0n));
  } catch {
    // A scrape during an outage still answers: the request counters matter most then.
    m.auditChainLength.reset();
  }
  const pool = poolUsage();
  if (pool) {
    m.poolConnections.set({ state: "total" }, pool.total);
    m.poolConnections.set({ state: "idle" }, pool.idle);
    m.poolConnections.set({ state: "waiting" }, pool.waiting);
    m.poolConnections.set({ state: "max" }, pool.max);
  }
  return { contentType: m.registry.contentType, body: await m.registry.metrics() };
}

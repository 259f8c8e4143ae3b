// Prometheus metrics for GET /api/metrics. HTTP requests are counted by the production server
// (scripts/serve.ts), which sees every response; gauges that need the database (audit chain
// length, job queues, the notification outbox) are read when scraped. One set per process, on
// globalThis, because the server and Next's compiled route bundles load this module separately.
// Two registries: `registry` holds what each process counts for itself (summed across the
// workers of a cluster when scraped), `databaseRegistry` what the scraped process reads from the
// database for everyone (never summed: every worker would add the same rows).
import { Counter, Gauge, Histogram, Registry } from "prom-client";

function createMetrics() {
  const registry = new Registry();
  const databaseRegistry = new Registry();
  for (const r of [registry, databaseRegistry]) r.setDefaultLabels({ service: "resetboard" });
  return {
    registry,
    databaseRegistry,
    httpRequests: new Counter({
      name: "resetboard_http_requests_total",
      help: "HTTP requests answered, by route pattern, method and status.",
      labelNames: ["route", "method", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "resetboard_http_request_duration_seconds",
      help: "Time from request to the end of the response, by route pattern, method and status.",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: "resetboard_http_requests_in_flight",
      help: "Requests being handled right now.",
      registers: [registry],
    }),
    shed: new Counter({
      name: "resetboard_http_requests_shed_total",
      help: "Requests answered 503 by admission control without being handled, by reason (queue_full, waited_too_long).",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    queued: new Gauge({
      name: "resetboard_http_requests_queued",
      help: "Requests waiting for a handling slot (admission control) right now.",
      registers: [registry],
    }),
    auditChainLength: new Gauge({
      name: "resetboard_audit_chain_length",
      help: "Sequence number of the audit chain's head (events in the chain).",
      registers: [databaseRegistry],
    }),
    jobs: new Gauge({
      name: "resetboard_jobs",
      help: "Background jobs in the pg-boss queues, by queue and state (created, retry, active, completed, cancelled, failed).",
      labelNames: ["queue", "state"] as const,
      registers: [databaseRegistry],
    }),
    deliveries: new Gauge({
      name: "resetboard_notification_deliveries",
      help: "Notification outbox entries, by channel and status (PENDING, SENT, FAILED).",
      labelNames: ["channel", "status"] as const,
      registers: [databaseRegistry],
    }),
    oldestPendingDelivery: new Gauge({
      name: "resetboard_notification_oldest_pending_seconds",
      help: "Age of the oldest PENDING outbox entry (0 when none): a stuck outbox grows this.",
      registers: [databaseRegistry],
    }),
    failedDeliveryAttempts: new Gauge({
      name: "resetboard_notification_failed_attempts",
      help: "Delivery attempts that failed (each retry counts), by channel.",
      labelNames: ["channel"] as const,
      registers: [databaseRegistry],
    }),
    poolConnections: new Gauge({
      name: "resetboard_db_pool_connections",
      help: "Database pool connections by state (total, idle, waiting requests, max).",
      labelNames: ["state"] as const,
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

const holder = globalThis as unknown as { resetboardMetrics?: Metrics };

export function metrics(): Metrics {
  return (holder.resetboardMetrics ??= createMetrics());
}

/** Records one answered request; `route` must be a pattern (bounded), never a raw path. */
export function recordRequest(route: string, method: string, status: number, seconds: number): void {
  const m = metrics();
  const labels = { route, method, status: String(status) };
  m.httpRequests.inc(labels);
  m.httpDuration.observe(labels, seconds);
}

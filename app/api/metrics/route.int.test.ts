// GET /api/metrics: Prometheus text for the loopback of this host or a metrics token, 403 for
// anyone else. The loopback fact comes from the production server's request context (the TCP
// peer it saw); scripts/ops.test.ts checks it over real sockets from a non-loopback address.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { requestContextStorage } from "@/lib/observability/request-context";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let database: AppTestDatabase;
const TOKEN = "metrics-token-for-the-test-0123456789";

beforeAll(async () => {
  database = await createAppTestDatabase();
  process.env.METRICS_TOKEN = TOKEN;
  vi.resetModules();
});

afterAll(async () => {
  delete process.env.METRICS_TOKEN;
  await database.close();
});

const request = (headers: Record<string, string> = {}) => new Request("http://app.test/api/metrics", { headers });

describe("GET /api/metrics", () => {
  it("answers Prometheus text to a direct loopback connection, with the audit chain length", async () => {
    const { GET } = await import("./route");
    const { recordRequest } = await import("@/lib/observability/metrics");
    recordRequest("/api/v1/systems", "GET", 200, 0.042);
    const response = await requestContextStorage.run({ requestId: "test-req-0001", directLoopback: true }, () =>
      GET(request()),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    const { rows } = await database.client.query<{ max: string }>("SELECT max(seq)::text AS max FROM audit_event");
    expect(text).toContain(`resetboard_audit_chain_length{service="resetboard"} ${rows[0]!.max}`);
    expect(text).toMatch(
      /resetboard_http_requests_total\{route="\/api\/v1\/systems",method="GET",status="200",service="resetboard"\} \d+/,
    );
    // 42 ms falls in the 50 ms bucket and not in the 25 ms one.
    const bucket = (le: string) =>
      new RegExp(
        `resetboard_http_request_duration_seconds_bucket\\{le="${le}"[^}]*route="/api/v1/systems",method="GET",status="200"\\} (\\d+)`,
      ).exec(text)?.[1];
    expect(Number(bucket("0.05"))).toBeGreaterThanOrEqual(1);
    expect(Number(bucket("0.025"))).toBe(Number(bucket("0.05")) - 1);
    expect(text).toMatch(/resetboard_db_pool_connections\{state="max",service="resetboard"\} \d+/);
  });

  it("reports the job queues by state and the notification outbox by channel and status, failures included", async () => {
    const { GET } = await import("./route");
    // A real pg-boss on the test database: its schema, a queue and two waiting jobs.
    const PgBoss = (await import("pg-boss")).default;
    const boss = new PgBoss({ connectionString: database.url, max: 1, supervise: false, schedule: false });
    await boss.start();
    try {
      await boss.createQueue("metrics-test");
      await boss.send("metrics-test", { n: 1 });
      await boss.send("metrics-test", { n: 2 });
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
    const { rows } = await database.client.query<{ id: string }>(
      `INSERT INTO notification_delivery (recipient_id, channel, dedup_key, payload, status, attempts, created_at, updated_at)
       SELECT id, 'EMAIL', 'metrics-test-' || n, '{}', status::delivery_status, 1, now() - interval '90 seconds', now()
       FROM (SELECT id FROM app_user LIMIT 1) u, (VALUES (1, 'FAILED'), (2, 'PENDING')) v(n, status) RETURNING id`,
    );
    await database.client.query(
      `INSERT INTO delivery_attempt (delivery_id, number, ok, error) SELECT id, 1, false, 'HTTP 500' FROM unnest($1::uuid[]) id`,
      [rows.map((r) => r.id)],
    );
    const counts = await database.client.query<{ status: string; n: number }>(
      `SELECT status::text, count(*)::int AS n FROM notification_delivery WHERE channel = 'EMAIL' GROUP BY status`,
    );
    const response = await requestContextStorage.run({ requestId: "test-req-0003", directLoopback: true }, () =>
      GET(request()),
    );
    const text = await response.text();
    const value = (pattern: string) => Number(new RegExp(`^${pattern} (\\S+)$`, "m").exec(text)?.[1]);
    expect(value(`resetboard_jobs\\{queue="metrics-test",state="created",service="resetboard"\\}`)).toBe(2);
    expect(value(`resetboard_jobs\\{queue="metrics-test",state="failed",service="resetboard"\\}`)).toBe(0);
    for (const status of ["PENDING", "SENT", "FAILED"]) {
      const n = counts.rows.find((r) => r.status === status)?.n ?? 0;
      expect(
        value(`resetboard_notification_deliveries\\{channel="EMAIL",status="${status}",service="resetboard"\\}`),
      ).toBe(n);
    }
    expect(
      value(`resetboard_notification_failed_attempts\\{channel="EMAIL",service="resetboard"\\}`),
    ).toBeGreaterThanOrEqual(2);
    expect(value(`resetboard_notification_oldest_pending_seconds\\{service="resetboard"\\}`)).toBeGreaterThanOrEqual(
      90,
    );
  });

  it("refuses 403 problem+json to a request that did not come straight from loopback, or through a proxy", async () => {
    const { GET } = await import("./route");
    const outside = await requestContextStorage.run({ requestId: "test-req-0002", directLoopback: false }, () =>
      GET(request()),
    );
    expect(outside.status).toBe(403);
    expect(outside.headers.get("content-type")).toBe("application/problem+json");
    // Under plain `next start` there is no server context: no one is trusted by address.
    expect((await GET(request({ "x-forwarded-for": "127.0.0.1" }))).status).toBe(403);
    expect((await GET(request({ authorization: "Bearer wrong-token-wrong-token-00" }))).status).toBe(403);
  });

  it("answers anyone with the metrics token", async () => {
    const { GET } = await import("./route");
    const response = await GET(request({ authorization: `Bearer ${TOKEN}` }));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("resetboard_http_requests_in_flight");
  });
});

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

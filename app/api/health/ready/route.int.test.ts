// GET /api/health/ready: ready only when the database answers and every shipped migration is
// applied; and during an outage, API commands answer 503 problem+json instead of hanging or 500.
import pg from "pg";
import { afterAll, describe, expect, it, vi } from "vitest";
import { freePort } from "@/scripts/lib/postgres";
import { createTestDatabase, type TestDatabase } from "@/tests/db";

let database: TestDatabase | undefined;

async function fresh<T>(url: string, load: () => Promise<T>): Promise<T> {
  // The env and the Prisma client are per process; start from clean modules for each URL.
  vi.resetModules();
  const holder = globalThis as { resetboardDb?: { $disconnect(): Promise<void> } };
  await holder.resetboardDb?.$disconnect();
  delete holder.resetboardDb;
  process.env.DATABASE_URL = url;
  return load();
}

afterAll(async () => {
  await (globalThis as { resetboardDb?: { $disconnect(): Promise<void> } }).resetboardDb?.$disconnect();
  await database?.drop();
});

describe("GET /api/health/ready", () => {
  it("is ready when the database answers and its migrations are current", async () => {
    database = await createTestDatabase();
    const { GET } = await fresh(database.url, () => import("./route"));
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready", db: "ok", migrations: "current" });
  });

  it("is not ready, naming the migration, when one shipped migration is not applied", async () => {
    const client = new pg.Client({ connectionString: database!.url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `DELETE FROM "_resetboard_migrations" WHERE "name" = (SELECT max("name") FROM "_resetboard_migrations") RETURNING "name"`,
    );
    await client.end();
    const { GET } = await fresh(database!.url, () => import("./route"));
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({
      status: "not-ready",
      db: "ok",
      migrations: "pending",
      pending: [rows[0]!.name],
    });
  });

  it("is not ready within seconds when the database is unreachable", async () => {
    const port = await freePort();
    const { GET } = await fresh(`postgresql://postgres:x@127.0.0.1:${port}/nothing`, () => import("./route"));
    const started = Date.now();
    const response = await GET();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "not-ready", db: "unreachable" });
  });
});

describe("an API request while the database is down", () => {
  it("fails fast with 503 problem+json and a Retry-After, not a 500", async () => {
    const port = await freePort();
    const { problemFromError } = await fresh(
      `postgresql://postgres:x@127.0.0.1:${port}/nothing`,
      () => import("@/lib/api/problem"),
    );
    const { db } = await import("@/lib/db");
    const started = Date.now();
    const error = await db()
      .system.findMany({ take: 1 })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(Date.now() - started).toBeLessThan(7_000);
    const response = problemFromError(error);
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(response.headers.get("retry-after")).toBe("5");
    expect(await response.json()).toMatchObject({ status: 503, title: "Service unavailable" });
  });
});

// GET /api/health against a real database, and against one that is not there.
import { afterAll, describe, expect, it, vi } from "vitest";
import { freePort } from "@/scripts/lib/postgres";
import { createTestDatabase, type TestDatabase } from "@/tests/db";

let database: TestDatabase | undefined;

async function freshRoute(url: string) {
  // The env and the Prisma client are per process; start from clean modules for each URL.
  vi.resetModules();
  delete (globalThis as { resetboardDb?: unknown }).resetboardDb;
  process.env.DATABASE_URL = url;
  return import("./route");
}

afterAll(async () => {
  delete (globalThis as { resetboardDb?: { $disconnect(): Promise<void> } }).resetboardDb;
  await database?.drop();
});

describe("GET /api/health", () => {
  it("answers ok when the database answers", async () => {
    database = await createTestDatabase();
    const { GET } = await freshRoute(database.url);
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
    const db = (globalThis as { resetboardDb?: { $disconnect(): Promise<void> } }).resetboardDb;
    await db?.$disconnect();
  });

  it("answers 503 when the database is unreachable", async () => {
    const port = await freePort();
    const { GET } = await freshRoute(`postgresql://postgres:x@127.0.0.1:${port}/nothing`);
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "error", db: "unreachable" });
  });
});

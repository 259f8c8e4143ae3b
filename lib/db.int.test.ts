// A connection lost while Postgres commits is not "nothing was changed": the client learns the
// outcome is unknown. The loss is made deterministic with a deferred trigger that ends its own
// session, which Postgres runs at COMMIT, after the transaction's body has finished.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDatabaseUnavailable, OutcomeUnknownError } from "@/lib/db-unavailable";
import { requestContextStorage } from "@/lib/observability/request-context";
import { createTestDatabase, type TestDatabase } from "@/tests/db";

let database: TestDatabase;
let db: typeof import("@/lib/db").db;
let problemFromError: typeof import("@/lib/api/problem").problemFromError;

beforeAll(async () => {
  database = await createTestDatabase({ migrated: false });
  // Imported after this: the configuration is read once, on first use, and kept.
  process.env.DATABASE_URL = database.url;
  ({ db } = await import("@/lib/db"));
  ({ problemFromError } = await import("@/lib/api/problem"));
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await client.query(`CREATE TABLE commit_probe (id int PRIMARY KEY)`);
  await client.query(`CREATE FUNCTION end_session_at_commit() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NULL; END $$`);
  await client.query(`CREATE CONSTRAINT TRIGGER end_session_at_commit AFTER INSERT ON commit_probe
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.id < 0) EXECUTE FUNCTION end_session_at_commit()`);
  await client.end();
});

afterAll(async () => {
  await (globalThis as { resetboardDb?: { $disconnect(): Promise<void> } }).resetboardDb?.$disconnect();
  await database.drop();
});

describe("a transaction that loses its connection", () => {
  it("while committing is reported as an unknown outcome, and the API says so", async () => {
    const error = await db()
      .$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO commit_probe VALUES (-1)`;
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutcomeUnknownError);
    const response = problemFromError(error);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ status: 503, outcome: "unknown" });
  });

  it("before its work is done is a plain outage: nothing was committed", async () => {
    const error = await db()
      .$transaction(async (tx) => {
        await tx.$executeRaw`INSERT INTO commit_probe VALUES (2)`;
        await tx.$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`;
      })
      .catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(OutcomeUnknownError);
    expect(isDatabaseUnavailable(error)).toBe(true);
    const response = problemFromError(error);
    expect(response.status).toBe(503);
    expect(await response.json()).not.toHaveProperty("outcome");
  });

  it("after a commit of the same request, answers that the change was saved", async () => {
    const body = await requestContextStorage.run({ requestId: "test", directLoopback: false }, async () => {
      await db().$transaction(async (tx) => tx.$executeRaw`INSERT INTO commit_probe VALUES (4)`);
      // The answer is being built when the connection goes.
      const error = await db().$queryRaw`SELECT pg_terminate_backend(pg_backend_pid())`.catch((e: unknown) => e);
      const response = problemFromError(error);
      expect(response.status).toBe(503);
      return response.json();
    });
    expect(body).toMatchObject({ status: 503, outcome: "saved" });
  });

  it("leaves ordinary transactions as they were", async () => {
    await expect(db().$transaction(async (tx) => tx.$executeRaw`INSERT INTO commit_probe VALUES (3)`)).resolves.toBe(1);
    const refused = await db()
      .$transaction(async (tx) => tx.$executeRaw`INSERT INTO commit_probe VALUES (3)`)
      .catch((e: unknown) => e);
    expect(refused).not.toBeInstanceOf(OutcomeUnknownError);
    expect(isDatabaseUnavailable(refused)).toBe(false);
  });
});

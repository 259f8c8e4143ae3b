// Integration-test databases: each call creates a fresh, migrated database on the test cluster
// that `npm test` started (TEST_DATABASE_ADMIN_URL), never the demo database.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_ADMIN_URL;
  if (!url) throw new Error("TEST_DATABASE_ADMIN_URL is not set: run integration tests through `npm test`.");
  const host = new URL(url).hostname;
  // Destructive set-up only ever runs against a local server (docs/ARCHITECTURE.md, section 11).
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(host)) {
    throw new Error(`Refusing to create test databases on non-local host ${host}`);
  }
  return url;
}

export function urlFor(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${admin.escapeIdentifier(name)}`);
  } finally {
    await admin.end();
  }
  const url = urlFor(name);
  if (options.migrated !== false) await migrate(url);
  return {
    name,
    url,
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface AppTestDatabase extends TestDatabase {
  /** A direct connection for arranging and inspecting rows. */
  client: pg.Client;
  /** Drops the database after closing the connection and the app's Prisma client. */
  close(): Promise<void>;
}

/**
 * A migrated database with a small demo program (30 systems on day 41), wired as the app's
 * DATABASE_URL, for tests that call lib/data commands, server actions or route handlers.
 */
export async function createAppTestDatabase(): Promise<AppTestDatabase> {
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  const { seedDemo } = await import("@/prisma/seed");
  await seedDemo(database.url, { systems: 30, today: new Date("2026-11-27T12:00:00Z"), force: true });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  return {
    ...database,
    client,
    async close() {
      await client.end();
      await (globalThis as { resetboardDb?: { $disconnect(): Promise<void> } }).resetboardDb?.$disconnect();
      await database.drop();
    },
  };
}

// Liveness of the database for GET /api/health: a trivial query with a short deadline, so that
// a load balancer learns of an unreachable database in seconds rather than hanging.
import "server-only";
import { db } from "@/lib/db";
import fs from "node:fs";
import path from "node:path";
import { logger } from "@/lib/log";

const log = logger("health");

export async function databaseReachable(timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("database health check timed out")), timeoutMs);
    });
    await Promise.race([db().$queryRaw`SELECT 1`, timeout]);
    return true;
  } catch (error) {
    // The reason belongs in the server log; the caller only learns "unreachable".
    log.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      "health check: the database is unreachable",
    );
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export type Readiness =
  | { ready: true; migrations: number }
  | { ready: false; db: "unreachable" }
  | { ready: false; db: "ok"; pending: string[] };

/**
 * The migrations this build ships, by folder name. Read here rather than through lib/db/migrate
 * with a path the bundler can see is inside prisma/migrations (a dynamic path would make the
 * build trace the whole project into the server output).
 */
function shippedMigrations(): string[] {
  return fs
    .readdirSync(path.join(process.cwd(), "prisma", "migrations"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(entry.name))
    .map((entry) => entry.name)
    .sort();
}

/**
 * Ready to take traffic: the database answers and every migration this build ships has been
 * applied (an instance started from a newer build than the database reports not-ready until
 * its migrations have run; an edited migration is refused at start by lib/db/migrate.ts).
 */
// 5 s, a load balancer's usual health-check timeout: an instance's first query also opens its
// first pooled connection, which on a busy host can take longer than liveness's 2 s.
export async function readiness(timeoutMs = 5_000): Promise<Readiness> {
  if (!(await databaseReachable(timeoutMs))) return { ready: false, db: "unreachable" };
  const shipped = shippedMigrations();
  let applied: { name: string }[];
  try {
    applied = await db().$queryRaw<{ name: string }[]>`SELECT "name" FROM "_resetboard_migrations"`;
  } catch (error) {
    log.warn(
      { reason: error instanceof Error ? error.message : String(error) },
      "readiness: the migrations table cannot be read",
    );
    return { ready: false, db: "ok", pending: shipped };
  }
  const done = new Set(applied.map((row) => row.name));
  const pending = shipped.filter((name) => !done.has(name));
  return pending.length ? { ready: false, db: "ok", pending } : { ready: true, migrations: shipped.length };
}

// Liveness of the database for GET /api/health: a trivial query with a short deadline, so that
// a load balancer learns of an unreachable database in seconds rather than hanging.
import "server-only";
import { db } from "@/lib/db";
import { readMigrations } from "@/lib/db/migrate";
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
    log.warn({ reason: error instanceof Error ? error.message : String(error) }, "health check: the database is unreachable");
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export type Readiness = { ready: true; migrations: number } | { ready: false; db: "unreachable" } | { ready: false; db: "ok"; pending: string[] };

/**
 * Ready to take traffic: the database answers and every migration this build ships has been
 * applied with the same checksum (an instance started from a newer build than the database
 * reports not-ready until its migrations have run).
 */
export async function readiness(timeoutMs = 2_000): Promise<Readiness> {
  if (!(await databaseReachable(timeoutMs))) return { ready: false, db: "unreachable" };
  const shipped = readMigrations();
  let applied: { name: string; checksum: string }[];
  try {
    applied = await db().$queryRaw<{ name: string; checksum: string }[]>`SELECT "name", "checksum" FROM "_resetboard_migrations"`;
  } catch (error) {
    log.warn({ reason: error instanceof Error ? error.message : String(error) }, "readiness: the migrations table cannot be read");
    return { ready: false, db: "ok", pending: shipped.map((m) => m.name) };
  }
  const byName = new Map(applied.map((row) => [row.name, row.checksum]));
  const pending = shipped.filter((m) => byName.get(m.name) !== m.checksum).map((m) => m.name);
  return pending.length ? { ready: false, db: "ok", pending } : { ready: true, migrations: shipped.length };
}

// Liveness of the database for GET /api/health: a trivial query with a short deadline, so that
// a load balancer learns of an unreachable database in seconds rather than hanging.
import "server-only";
import { db } from "@/lib/db";

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
    console.error("Health check: the database is unreachable:", error instanceof Error ? error.message : error);
    return false;
  } finally {
    clearTimeout(timer);
  }
}

// The Prisma client, one per process, over node-postgres (DESIGN.md section 7). Secrets are
// omitted from every query by default; code that needs a hash asks for it explicitly.
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { databaseUrl, env } from "@/lib/env";

function createClient() {
  // A short connect timeout: an unreachable database should fail a request fast, not hang it.
  const adapter = new PrismaPg({
    connectionString: databaseUrl(),
    max: env().DATABASE_POOL_SIZE,
    connectionTimeoutMillis: 5_000,
  });
  return new PrismaClient({
    adapter,
    omit: { user: { passwordHash: true }, apiToken: { tokenHash: true } },
  });
}

export type Db = ReturnType<typeof createClient>;

// Next's dev server reloads modules; keep one client across reloads instead of leaking pools.
const globalForDb = globalThis as unknown as { resetboardDb?: Db };

export function db(): Db {
  if (!globalForDb.resetboardDb) globalForDb.resetboardDb = createClient();
  return globalForDb.resetboardDb;
}

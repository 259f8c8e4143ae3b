// The Prisma client, one per process, over a node-postgres pool we own (docs/ARCHITECTURE.md, section 1), so
// that metrics can read its usage and shutdown can close it. Secrets are omitted from every query
// by default; code that needs a hash asks for it explicitly.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { isDatabaseUnavailable, OutcomeUnknownError } from "@/lib/db-unavailable";
import { databaseUrl, env } from "@/lib/env";
import { currentRequest, recordCommit } from "@/lib/observability/request-context";
import { onShutdown } from "@/lib/shutdown";

function createPool(): pg.Pool {
  const { DATABASE_POOL_SIZE, DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS } = env();
  const statementTimeout = DATABASE_STATEMENT_TIMEOUT_MS || undefined;
  return new pg.Pool({
    connectionString: databaseUrl(),
    max: DATABASE_POOL_SIZE,
    // An unreachable database, or a pool exhausted by a hung one, fails a request in seconds.
    connectionTimeoutMillis: DATABASE_CONNECT_TIMEOUT_MS,
    // Postgres cancels a statement that runs too long; the client-side timeout (a little later)
    // covers a database that stopped answering altogether, where no cancel can arrive.
    statement_timeout: statementTimeout,
    query_timeout: statementTimeout ? statementTimeout + 2_000 : undefined,
    // A transaction left open by a crashed request must not hold locks (the audit chain's) forever.
    idle_in_transaction_session_timeout: statementTimeout ? statementTimeout * 2 : undefined,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
}

function createClient(pool: pg.Pool) {
  const client = new PrismaClient({
    adapter: new PrismaPg(pool),
    omit: { user: { passwordHash: true }, apiToken: { tokenHash: true } },
  });
  markLostCommits(client);
  return client;
}

/**
 * An interactive transaction whose body finished but whose COMMIT met a lost connection throws
 * OutcomeUnknownError: the caller is told the change may have been saved (and the request
 * answers so) instead of "nothing was changed". A commit that succeeded is noted on the
 * request, so a failure while building the answer says the change was saved. Done once here so
 * every command gets it.
 */
function markLostCommits(client: { $transaction: unknown }) {
  type Run = (arg: unknown, options?: unknown) => Promise<unknown>;
  const run = (client.$transaction as Run).bind(client);
  const transaction: Run = (arg, options) => {
    if (typeof arg !== "function") return run(arg, options);
    let bodyDone = false;
    const claimed = currentRequest()?.idempotency;
    const body = async (tx: unknown) => {
      const result: unknown = await (arg as (tx: unknown) => Promise<unknown>)(tx);
      if (claimed && !claimed.marked) {
        // In the command's own transaction: if it commits, its key is known to have been used.
        await (tx as { $executeRawUnsafe: (sql: string, ...values: unknown[]) => Promise<number> }).$executeRawUnsafe(
          'UPDATE "idempotency_record" SET "committed_at" = now() WHERE "user_id" = $1::uuid AND "key" = $2 AND "committed_at" IS NULL',
          claimed.userId,
          claimed.key,
        );
      }
      bodyDone = true;
      return result;
    };
    return run(body, options).then(
      (result) => {
        if (claimed) claimed.marked = true;
        recordCommit();
        return result;
      },
      (error: unknown) => {
        throw bodyDone && isDatabaseUnavailable(error) ? new OutcomeUnknownError(error) : error;
      },
    );
  };
  Object.defineProperty(client, "$transaction", { value: transaction, configurable: true, writable: true });
}

export type Db = ReturnType<typeof createClient>;

// Next's dev server reloads modules; keep one client across reloads instead of leaking pools.
const globalForDb = globalThis as unknown as { resetboardDb?: Db; resetboardPool?: pg.Pool };

export function db(): Db {
  if (!globalForDb.resetboardDb) {
    const pool = createPool();
    // A connection that dies while idle (the database restarted) emits here; without a listener
    // the process would crash. The pool drops it and opens a fresh one on the next request.
    pool.on("error", () => undefined);
    globalForDb.resetboardPool = pool;
    globalForDb.resetboardDb = createClient(pool);
    onShutdown(
      "database pool",
      async () => {
        await globalForDb.resetboardDb?.$disconnect();
        await pool.end();
        delete globalForDb.resetboardDb;
        delete globalForDb.resetboardPool;
      },
      100,
    );
  }
  return globalForDb.resetboardDb;
}

/** The pool's connections right now, for the metrics endpoint; null before the first query. */
export function poolUsage(): { total: number; idle: number; waiting: number; max: number } | null {
  const pool = globalForDb.resetboardPool;
  if (!pool) return null;
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: pool.options.max ?? 10 };
}

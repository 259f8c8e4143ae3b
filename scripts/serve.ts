// `npm run start:prod` (after `npm run build`): the production server. Against DATABASE_URL only
// (no embedded Postgres, no seeding): validates the configuration (one line per problem), applies
// pending migrations under the advisory lock, then serves Next in this process so that it can
// give every request an id, a JSON log line and metrics, and on SIGTERM stop accepting, finish
// in-flight requests, run the shutdown hooks (job workers, the database pool) and exit.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import next from "next";
import { problem } from "@/lib/api/problem";
import { migrate, MigrationError } from "@/lib/db/migrate";
import { env, productionConfigProblems } from "@/lib/env";
import { logger } from "@/lib/log";
import { Admission } from "@/lib/observability/admission";
import { metrics, recordRequest } from "@/lib/observability/metrics";
import { isLoopbackAddress } from "@/lib/observability/metrics-access";
import { requestContextStorage, type RequestContext } from "@/lib/observability/request-context";
import { saneRequestId } from "@/lib/observability/request-id";
import { publicPatterns, routePatterns } from "@/lib/observability/route-pattern";
import { runShutdownHooks } from "@/lib/shutdown";

const log = logger("server");

function fail(lines: string[], code: number): never {
  for (const line of lines) process.stderr.write(`[resetboard] ${line}\n`);
  process.exit(code);
}

/** Set once SIGTERM/SIGINT arrived; a second one means "now", not "again". */
let stopping = false;
/** The drain, set once the server listens; before that a signal simply ends the process. */
let drain: ((signal: string) => Promise<void>) | undefined;

function onSignal(signal: NodeJS.Signals) {
  if (stopping) {
    log.warn({ signal }, "second signal while stopping: exiting now");
    process.exit(1);
  }
  stopping = true;
  if (!drain) {
    log.info({ signal }, "stopped before serving");
    process.exit(143);
  }
  void drain(signal);
}

/** `promise`, or a rejection once `ms` have passed, so no step of the shutdown can hang it. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Never queued nor shed: probes, scrapes and static files must answer while the app is busy. */
function bypassesAdmission(pathname: string): boolean {
  return (
    pathname.startsWith("/_next/static/") ||
    pathname === "/api/health" ||
    pathname.startsWith("/api/health/") ||
    pathname === "/api/metrics" ||
    pathname === "/favicon.ico"
  );
}

const BUSY_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="refresh" content="5"><title>Busy · Resetboard</title></head>
<body style="font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;line-height:1.5">
<h1 style="font-size:1.25rem">Resetboard is busy</h1>
<p>The server is handling as many requests as it can. Nothing was changed. This page tries again in 5 seconds.</p>
</body></html>`;

/** A request turned away by admission control: 503 with Retry-After, problem+json for the API. */
async function answerBusy(res: http.ServerResponse, pathname: string) {
  res.setHeader("Retry-After", "5");
  res.setHeader("Cache-Control", "no-store");
  if (pathname.startsWith("/api/")) {
    const response = problem(
      503,
      "Busy",
      "The server is handling as many requests as it can and did not start on this one; nothing was changed. Try again in a few seconds.",
      undefined,
      { code: "busy" },
    );
    res.writeHead(503, { "Content-Type": response.headers.get("Content-Type")! });
    res.end(await response.text());
    return;
  }
  res.writeHead(503, { "Content-Type": "text/html; charset=utf-8" });
  res.end(BUSY_PAGE);
}

async function main() {
  // Registered before the migrations, which wait on the database: a signal must never be ignored.
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, onSignal);
  // Before anything reads the environment: production mode is the point of this script.
  Object.assign(process.env, { NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" });
  const problems = productionConfigProblems();
  if (problems.length) fail(["The configuration is not valid for production:", ...problems.map((p) => `  - ${p}`)], 2);
  const config = env();
  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? "0.0.0.0";
  if (!Number.isInteger(port) || port < 1 || port > 65535) fail(["PORT must be a port number"], 2);
  if (!fs.existsSync(path.resolve(".next", "BUILD_ID")))
    fail(["There is no production build: run `npm run build` first."], 2);

  const migration = await migrate(config.DATABASE_MIGRATION_URL ?? config.DATABASE_URL!, {
    log: (line) => log.info(line),
  });
  log.info(
    { applied: migration.applied, total: migration.alreadyApplied + migration.applied.length },
    "database schema up to date",
  );

  const app = next({ dev: false, dir: process.cwd(), hostname: host, port });
  await app.prepare();
  const handle = app.getRequestHandler();
  const manifestFile = path.resolve(".next", "app-path-routes-manifest.json");
  const patterns = routePatterns(
    fs.existsSync(manifestFile) ? publicPatterns(JSON.parse(fs.readFileSync(manifestFile, "utf8"))) : [],
  );

  const m = metrics();
  const admission = new Admission({
    concurrency: config.REQUEST_CONCURRENCY,
    queueLimit: config.REQUEST_QUEUE_LIMIT,
    maxWaitMs: config.REQUEST_QUEUE_TIMEOUT_MS,
  });
  const server = http.createServer((req, res) => {
    const started = process.hrtime.bigint();
    const forwarded = req.headers["x-forwarded-for"] !== undefined || req.headers.forwarded !== undefined;
    const context: RequestContext = {
      requestId: saneRequestId(req.headers["x-request-id"] as string | undefined) ?? randomUUID(),
      directLoopback: isLoopbackAddress(req.socket.remoteAddress) && !forwarded,
    };
    req.headers["x-request-id"] = context.requestId;
    res.setHeader("X-Request-Id", context.requestId);
    // Once draining, tell keep-alive clients to reconnect (to another instance).
    if (stopping) res.setHeader("Connection", "close");
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    m.inFlight.inc();
    res.once("close", () => {
      m.inFlight.dec();
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = patterns.match(pathname);
      const status = res.writableFinished ? res.statusCode : 499;
      recordRequest(route, req.method ?? "GET", status, seconds);
      const line = {
        requestId: context.requestId,
        method: req.method,
        route,
        path: pathname,
        status,
        durationMs: Math.round(seconds * 10_000) / 10,
        actorId: context.actorId,
      };
      if (route.startsWith("/_next")) log.debug(line, "request");
      else if (status >= 500) log.error(line, "request");
      else log.info(line, "request");
    });
    const run = () =>
      requestContextStorage.run(context, () => {
        handle(req, res).catch((error: unknown) => {
          log.error({ err: error, requestId: context.requestId }, "request failed");
          if (!res.headersSent) res.writeHead(500).end();
        });
      });
    if (bypassesAdmission(pathname)) {
      run();
      return;
    }
    const waiting = admission.acquire();
    m.queued.set(admission.queued);
    void waiting.then((outcome) => {
      m.queued.set(admission.queued);
      if (!outcome.admitted) {
        m.shed.inc({ reason: outcome.reason });
        void answerBusy(res, pathname);
        return;
      }
      // The client gave up while waiting in line: nobody would read the answer.
      if (res.destroyed || req.socket.destroyed) {
        outcome.release();
        return;
      }
      res.once("close", outcome.release);
      run();
    });
  });
  server.keepAliveTimeout = 65_000; // longer than a typical load balancer's idle timeout

  drain = async (signal: string) => {
    log.info({ signal }, "stopping: no new connections, finishing in-flight requests");
    // Whatever happens below (a hung database, a job that will not stop), the process ends: an
    // orchestrator's SIGKILL should never be what stops it.
    const hooksBudgetMs = 30_000;
    setTimeout(() => {
      log.error({ graceMs: config.SHUTDOWN_GRACE_MS, hooksBudgetMs }, "shutdown did not finish in time: exiting");
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + hooksBudgetMs).unref();
    const drained = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const grace = setTimeout(() => {
      log.warn({ graceMs: config.SHUTDOWN_GRACE_MS }, "grace period over: closing the remaining connections");
      server.closeAllConnections();
    }, config.SHUTDOWN_GRACE_MS);
    await drained;
    clearTimeout(grace);
    await within(app.close(), 5_000, "next's close").catch((error: unknown) =>
      log.warn({ err: error }, "next did not close cleanly"),
    );
    await runShutdownHooks();
    log.info("stopped");
    process.exit(0);
  };

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  log.info({ port, host }, "serving");
}

main().catch((error: unknown) => {
  if (error instanceof MigrationError) fail([`Migrations failed: ${error.message}`], 1);
  const code = (error as { code?: string }).code;
  if (code === "EADDRINUSE") fail([`Port ${process.env.PORT ?? 3000} is already in use.`], 1);
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "28P01" || code === "3D000") {
    fail([`Cannot reach the database at DATABASE_URL: ${(error as Error).message}`], 1);
  }
  log.fatal({ err: error }, "start-up failed");
  process.exit(1);
});

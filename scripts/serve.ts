// `npm run start:prod` (after `npm run build`): the production server. Against DATABASE_URL only
// (no embedded Postgres, no seeding): validates the configuration (one line per problem), applies
// pending migrations under the advisory lock, then serves Next in this process so that it can
// give every request an id, a JSON log line and metrics, and on SIGTERM stop accepting, finish
// in-flight requests, run the shutdown hooks (job workers, the database pool) and exit.
// With WEB_CONCURRENCY > 1 this process becomes a supervisor: it validates and migrates once,
// then forks that many workers that each serve as above on the shared port (Node's cluster),
// replaces one that dies, sums their metrics for a scrape, and on SIGTERM drains them all.
import cluster, { type Worker } from "node:cluster";
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
import { answerMetricsCollection, serveClusterMetrics } from "@/lib/observability/cluster-metrics";
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

function onSignal(signal: string) {
  if (stopping) {
    log.warn({ signal }, "second signal while stopping: exiting now");
    if (cluster.isPrimary) for (const worker of liveWorkers()) worker.process.kill("SIGKILL");
    process.exit(1);
  }
  stopping = true;
  if (!drain) {
    log.info({ signal }, "stopped before serving");
    // A worker the supervisor stops while it starts had nothing to drain: a clean stop.
    process.exit(cluster.isWorker ? 0 : 143);
  }
  void drain(signal);
}

/** The supervisor's message that tells a worker to drain and exit. */
const STOP = "resetboard:stop";

function liveWorkers(): Worker[] {
  return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
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
  if (cluster.isWorker) {
    // Ctrl-C reaches every process of the group; the supervisor decides, and says so with STOP.
    process.on("SIGINT", () => undefined);
    process.on("SIGTERM", onSignal);
    process.on("message", (message: unknown) => {
      if ((message as { type?: unknown } | null)?.type === STOP) onSignal("supervisor");
    });
    // The supervisor is gone (killed): nobody would restart or stop this worker, so it stops.
    process.on("disconnect", () => {
      if (!stopping) onSignal("supervisor gone");
    });
    // It may have gone while this worker was still loading, before the listener above existed.
    if (!process.connected) onSignal("supervisor gone");
    await serve(Number(process.env.PORT), process.env.HOST!);
    return;
  }
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
  if (config.WEB_CONCURRENCY > 1) supervise(config.WEB_CONCURRENCY, port, host);
  else await serve(port, host);
}

/**
 * The cluster's primary: forks `count` workers (same script, same environment, migrations done),
 * replaces one that dies while serving, and stops them all on SIGTERM/SIGINT.
 */
function supervise(count: number, port: number, host: string) {
  const config = env();
  /** Workers that have listened at least once: a worker that dies before that will again. */
  const started = new Set<number>();
  const fork = () => cluster.fork({ PORT: String(port), HOST: host });
  cluster.on("listening", (worker) => {
    started.add(worker.id);
    if (started.size === count) log.info({ port, host, workers: count }, "serving");
  });
  let unclean = false;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      // A worker still starting is stopped with SIGTERM (see below), which is a clean stop.
      unclean ||= code !== 0 && !(signal === "SIGTERM" && !started.has(worker.id));
      if (liveWorkers().length === 0) {
        log.info({ unclean }, "stopped");
        process.exit(unclean ? 1 : 0);
      }
      return;
    }
    if (!started.has(worker.id)) {
      log.fatal({ pid: worker.process.pid, code, signal }, "a worker failed while starting: stopping");
      stopping = true;
      for (const other of liveWorkers()) other.process.kill("SIGTERM");
      process.exit(1);
    }
    log.error({ pid: worker.process.pid, code, signal }, "a worker died: starting another");
    setTimeout(() => {
      if (!stopping) fork();
    }, 1_000).unref();
  });
  // Only workers that have listened: one still loading would not hear the question in time.
  serveClusterMetrics(() => liveWorkers().filter((worker) => started.has(worker.id)));
  drain = async (signal: string) => {
    log.info({ signal, workers: liveWorkers().length }, "stopping: draining every worker");
    // Each worker bounds its own drain; this is the backstop if one hangs regardless.
    setTimeout(() => {
      log.error("workers did not stop in time: killing them");
      for (const worker of liveWorkers()) worker.process.kill("SIGKILL");
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 40_000).unref();
    for (const worker of liveWorkers()) {
      // A worker that has not listened yet may not be listening for messages either (a message
      // sent before its listener exists is lost), but a signal always arrives.
      if (started.has(worker.id) && worker.isConnected()) worker.send({ type: STOP });
      else worker.process.kill("SIGTERM");
    }
    if (liveWorkers().length === 0) process.exit(0);
  };
  for (let i = 0; i < count; i += 1) fork();
}

/** Serves Next on `port` in this process: the whole server, or one worker of a cluster. */
async function serve(port: number, host: string) {
  const config = env();
  if (cluster.isWorker) answerMetricsCollection(metrics().registry);
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
    let queuedMs: number | undefined;
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
        // How much of durationMs the request spent waiting for a slot (admission control).
        queuedMs,
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
      queuedMs = Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10;
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
  // A worker is one of several: the supervisor says "serving" once they all listen.
  if (cluster.isPrimary) log.info({ port, host }, "serving");
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

// `npm run bench`: Resetboard's speed and cost measured side by side in one run
// (BENCHMARKS.md). A throwaway Postgres, the demo seed at each fleet size, the production server,
// then per route: load (autocannon), the framework floor, the data floor, SQL per request,
// first-load JavaScript; the write path; Lighthouse. Everything it starts is stopped on exit and
// on Ctrl-C. The npm script runs it as `node --import tsx`, not through the tsx CLI: on a busy
// machine the CLI's signal relay SIGKILLs a child that takes over 30 ms to acknowledge Ctrl-C,
// which would leave the detached Postgres running and the temporary folder behind.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { generateApiToken } from "@/lib/data/api-token";
import { buildIfNeeded, nextBin } from "../lib/build";
import { freePort, startCluster, type Cluster } from "../lib/postgres";
import { firstLoadJs } from "./first-load-js";
import { evaluateGoals } from "./goals";
import { runLighthouse, stopChrome } from "./lighthouse";
import { loadSeconds, measureLoad, stopLoad } from "./load";
import { markerSql, parseJsonLog, statementsBetween, type Statement } from "./pg-log";
import { connect } from "./pg-client";
import { replayLoop } from "./replay";
import { computeGrowth, formatReport, type BenchResult, type RouteResult, type SizeResult } from "./report";
import { ratio } from "./stats";
import { approve, prepareApprovals, runApprovals, runPlainInserts } from "./write-path";

const BENCH_APP = "resetboard-bench";
const LEAD = "lead@resetboard.dev";
const DEMO_PASSWORD = "resetboard-demo";

export interface Options {
  sizes: number[];
  connections: number;
  seconds: number;
  /** A slow route's window is stretched up to this, for enough samples (see loadSeconds). */
  maxSeconds: number;
  warmupSeconds: number;
  dataSeconds: number;
  approvals: number;
  lighthouse: boolean;
  chromePath: string;
}

function usage(): never {
  console.log(`Usage: npm run bench -- [--systems N] [--connections C] [--duration S] [--approvals K] [--no-lighthouse]
  --systems N      fleet size to seed (default: both 335 and 10000)
  --connections C  concurrent connections for the load tests, data floors and the write path (default 4)
  --duration S     seconds per load test, after a 1 s warm-up (default 6; stretched up to
                   --max-duration, default 20, for a slow route to give about 30 samples)
  --data-duration S  seconds per data-floor replay (default 3)
  --approvals K    approvals for the write path (default 100)
  --no-lighthouse  skip Lighthouse (otherwise it runs at the largest fleet size of the run)
  --report FILE    print the tables of an earlier run's JSON (bench/results/<date>.json)`);
  process.exit(2);
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    sizes: [335, 10_000],
    connections: 4,
    seconds: 6,
    maxSeconds: 20,
    warmupSeconds: 1,
    dataSeconds: 3,
    approvals: 100,
    lighthouse: true,
    chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  };
  const sizes: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const value = () => {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) usage();
      return n;
    };
    if (arg === "--systems") sizes.push(value());
    else if (arg === "--connections") options.connections = value();
    else if (arg === "--duration") options.seconds = value();
    else if (arg === "--max-duration") options.maxSeconds = value();
    else if (arg === "--data-duration") options.dataSeconds = value();
    else if (arg === "--approvals") options.approvals = value();
    else if (arg === "--no-lighthouse") options.lighthouse = false;
    else usage();
  }
  if (sizes.length) options.sizes = sizes;
  return options;
}

const startedAt = Date.now();
const log = (line: string) =>
  console.log(`[bench ${String(Math.round((Date.now() - startedAt) / 1000)).padStart(3)} s] ${line}`);

// Everything started is registered here and stopped in reverse order, once, on any exit path.
const cleanups: (() => Promise<void>)[] = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    stopLoad();
    await stopChrome().catch(() => undefined);
    for (const fn of cleanups.reverse())
      await fn().catch((error: unknown) => console.error(`[bench] cleanup: ${(error as Error).message}`));
  })();
  return cleaning;
}

async function waitFor(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The server did not answer ${url} within ${timeoutMs / 1000} s`);
}

async function startServer(databaseUrl: string, logFile: string): Promise<{ baseUrl: string; stop(): Promise<void> }> {
  const port = await freePort();
  const out = fs.openSync(logFile, "a");
  const server: ChildProcess = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      // The scheduled sweep (reminders, digests, the weekly summary, which computes the figures
      // and freezes weekly snapshots) would run inside the measured server: its statements would
      // land in whichever route's SQL was being captured and be replayed as that route's data
      // floor. The bench measures requests; `npm run bench:steady` keeps the workers on.
      NOTIFICATION_WORKERS: "false",
    },
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill("SIGTERM");
    const timer = setTimeout(() => server.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(timer);
  };
  cleanups.push(stop);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitFor(`${baseUrl}/api/health`, 60_000);
  return { baseUrl, stop };
}

/** A browser session through the credentials flow, as the sign-in form does it. */
async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password, callbackUrl: `${baseUrl}/`, json: "true" }),
  });
  const session = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .find((c) => c.startsWith("next-auth.session-token="));
  if (!session) throw new Error(`Signing in as ${email} gave no session cookie (status ${response.status}).`);
  return session;
}

interface Route {
  name: string;
  path: string;
  kind: RouteResult["kind"];
  /** Which framework floor a route is compared with: the one with the same authentication. */
  auth: "session" | "token";
}

/** Statement logging on or off for every session at once (a reload reaches running backends). */
async function setStatementLogging(admin: pg.Client, on: boolean) {
  await admin.query(`ALTER SYSTEM SET log_statement = '${on ? "all" : "none"}'`);
  await admin.query("SELECT pg_reload_conf()");
  // Backends apply a reload when they next go idle; give them a moment.
  await new Promise((resolve) => setTimeout(resolve, 300));
}

/** Issues each request once with statement logging on and reads back the statements it ran. */
async function captureStatements(
  admin: pg.Client,
  logFile: string,
  dbname: string,
  requests: { id: string; send(): Promise<Response> }[],
): Promise<Map<string, Statement[]>> {
  await setStatementLogging(admin, true);
  try {
    for (const request of requests) {
      await admin.query(markerSql("begin", request.id));
      const response = await request.send();
      await response.arrayBuffer();
      // Work the app finishes just after the response (after(), logging) still belongs to it.
      await new Promise((resolve) => setTimeout(resolve, 100));
      await admin.query(markerSql("end", request.id));
    }
  } finally {
    await setStatementLogging(admin, false);
  }
  const found = new Map<string, Statement[]>();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const entries = parseJsonLog(fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "");
    for (const request of requests) {
      if (found.has(request.id)) continue;
      const statements = statementsBetween(entries, request.id, { dbname, benchApplication: BENCH_APP });
      if (statements) found.set(request.id, statements);
    }
    if (found.size === requests.length) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return found;
}

async function benchSize(
  cluster: Cluster,
  logFile: string,
  tmp: string,
  systems: number,
  options: Options & { runLighthouse: boolean },
): Promise<SizeResult> {
  const dbname = `bench_${systems}`;
  const admin = await connect(cluster.url("postgres"), BENCH_APP);
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${dbname} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${dbname}`);
    const databaseUrl = cluster.url(dbname);
    await migrate(databaseUrl);
    log(`Seeding ${systems.toLocaleString("en")} systems…`);
    const seedStarted = Date.now();
    const { seedDemo } = await import("@/prisma/seed");
    await seedDemo(databaseUrl, { force: true, systems });
    const seedSeconds = Math.round((Date.now() - seedStarted) / 100) / 10;
    log(`Seeded in ${seedSeconds} s`);

    const db = await connect(databaseUrl, BENCH_APP);
    cleanups.push(() => db.end().catch(() => undefined));
    await db.query("ANALYZE");
    const { token, hash, prefix } = generateApiToken();
    await db.query(
      "INSERT INTO api_token (user_id, name, token_hash, prefix) SELECT id, 'bench', $2, $3 FROM app_user WHERE email = $1",
      [LEAD, hash, prefix],
    );
    // A mid-sized system of the largest team, so neither the page nor the filter is a trivial case.
    const picked = (
      await db.query<{ key: string; team: string }>(
        `WITH t AS (SELECT team FROM system GROUP BY team ORDER BY count(*) DESC, team LIMIT 1)
         SELECT s.key, s.team FROM system s JOIN t ON t.team = s.team ORDER BY s.key
         OFFSET (SELECT count(*) / 2 FROM system s JOIN t ON t.team = s.team) LIMIT 1`,
      )
    ).rows[0]!;

    const server = await startServer(databaseUrl, path.join(tmp, `server-${systems}.log`));
    const { baseUrl } = server;
    const cookie = await signIn(baseUrl, LEAD, DEMO_PASSWORD);
    const headersFor = (auth: "session" | "token"): Record<string, string> =>
      auth === "session" ? { Cookie: cookie } : { Authorization: `Bearer ${token}` };

    const filtered = `/systems?team=${encodeURIComponent(picked.team)}&tier=TIER_0&sort=nextDue&dir=asc`;
    const routes: Route[] = [
      { name: "framework floor (session)", path: "/api/v1/me", kind: "floor", auth: "session" },
      { name: "framework floor (token)", path: "/api/v1/me", kind: "floor", auth: "token" },
      { name: "/dashboard", path: "/dashboard", kind: "page", auth: "session" },
      { name: "/systems", path: "/systems", kind: "page", auth: "session" },
      { name: "/systems filtered+sorted", path: filtered, kind: "page", auth: "session" },
      { name: "/systems/[key]", path: `/systems/${picked.key}`, kind: "page", auth: "session" },
      { name: "GET /api/v1/progress", path: "/api/v1/progress", kind: "api", auth: "token" },
      { name: "GET /api/v1/systems", path: "/api/v1/systems", kind: "api", auth: "token" },
      { name: "GET /api/v1/systems/{key}", path: `/api/v1/systems/${picked.key}`, kind: "api", auth: "token" },
    ];
    const results: RouteResult[] = [];
    const singleMs = new Map<RouteResult, number>();
    for (const route of routes) {
      const get = async () => {
        const t = performance.now();
        const response = await fetch(baseUrl + route.path, { headers: headersFor(route.auth), redirect: "manual" });
        await response.arrayBuffer();
        return { status: response.status, ms: performance.now() - t };
      };
      const first = await get();
      const status = first.status === 200 ? "ok" : first.status === 404 ? "missing (404)" : `error (${first.status})`;
      if (status !== "ok") log(`${route.name}: ${status}, skipped`);
      const result: RouteResult = { name: route.name, path: route.path, kind: route.kind, auth: route.auth, status };
      // The median of three warm requests sizes the load test's window.
      if (status === "ok")
        singleMs.set(result, [(await get()).ms, (await get()).ms, (await get()).ms].sort((a, b) => a - b)[1]!);
      results.push(result);
    }
    const live = results.filter((r) => r.status === "ok");

    // SQL per request, and the statements the data floor replays. One approval is captured too.
    const plan = await prepareApprovals(db, {
      approvals: options.approvals + 1,
      connections: options.connections,
    }).catch((error: Error) => error);
    const probe = plan instanceof Error ? undefined : plan.queues.find((q) => q.length > 1)?.shift();
    log("Capturing the SQL of one request per route from the statement log…");
    const captured = await captureStatements(admin, logFile, dbname, [
      ...live.map((r, i) => ({
        id: `r${systems}-${i}`,
        send: () => fetch(baseUrl + r.path, { headers: headersFor(r.auth) }),
      })),
      ...(probe ? [{ id: `approve${systems}`, send: () => approve(baseUrl, probe) }] : []),
    ]);
    // The statements themselves (without parameters) go into the JSON, to see what a count is made of.
    const texts = (statements: Statement[] | undefined) =>
      statements?.map((st) => st.sql.replace(/\s+/g, " ").slice(0, 240));
    live.forEach((r, i) => {
      r.statements = captured.get(`r${systems}-${i}`)?.length;
      r.sql = texts(captured.get(`r${systems}-${i}`));
    });

    for (const r of live) {
      const seconds = loadSeconds(
        { seconds: options.seconds, maxSeconds: options.maxSeconds, minSamples: 30 },
        singleMs.get(r) ?? 0,
      );
      log(`Load: ${r.name} (${options.connections} connections, ${seconds} s)`);
      r.load = await measureLoad(baseUrl + r.path, headersFor(r.auth), {
        connections: options.connections,
        seconds,
        warmupSeconds: options.warmupSeconds,
      });
    }
    for (const [i, r] of live.entries()) {
      const statements = captured.get(`r${systems}-${i}`);
      if (!statements?.length) continue;
      try {
        r.dataFloor = await replayLoop(databaseUrl, statements, {
          connections: options.connections,
          seconds: options.dataSeconds,
          applicationName: BENCH_APP,
        });
      } catch (error) {
        r.dataFloor = { error: (error as Error).message };
      }
    }
    for (const r of live) {
      const floor = results.find((f) => f.kind === "floor" && f.auth === r.auth && f.status === "ok");
      if (r.kind !== "floor") r.pageOverFramework = ratio(r.load?.p50, floor?.load?.p50);
      r.pageOverData = r.dataFloor && "p50" in r.dataFloor ? ratio(r.load?.p50, r.dataFloor.p50) : null;
    }

    log("First-load JavaScript…");
    const emptyPageJs = await firstLoadJs(baseUrl, "/signin", {});
    for (const r of live.filter((x) => x.kind === "page")) {
      const { status: _status, ...weight } = await firstLoadJs(baseUrl, r.path, headersFor("session"));
      r.firstLoadJs = weight;
    }

    let write: SizeResult["write"];
    if (plan instanceof Error) {
      write = { error: plan.message };
    } else {
      log(`Write path: ${options.approvals} approvals through the API, then as many plain INSERTs…`);
      const approvals = await runApprovals(baseUrl, plan.queues);
      const plainInserts = await runPlainInserts(databaseUrl, plan.rowValues.slice(0, options.approvals), {
        connections: options.connections,
        applicationName: BENCH_APP,
      });
      write = {
        approvals,
        approvalStatements: probe ? captured.get(`approve${systems}`)?.length : undefined,
        approvalSql: texts(captured.get(`approve${systems}`)),
        plainInserts,
        insertsOverApprovals: ratio(plainInserts.perSecond, approvals.perSecond),
      };
    }

    const lighthouseResults: SizeResult["lighthouse"] = {};
    if (options.runLighthouse) {
      for (const r of live.filter((x) => x.path === "/dashboard" || x.path === "/systems")) {
        log(`Lighthouse: ${r.path}`);
        // One retry: on a busy machine Chromium's trace sometimes misses the navigation (NO_NAVSTART).
        for (let attempt = 1; attempt <= 2; attempt++) {
          try {
            lighthouseResults[r.path] = await runLighthouse(baseUrl + r.path, { Cookie: cookie }, options.chromePath);
            break;
          } catch (error) {
            lighthouseResults[r.path] = { error: (error as Error).message };
            if (attempt === 1) log(`Lighthouse failed (${(error as Error).message}); once more…`);
          }
        }
      }
    }
    await server.stop();
    return {
      systems,
      seedSeconds,
      routes: results,
      emptyPageJs: { files: emptyPageJs.files, rawBytes: emptyPageJs.rawBytes, gzipBytes: emptyPageJs.gzipBytes },
      write,
      lighthouse: lighthouseResults,
    };
  } finally {
    await admin.end().catch(() => undefined);
  }
}

function machine() {
  const cpus = os.cpus();
  return {
    nproc: cpus.length,
    cpu: cpus[0]?.model ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

async function main() {
  // `--report FILE`: print the tables of an earlier run's JSON again (with today's formatting).
  const reportAt = process.argv.indexOf("--report");
  if (reportAt >= 0) {
    const earlier = JSON.parse(fs.readFileSync(process.argv[reportAt + 1] ?? "", "utf8")) as BenchResult;
    computeGrowth(earlier.sizes);
    console.log(formatReport(earlier));
    return;
  }
  const options = parseArgs(process.argv.slice(2));
  const info = machine();
  log(
    `Machine: ${info.nproc} CPUs (${info.cpu}), ${info.memoryGiB} GiB, Node ${info.node}, load ${info.loadAverageAtStart.join(" ")}`,
  );
  if (options.lighthouse && !fs.existsSync(options.chromePath)) {
    log(`No Chromium at ${options.chromePath} (set CHROMIUM_PATH): Lighthouse is skipped.`);
    options.lighthouse = false;
  }

  buildIfNeeded(log);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-bench-"));
  fs.chmodSync(tmp, 0o755);
  cleanups.push(async () => fs.rmSync(tmp, { recursive: true, force: true }));
  const dataDir = path.join(tmp, "postgres");
  const port = await freePort();
  log(`Starting a throwaway Postgres (port ${port})…`);
  const cluster = await startCluster({
    dataDir,
    port,
    // A JSON log the bench can read back. Statements are logged only while it captures them, by
    // ALTER SYSTEM and a reload: a log_statement given here would override that.
    settings: {
      logging_collector: "on",
      log_destination: "jsonlog",
      log_directory: "log",
      log_filename: "bench.log",
      log_rotation_age: "0",
      log_rotation_size: "0",
    },
  });
  cleanups.push(() => cluster.stop());
  const logFile = path.join(dataDir, "log", "bench.json");

  const sizes: SizeResult[] = [];
  for (const systems of options.sizes) {
    log(`── ${systems.toLocaleString("en")} systems ──`);
    // Lighthouse takes a minute per size; the largest fleet is where a page can get heavy.
    sizes.push(
      await benchSize(cluster, logFile, tmp, systems, {
        ...options,
        runLighthouse: options.lighthouse && systems === Math.max(...options.sizes),
      }),
    );
  }
  // Growth: how a route's median latency changes from the smallest fleet to the largest.
  computeGrowth(sizes);
  const result = {
    date: new Date().toISOString(),
    machine: info,
    options: {
      connections: options.connections,
      seconds: options.seconds,
      maxSeconds: options.maxSeconds,
      warmupSeconds: options.warmupSeconds,
      dataSeconds: options.dataSeconds,
      approvals: options.approvals,
    },
    sizes,
    goals: evaluateGoals({ sizes }),
    totalSeconds: Math.round((Date.now() - startedAt) / 1000),
  };
  console.log(`\n${formatReport(result)}`);
  const outDir = path.resolve("bench", "results");
  fs.mkdirSync(outDir, { recursive: true });
  const outFile = path.join(outDir, `${result.date.slice(0, 10)}.json`);
  fs.writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
  log(`Wrote ${path.relative(process.cwd(), outFile)} (${result.totalSeconds} s in all)`);
}

let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[bench] ${signal}: stopping everything the bench started…`);
    void cleanup().finally(() => process.exit(130));
  });
}

main()
  .then(async () => {
    await cleanup();
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    // After Ctrl-C the steps still running fail as their server and database go away: not news.
    if (!interrupted) console.error(error);
    await cleanup();
    process.exit(interrupted ? 130 : 1);
  });

// The operations test (`npm run test:ops`, and the `ops` step of `npm test`): the production
// server as an operator runs it. Its own Postgres (so it can stop and restart it), two
// production instances on one database, then: configuration refused line by line; request ids
// and JSON logs; a session, a change and a server action that cross instances; metrics for
// loopback and the token only; admission control and several processes per instance; a
// database restart under load (503s, then recovery, nothing lost
// or half-written); and a graceful SIGTERM, with the database up and then down. Bounded: about
// two minutes on an idle machine.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { buildIfNeeded } from "../lib/build";
import { freePort, startCluster, type Cluster } from "../lib/postgres";
import { startInstance, signIn, type Instance } from "./instances";
import { runLoad } from "./load";

const LEAD = "lead@resetboard.dev";
const OPS_DATABASE = "resetboard_ops";

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

function nonLoopbackAddress(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) if (address.family === "IPv4" && !address.internal) return address.address;
  }
  return undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The fields a browser without JavaScript would post for the first form bound straight to a
 * server action (React renders its $ACTION_ fields) that has every one of `fields`.
 */
function formFields(html: string, ...fields: string[]): URLSearchParams | undefined {
  const decode = (s: string) =>
    s
      .replace(/&quot;/g, '"')
      .replace(/&#x27;/g, "'")
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&amp;/g, "&");
  for (const form of html.match(/<form[\s\S]*?<\/form>/g) ?? []) {
    if (!form.includes('name="$ACTION_') || !fields.every((field) => form.includes(`name="${field}"`))) continue;
    const params = new URLSearchParams();
    for (const input of form.match(/<input[^>]*>/g) ?? []) {
      const name = /name="([^"]*)"/.exec(input)?.[1];
      if (!name) continue;
      params.append(decode(name), decode(/value="([^"]*)"/.exec(input)?.[1] ?? ""));
    }
    for (const select of form.match(/<select[\s\S]*?<\/select>/g) ?? []) {
      const name = /name="([^"]*)"/.exec(select)?.[1];
      const value = /<option[^>]*value="([^"]*)"/.exec(select)?.[1];
      if (name && value) params.append(decode(name), decode(value));
    }
    return params;
  }
  return undefined;
}

export async function opsTest(log: (line: string) => void): Promise<boolean> {
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail = "") => {
    checks.push({ name, ok, detail });
    log(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
  };
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-ops-"));
  fs.chmodSync(tmpDir, 0o755);
  const dataDir = path.join(tmpDir, "postgres");
  const pgPort = await freePort();
  let cluster: Cluster | undefined;
  const instances: Instance[] = [];
  try {
    log(`Starting the operations test's own Postgres (port ${pgPort})…`);
    cluster = await startCluster({ dataDir, port: pgPort });
    await cluster.ensureDatabase(OPS_DATABASE);
    const databaseUrl = cluster.url(OPS_DATABASE);
    buildIfNeeded(log);

    // 1. Configuration: every problem on its own line, before anything starts.
    const refused = spawnSync(process.execPath, ["--import", "tsx", "scripts/serve.ts"], {
      env: {
        NODE_ENV: "production",
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATABASE_URL: "mysql://nope",
        NEXTAUTH_SECRET: "short",
        PORT: "1",
      },
      encoding: "utf8",
      timeout: 60_000,
    });
    const lines = refused.stderr.split("\n");
    check(
      "start:prod refuses a bad configuration, one line per variable",
      refused.status === 2 &&
        ["DATABASE_URL", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "NEXT_SERVER_ACTIONS_ENCRYPTION_KEY"].every((name) =>
          lines.some((l) => l.includes(`- ${name}`)),
        ),
      `exit ${refused.status}; ${lines.filter((l) => l.includes("- ")).length} problem lines`,
    );

    // 2. Two instances on one empty database: both migrate at start under the advisory lock.
    const [portA, portB] = [await freePort(), await freePort()];
    const metricsToken = randomBytes(24).toString("base64url");
    const env = {
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: `http://127.0.0.1:${portA}`,
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      METRICS_TOKEN: metricsToken,
      DATABASE_CONNECT_TIMEOUT_MS: "2000",
      DATABASE_STATEMENT_TIMEOUT_MS: "5000",
      SHUTDOWN_GRACE_MS: "15000",
    };
    log("Starting two production instances on one empty database…");
    const [a, b] = await Promise.all([startInstance(portA, env, { host: "0.0.0.0" }), startInstance(portB, env)]);
    instances.push(a!, b!);
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const { rows: migrationRows } = await admin.query<{ n: string }>(
        `SELECT count(*)::text AS n FROM "_resetboard_migrations"`,
      );
      const shipped = fs.readdirSync("prisma/migrations").filter((name) => /^\d{14}_/.test(name)).length;
      check(
        "both instances started on an empty database and migrated it once",
        Number(migrationRows[0]!.n) === shipped,
        `${migrationRows[0]!.n} of ${shipped} migrations recorded`,
      );
      const { rowCount: programs } = await admin.query("SELECT 1 FROM program");
      check("production mode does not seed", programs === 0);
      const { seedDemo } = await import("@/prisma/seed");
      await seedDemo(databaseUrl, { systems: 40, force: true });

      // 3. Request ids and the JSON access log.
      const plain = await fetch(`${a!.url}/api/health`);
      const echoed = await fetch(`${a!.url}/api/health`, { headers: { "x-request-id": "ops-trace-00000001" } });
      const hostile = await fetch(`${a!.url}/signin`, { headers: { "x-request-id": "bad id\twith tab" } });
      check(
        "every response carries X-Request-Id (a sane incoming one is kept)",
        /^[0-9a-f-]{36}$/.test(plain.headers.get("x-request-id") ?? "") &&
          echoed.headers.get("x-request-id") === "ops-trace-00000001" &&
          /^[0-9a-f-]{36}$/.test(hostile.headers.get("x-request-id") ?? ""),
      );

      // 4. A session from one instance works on the other; a change through one is visible at once through the other.
      const cookie = await signIn(a!.url, LEAD, "resetboard-demo");
      const program = await fetch(`${b!.url}/api/v1/program`, { headers: { cookie } });
      check(
        "a person signed in on instance A is signed in on instance B",
        program.status === 200,
        `B answered ${program.status}`,
      );
      const { rows: targets } = await admin.query<{ system: string; milestone: string; id: string }>(
        `SELECT s.key AS system, m.key AS milestone, c.id FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id
          WHERE c.status IN ('NOT_STARTED','IN_PROGRESS') ORDER BY s.key, m.sequence LIMIT 21`,
      );
      const [first, ...loadTargets] = targets;
      const added = await fetch(`${b!.url}/api/v1/systems/${first!.system}/checkpoints/${first!.milestone}/evidence`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", origin: b!.url },
        body: JSON.stringify({
          url: "https://evidence.example/cross-instance",
          title: "Added through instance B",
          kind: "DOC",
        }),
      });
      const seenOnA = (
        await (await fetch(`${a!.url}/api/v1/systems/${first!.system}`, { headers: { cookie } })).text()
      ).includes("Added through instance B");
      check(
        "a change made through B is visible at once through A",
        added.status === 201 && seenOnA,
        `B answered ${added.status}`,
      );

      // 5. A server action rendered by A and posted (as a browser without JavaScript would) to B:
      // the lead's archive form, which is bound straight to its server action. (The evidence and
      // review forms go through a client wrapper that keeps what was typed, so they need
      // JavaScript; their journeys run in the browser suite.) The system is one the load below
      // does not touch.
      const busy = new Set(targets.map((t) => t.system));
      const { rows: spareRows } = await admin.query<{ key: string; id: string }>(
        `SELECT key, id FROM system ORDER BY key DESC`,
      );
      const spare = spareRows.find((row) => !busy.has(row.key))!;
      const page = await (await fetch(`${a!.url}/systems/${spare.key}`, { headers: { cookie } })).text();
      const fields = formFields(page, "systemKey", "reason");
      let actionOk = false;
      let actionDetail = "no archive form found on the system page";
      if (fields) {
        const body = new FormData();
        for (const [name, value] of fields) body.append(name, value);
        body.set("reason", "Archived through instance B from a form A rendered");
        const response = await fetch(`${b!.url}/systems/${spare.key}`, {
          method: "POST",
          body,
          headers: { cookie, origin: b!.url },
          redirect: "manual",
        });
        const { rows: archived } = await admin.query<{ archived: boolean; audited: boolean }>(
          `SELECT s.archived_at IS NOT NULL AS archived,
                  EXISTS (SELECT 1 FROM audit_event e WHERE e.subject_id = s.id::text AND e.action = 'system.archive') AS audited
             FROM system s WHERE s.id = $1`,
          [spare.id],
        );
        actionOk = response.status === 200 && archived[0]!.archived && archived[0]!.audited;
        actionDetail = `B answered ${response.status}; archived ${archived[0]!.archived}, audited ${archived[0]!.audited}`;
      }
      check("a server action rendered by A is accepted by B", actionOk, actionDetail);

      // 6. Logs: one JSON line per API request with route, actor, status and duration; no secrets.
      const { rows: leadRows } = await admin.query<{ id: string }>(`SELECT id FROM app_user WHERE email = $1`, [LEAD]);
      await sleep(200);
      const parsed = b!.output.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      });
      const apiLine = parsed.find((l) => l.msg === "request" && l.route === "/api/v1/program");
      check(
        "an API request is logged as JSON with request id, route, actor, status and duration",
        Boolean(
          apiLine &&
          apiLine.actorId === leadRows[0]!.id &&
          apiLine.status === 200 &&
          typeof apiLine.durationMs === "number" &&
          typeof apiLine.requestId === "string",
        ),
        apiLine ? JSON.stringify(apiLine) : "no line for /api/v1/program",
      );
      const everything = [...a!.output, ...b!.output].join("\n");
      check(
        "no log line holds the session cookie or the password",
        !everything.includes(cookie.split("=")[1]!) && !everything.includes("resetboard-demo"),
      );

      // 7. Metrics: loopback yes, another address no (unless it has the token), a local proxy no.
      const local = await fetch(`${a!.url}/api/metrics`);
      const localText = await local.text();
      check(
        "GET /api/metrics answers Prometheus text on loopback",
        local.status === 200 &&
          /resetboard_http_requests_total\{[^}]*route="\/api\/health"[^}]*status="200"/.test(localText) &&
          localText.includes("resetboard_audit_chain_length"),
        `status ${local.status}`,
      );
      const viaProxy = await fetch(`${a!.url}/api/metrics`, { headers: { "x-forwarded-for": "203.0.113.9" } });
      check(
        "a request relayed by a proxy on this host is not trusted as loopback",
        viaProxy.status === 403,
        `status ${viaProxy.status}`,
      );
      const outside = nonLoopbackAddress();
      if (outside) {
        const far = await fetch(`http://${outside}:${portA}/api/metrics`);
        const withToken = await fetch(`http://${outside}:${portA}/api/metrics`, {
          headers: { authorization: `Bearer ${metricsToken}` },
        });
        check(
          `GET /api/metrics from ${outside} (not loopback): 403 without the token, 200 with it`,
          far.status === 403 && withToken.status === 200,
          `${far.status} / ${withToken.status}`,
        );
      } else {
        log("note: this host has no non-loopback IPv4 address, so the non-loopback metrics check cannot run here");
      }

      // 7b. Admission control: an instance allowed one request at a time and one in line turns the
      // rest away at once with 503 and Retry-After (problem+json for the API, a page for pages),
      // while its health probe still answers.
      const portC = await freePort();
      const c = await startInstance(portC, {
        ...env,
        REQUEST_CONCURRENCY: "1",
        REQUEST_QUEUE_LIMIT: "1",
        REQUEST_QUEUE_TIMEOUT_MS: "2000",
      });
      instances.push(c);
      const burstStarted = Date.now();
      const burst = await Promise.all([
        ...Array.from({ length: 6 }, () => fetch(`${c.url}/dashboard`, { headers: { cookie }, redirect: "manual" })),
        ...Array.from({ length: 4 }, () => fetch(`${c.url}/api/v1/systems?pageSize=100`, { headers: { cookie } })),
        fetch(`${c.url}/api/health`),
      ]);
      const burstMs = Date.now() - burstStarted;
      const shedPages = burst.slice(0, 6).filter((r) => r.status === 503);
      const shedApi = burst.slice(6, 10).filter((r) => r.status === 503);
      const apiBodies = await Promise.all(shedApi.map((r) => r.json() as Promise<{ code?: string }>));
      const served = burst.slice(0, 10).filter((r) => r.status === 200).length;
      check(
        "over capacity, requests are turned away at once: 503 with Retry-After, problem+json for the API, a page for pages; health still answers",
        served >= 1 &&
          shedPages.length >= 1 &&
          shedPages.every(
            (r) => r.headers.get("retry-after") && r.headers.get("content-type")?.startsWith("text/html"),
          ) &&
          shedApi.length >= 1 &&
          shedApi.every(
            (r) => r.headers.get("retry-after") && r.headers.get("content-type") === "application/problem+json",
          ) &&
          apiBodies.every((b) => b.code === "busy") &&
          burst[10]!.status === 200 &&
          burstMs < 10_000,
        `${served} served, ${shedPages.length} pages and ${shedApi.length} API requests shed, health ${burst[10]!.status}, ${burstMs} ms`,
      );
      await Promise.all(burst.map((r) => r.arrayBuffer().catch(() => undefined)));
      const shedMetrics = await (await fetch(`${c.url}/api/metrics`)).text();
      check(
        "the shed requests are counted in the metrics",
        /resetboard_http_requests_shed_total\{[^}]*reason="queue_full"[^}]*\} [1-9]/.test(shedMetrics),
      );
      await c.stop();

      // 7c. Several processes on one port (WEB_CONCURRENCY): a scrape reaching any of them counts
      // every worker's requests; a worker that dies is replaced; SIGTERM stops them all.
      const portD = await freePort();
      const d = await startInstance(portD, { ...env, WEB_CONCURRENCY: "2" });
      instances.push(d);
      const workerPids = () =>
        spawnSync("pgrep", ["-P", String(d.process.pid)], { encoding: "utf8" })
          .stdout.split("\n")
          .filter(Boolean);
      const programRequests = 30;
      for (let i = 0; i < programRequests; i += 1) {
        await (await fetch(`${d.url}/api/v1/program`, { headers: { cookie } })).arrayBuffer();
      }
      const counted: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const text = await (await fetch(`${d.url}/api/metrics`)).text();
        const line = text.match(
          /^resetboard_http_requests_total\{route="\/api\/v1\/program",method="GET",status="200"[^}]*\} (\d+)$/m,
        );
        counted.push(Number(line?.[1] ?? -1));
      }
      const pidsBefore = workerPids();
      check(
        "WEB_CONCURRENCY=2 serves from two processes, and every scrape counts the requests of both",
        pidsBefore.length === 2 && counted.every((n) => n === programRequests),
        `${pidsBefore.length} workers; scrapes counted ${counted.join(", ")} of ${programRequests}`,
      );
      process.kill(Number(pidsBefore[0]), "SIGKILL");
      let replaced = false;
      for (let waited = 0; waited < 30_000 && !replaced; waited += 500) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        const now = workerPids();
        replaced = now.length === 2 && !now.includes(pidsBefore[0]!);
      }
      const afterKill = await Promise.all(
        Array.from({ length: 6 }, () => fetch(`${d.url}/api/v1/program`, { headers: { cookie } })),
      );
      check(
        "a worker killed outright is replaced, and the port keeps answering",
        replaced && afterKill.every((r) => r.status === 200),
        `replaced: ${replaced}; after: ${afterKill.map((r) => r.status).join(", ")}`,
      );
      // Workers outliving their supervisor would be re-parented, so they are looked for by pid.
      const lastWorkers = workerPids().map(Number);
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      };
      const dExit = await d.stop();
      const leftOver = lastWorkers.filter(alive);
      check(
        "SIGTERM drains every worker and the supervisor exits 0",
        dExit === 0 && lastWorkers.length === 2 && leftOver.length === 0,
        `exit ${dExit}, ${leftOver.length} of ${lastWorkers.length} workers left`,
      );

      // 8. The database stops and restarts under load.
      log("Load: 20 connections for 30 s across both instances; Postgres stops at 7 s and restarts at 17 s…");
      const titlePrefix = `ops-${randomBytes(3).toString("hex")}`;
      const load = runLoad(
        {
          baseUrls: [a!.url, b!.url],
          cookie,
          checkpoints: loadTargets.map((t) => [t.system, t.milestone]),
          titlePrefix,
        },
        { connections: 20, durationMs: 30_000 },
      );
      await admin.end();
      await sleep(7_000);
      await cluster.stop();
      await sleep(2_500);
      const started = Date.now();
      const health = await fetch(`${a!.url}/api/health`);
      const healthBody = await health.json();
      const healthMs = Date.now() - started;
      check(
        "during the outage /api/health says so within seconds",
        health.status === 503 && healthBody.db === "unreachable" && healthMs < 5_000,
        `${health.status} ${JSON.stringify(healthBody)} in ${healthMs} ms`,
      );
      const readyDown = await fetch(`${b!.url}/api/health/ready`);
      check("during the outage /api/health/ready is 503", readyDown.status === 503);
      const problemDown = await fetch(`${b!.url}/api/v1/program`, { headers: { cookie } });
      check(
        "during the outage an API request fails fast with 503 problem+json",
        problemDown.status === 503 && problemDown.headers.get("content-type") === "application/problem+json",
        `${problemDown.status} ${problemDown.headers.get("content-type")}`,
      );
      await sleep(Math.max(0, 17_000 - 9_500 - (Date.now() - started)));
      cluster = await startCluster({ dataDir, port: pgPort });
      const result = await load;
      const statuses = Object.entries(result.byStatus)
        .sort()
        .map(([status, n]) => `${status}: ${n}`)
        .join(", ");
      log(
        `Load finished: ${result.requests} requests (${statuses}); slowest ${result.slowestMs} ms; ${result.acknowledged.length} writes acknowledged, ${result.unknown.length} with unknown outcome.`,
      );
      const unexpected = Object.keys(result.byStatus).filter((s) => !["200", "201", "503"].includes(s));
      check(
        "under the outage every answer was 200, 201 or 503 (no 500, no hang)",
        unexpected.length === 0 && (result.byStatus["503"] ?? 0) > 0,
        statuses,
      );
      // The bound follows the timeouts set above: 2 s to get a connection, 5 s for a transaction,
      // and slack for a loaded machine; a request hung on a dead connection would wait far longer.
      check("no request waited more than 12 s (fail fast)", result.slowestMs < 12_000, `${result.slowestMs} ms`);

      const after = new pg.Client({ connectionString: cluster.url(OPS_DATABASE) });
      await after.connect();
      try {
        const { rows: written } = await after.query<{ title: string; id: string; audited: boolean }>(
          `SELECT e.title, e.id, EXISTS (SELECT 1 FROM audit_event a WHERE a.subject_type = 'evidence' AND a.subject_id = e.id::text AND a.action = 'evidence.add') AS audited
             FROM evidence e WHERE e.title LIKE $1`,
          [`${titlePrefix}-%`],
        );
        const present = new Set(written.map((r) => r.title));
        const lost = result.acknowledged.filter((title) => !present.has(title));
        const extra = written.filter(
          (r) => !result.acknowledged.includes(r.title) && !result.unknown.includes(r.title),
        );
        const halfWritten = written.filter((r) => !r.audited);
        check(
          "zero rows lost: every acknowledged write is in the database",
          lost.length === 0,
          `${result.acknowledged.length} acknowledged, ${lost.length} lost`,
        );
        check(
          "nothing half-written: every evidence row has its audit event, and no refused write left a row",
          halfWritten.length === 0 && extra.length === 0,
          `${halfWritten.length} without audit, ${extra.length} from refused writes`,
        );
      } finally {
        await after.end();
      }
      const recovered = await fetch(`${b!.url}/api/health`);
      const verify = await fetch(`${a!.url}/api/v1/audit/verify`, { headers: { cookie } });
      const verified = (await verify.json()) as { ok?: boolean; events?: number };
      check(
        "the instances recovered without a restart, and the audit chain verifies",
        recovered.status === 200 && verified.ok === true,
        `health ${recovered.status}, chain ${JSON.stringify(verified)}`,
      );

      // 9. Graceful shutdown: SIGTERM while requests are in flight; they finish, then it exits 0.
      const inFlight = Array.from({ length: 12 }, () =>
        fetch(`${b!.url}/api/v1/systems?pageSize=100`, { headers: { cookie } }).then(
          async (r) => (await r.arrayBuffer(), String(r.status)),
          (e: { cause?: { code?: string } }) => e.cause?.code ?? "error",
        ),
      );
      await sleep(150);
      const exitCode = await b!.stop();
      const outcomes = await Promise.all(inFlight);
      const broken = outcomes.filter((o) => o !== "200" && o !== "ECONNREFUSED");
      check(
        "SIGTERM finishes in-flight requests, closes the pool and exits 0",
        exitCode === 0 &&
          broken.length === 0 &&
          b!.output.some((l) => l.includes('"hook":"database pool"') && l.includes("shutdown hook finished")),
        `exit ${exitCode}; outcomes ${outcomes.join(",")}`,
      );

      // 10. SIGTERM while the database is down: every step of the drain is bounded, so the
      // instance still stops its workers, closes its pool and exits by itself.
      await admin.end().catch(() => undefined);
      await cluster.stop();
      await sleep(1_000);
      const stopStarted = Date.now();
      const exitA = await a!.stop();
      const stopSeconds = (Date.now() - stopStarted) / 1000;
      check(
        "SIGTERM with the database down still stops the workers, closes the pool and exits 0",
        exitA === 0 &&
          ["notification workers", "database pool"].every((hook) =>
            a!.output.some((l) => l.includes(`"hook":"${hook}"`) && l.includes("shutdown hook finished")),
          ),
        `exit ${exitA} after ${stopSeconds.toFixed(1)} s`,
      );
    } finally {
      await admin.end().catch(() => undefined);
    }
  } catch (error) {
    check("the operations test ran to the end", false, (error as Error).stack ?? String(error));
  } finally {
    for (const instance of instances) await instance.stop().catch(() => undefined);
    await cluster?.stop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  const failed = checks.filter((c) => !c.ok);
  if (failed.length) {
    for (const instance of instances)
      log(`last lines of the instance on port ${instance.port}:\n${instance.output.slice(-12).join("\n")}`);
  }
  log(`operations: ${checks.length - failed.length} of ${checks.length} checks passed`);
  return failed.length === 0;
}

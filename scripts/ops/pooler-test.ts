// The pooler check of the ops step: a production instance whose every connection at run time
// (Prisma's pool, the outbox worker, pg-boss) goes through PgBouncer in transaction pooling mode,
// with migrations on the direct connection (DATABASE_MIGRATION_URL: the migration lock is a
// session advisory lock, which a transaction pooler cannot keep). Through it: readiness, a
// password sign-in, pages and API reads, evidence added, a checkpoint submitted, metrics, and
// pg-boss's schedule and queue created. Without a pgbouncer binary it reports SKIP with the install
// command; as root with apt it installs Debian's first (the ops step is CI's, and CI runs as root).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { freePort, startCluster, type Cluster } from "../lib/postgres";
import { signIn, startInstance, type Instance } from "./instances";

const DATABASE = "resetboard_pooler";
const LEAD = "lead@resetboard.dev";
const INSTALL = "apt-get install -y pgbouncer";

function findPgbouncer(): string | undefined {
  return [process.env.PGBOUNCER_PATH, "/usr/sbin/pgbouncer", "/usr/bin/pgbouncer"].find(
    (candidate): candidate is string => Boolean(candidate && fs.existsSync(candidate)),
  );
}

function ensurePgbouncer(log: (line: string) => void): string | undefined {
  const found = findPgbouncer();
  if (found) return found;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || spawnSync("which", ["apt-get"]).status !== 0) return undefined;
  log("No pgbouncer found: installing Debian's pgbouncer package (apt-get)…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update"], { stdio: "ignore", env });
  spawnSync("apt-get", ["install", "-y", "--no-install-recommends", "pgbouncer"], { stdio: "ignore", env });
  return findPgbouncer();
}

/** The owner PgBouncer runs as: it refuses to run as root, so root hands it to `postgres`. */
function runAsUser(): string | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  return spawnSync("id", ["-u", "postgres"]).status === 0 ? "postgres" : "nobody";
}

async function startPgbouncer(
  bin: string,
  dir: string,
  server: URL,
): Promise<{ port: number; process: ChildProcess; output: string[] }> {
  const port = await freePort();
  const user = decodeURIComponent(server.username);
  const password = decodeURIComponent(server.password);
  fs.writeFileSync(path.join(dir, "userlist.txt"), `"${user}" "${password}"\n`, { mode: 0o600 });
  const ini = [
    "[databases]",
    `${DATABASE} = host=${server.hostname} port=${server.port} dbname=${DATABASE}`,
    "[pgbouncer]",
    "listen_addr = 127.0.0.1",
    `listen_port = ${port}`,
    `unix_socket_dir =`,
    "auth_type = plain",
    `auth_file = ${path.join(dir, "userlist.txt")}`,
    "pool_mode = transaction",
    // Fewer server connections than the app opens, so statements of one client really do move
    // between server connections, as they do behind a busy pooler.
    "default_pool_size = 4",
    "max_client_conn = 200",
    // node-postgres sends these as startup parameters; PgBouncer cannot carry per-client session
    // settings in transaction mode, so it must be told to drop them (the README says to set them on
    // the database role instead; the client-side query timeout still applies).
    "ignore_startup_parameters = statement_timeout,idle_in_transaction_session_timeout,extra_float_digits",
    `logfile = ${path.join(dir, "pgbouncer.log")}`,
    "",
  ].join("\n");
  const iniFile = path.join(dir, "pgbouncer.ini");
  fs.writeFileSync(iniFile, ini, { mode: 0o644 });
  const owner = runAsUser();
  if (owner) {
    const ids = spawnSync("id", [owner], { encoding: "utf8" }).stdout;
    const uid = Number(/uid=(\d+)/.exec(ids)?.[1]);
    const gid = Number(/gid=(\d+)/.exec(ids)?.[1]);
    for (const file of ["userlist.txt", "pgbouncer.ini"]) fs.chownSync(path.join(dir, file), uid, gid);
    fs.chownSync(dir, uid, gid);
  }
  const child = spawn(bin, [...(owner ? ["-u", owner] : []), iniFile], { stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split("\n").filter(Boolean));
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pgbouncer exited while starting: ${output.slice(-5).join(" | ")}`);
    const probe = new pg.Client({ connectionString: poolerUrl(server, port) });
    try {
      await probe.connect();
      await probe.query("SELECT 1");
      await probe.end();
      break;
    } catch {
      await probe.end().catch(() => undefined);
    }
    if (Date.now() > deadline) throw new Error(`pgbouncer did not accept connections: ${output.slice(-5).join(" | ")}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { port, process: child, output };
}

function poolerUrl(server: URL, port: number): string {
  const url = new URL(server.toString());
  url.hostname = "127.0.0.1";
  url.port = String(port);
  return url.toString();
}

export async function poolerTest(log: (line: string) => void): Promise<boolean> {
  const bin = ensurePgbouncer(log);
  if (!bin) {
    log(`SKIP PgBouncer transaction mode — pgbouncer is not installed (${INSTALL}, or set PGBOUNCER_PATH)`);
    return true;
  }
  let ok = true;
  const check = (name: string, passed: boolean, detail = "") => {
    ok &&= passed;
    log(`${passed ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
  };
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-pooler-"));
  fs.chmodSync(tmpDir, 0o755);
  let cluster: Cluster | undefined;
  let bouncer: ChildProcess | undefined;
  let instance: Instance | undefined;
  try {
    cluster = await startCluster({ dataDir: path.join(tmpDir, "postgres"), port: await freePort() });
    await cluster.ensureDatabase(DATABASE);
    const directUrl = cluster.url(DATABASE);
    const bouncerDir = path.join(tmpDir, "pgbouncer");
    fs.mkdirSync(bouncerDir);
    const started = await startPgbouncer(bin, bouncerDir, new URL(directUrl));
    bouncer = started.process;
    const viaPooler = poolerUrl(new URL(directUrl), started.port);
    log(`PgBouncer (transaction mode, 4 server connections) on port ${started.port}`);
    const port = await freePort();
    instance = await startInstance(port, {
      DATABASE_URL: viaPooler,
      DATABASE_MIGRATION_URL: directUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      DATABASE_POOL_SIZE: "10",
    });
    check("a production instance migrates directly and is ready through PgBouncer", true);
    const { seedDemo } = await import("@/prisma/seed");
    await seedDemo(directUrl, { systems: 12, force: true });
    const url = instance.url;
    const cookie = await signIn(url, LEAD, "resetboard-demo");
    check("a password sign-in through PgBouncer", Boolean(cookie));

    const pages = await Promise.all(
      ["/dashboard", "/systems", "/api/v1/systems?pageSize=50", "/api/v1/program"].map(async (p) => {
        const response = await fetch(`${url}${p}`, { headers: { cookie } });
        await response.arrayBuffer();
        return `${p} ${response.status}`;
      }),
    );
    check(
      "pages and API reads",
      pages.every((line) => line.endsWith(" 200")),
      pages.join(", "),
    );

    const admin = new pg.Client({ connectionString: directUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ system: string; milestone: string; id: string }>(
        `SELECT s.key AS system, m.key AS milestone, c.id FROM checkpoint c JOIN system s ON s.id = c.system_id
          JOIN milestone m ON m.id = c.milestone_id WHERE c.status IN ('NOT_STARTED','IN_PROGRESS')
          ORDER BY s.key, m.sequence LIMIT 10`,
      );
      // Concurrent writes, more than the pooler's server connections: each is one transaction
      // (with the audit chain's lock), so none may see another's session state.
      const writes = await Promise.all(
        rows.map(async (row, i) => {
          const response = await fetch(`${url}/api/v1/systems/${row.system}/checkpoints/${row.milestone}/evidence`, {
            method: "POST",
            headers: { cookie, "content-type": "application/json", origin: url },
            body: JSON.stringify({
              url: `https://evidence.example/pooler-${i}`,
              title: `Through the pooler ${i}`,
              kind: "DOC",
            }),
          });
          return response.status;
        }),
      );
      const { rows: saved } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM evidence WHERE title LIKE 'Through the pooler %'`,
      );
      check(
        "concurrent evidence writes through PgBouncer",
        writes.every((status) => status === 201) && saved[0]!.n === rows.length,
        `statuses ${[...new Set(writes)].join("/")}; ${saved[0]!.n} of ${rows.length} saved`,
      );

      const target = rows[0]!;
      const { rows: versions } = await admin.query<{ version: number }>(
        `SELECT version FROM checkpoint WHERE id = $1`,
        [target.id],
      );
      const submitted = await fetch(`${url}/api/v1/systems/${target.system}/checkpoints/${target.milestone}/submit`, {
        method: "POST",
        headers: { cookie, "content-type": "application/json", origin: url },
        body: JSON.stringify({ version: versions[0]!.version }),
      });
      const submitBody = await submitted.text();
      const { rows: status } = await admin.query<{ status: string }>(
        `SELECT status::text FROM checkpoint WHERE id = $1`,
        [target.id],
      );
      check(
        "a workflow transition (submit for review) through PgBouncer",
        submitted.status === 200 && status[0]!.status === "SUBMITTED",
        `${submitted.status}; now ${status[0]!.status}${submitted.status === 200 ? "" : `; ${submitBody.slice(0, 200)}`}`,
      );

      const verify = await fetch(`${url}/api/v1/audit/verify`, { headers: { cookie } });
      const verified = (await verify.text()).slice(0, 300);
      check(
        "the audit chain verifies after concurrent writes through PgBouncer",
        verify.status === 200 && /"ok":\s*true/.test(verified),
        `${verify.status} ${verified.slice(0, 120)}`,
      );

      // pg-boss starts with the instance (instrumentation): its schema, queue and schedule are
      // written through the pooler.
      let schedule = 0;
      for (let i = 0; i < 40 && schedule === 0; i++) {
        const { rows: found } = await admin
          .query<{ n: number }>(`SELECT count(*)::int AS n FROM pgboss.schedule WHERE name = 'notification-sweep'`)
          .catch(() => ({ rows: [{ n: 0 }] }));
        schedule = found[0]!.n;
        if (!schedule) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      check("pg-boss started through PgBouncer (its queue and schedule exist)", schedule === 1);

      const scraped = await fetch(`${url}/api/metrics`);
      const text = await scraped.text();
      check(
        "/api/metrics reads the job queue and the outbox through PgBouncer",
        scraped.status === 200 &&
          /resetboard_jobs\{queue="notification-sweep",state="created"/.test(text) &&
          /resetboard_notification_deliveries\{/.test(text),
        `${scraped.status}`,
      );
    } finally {
      await admin.end();
    }
    const code = await instance.stop();
    instance = undefined;
    check("SIGTERM drains and closes its pooled connections", code === 0, `exit ${code}`);
    const errors = started.output.filter((line) => /ERROR|FATAL|WARNING/.test(line)).slice(0, 3);
    const logFile = path.join(bouncerDir, "pgbouncer.log");
    const logged = fs.existsSync(logFile)
      ? fs
          .readFileSync(logFile, "utf8")
          .split("\n")
          .filter((line) => / (ERROR|FATAL) /.test(line))
      : [];
    check(
      "PgBouncer logged no client errors",
      logged.length === 0 && errors.length === 0,
      [...errors, ...logged].slice(0, 3).join(" | "),
    );
  } catch (error) {
    check("PgBouncer transaction mode", false, (error as Error).message.split("\n").slice(0, 6).join(" | "));
  } finally {
    await instance?.stop();
    bouncer?.kill("SIGTERM");
    await cluster?.stop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
  return ok;
}

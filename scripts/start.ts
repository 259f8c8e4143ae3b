// `npm start`: the whole app from one command. Starts the embedded Postgres (unless DATABASE_URL
// is set), migrates, seeds the demo when the database is empty, builds when the sources changed,
// and serves on PORT (3000). Ctrl-C or SIGTERM stops the server first and Postgres last.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { migrate, MigrationError } from "@/lib/db/migrate";
import { buildIfNeeded, nextBin } from "./lib/build";
import { APP_DATABASE, embeddedDataDir, embeddedPort } from "./lib/database";
import { portIsFree, PostgresError, startCluster, type Cluster } from "./lib/postgres";

const dev = process.argv.includes("--dev");
const appPort = Number(process.env.PORT ?? 3000);

const log = (line: string) => console.log(`[resetboard] ${line}`);

let cluster: Cluster | undefined;
let server: ChildProcess | undefined;
let shuttingDown = false;

async function shutdown(code: number): Promise<never> {
  if (!shuttingDown) {
    shuttingDown = true;
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    if (cluster) {
      log("Stopping Postgres…");
      await cluster.stop();
      log("Postgres stopped.");
    }
  }
  process.exit(code);
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => void shutdown(signal === "SIGINT" ? 130 : 143));
}

/**
 * The session-signing secret when NEXTAUTH_SECRET is not set: generated once and kept beside the
 * data (git-ignored, mode 600), so sessions survive restarts. Several instances need a shared one.
 */
function persistentSecret(): string {
  const file = path.resolve(".data", "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

async function main() {
  if (!Number.isInteger(appPort) || appPort < 1 || appPort > 65535) throw new Error("PORT must be a port number");
  if (!(await portIsFree(appPort, "0.0.0.0"))) {
    throw new PostgresError(
      `Port ${appPort} is already in use (is Resetboard already running?). Stop that process or choose another port: PORT=3001 npm start`,
    );
  }

  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    log("Using the Postgres at DATABASE_URL.");
  } else {
    const dataDir = embeddedDataDir();
    log(`Starting the embedded Postgres (data: ${dataDir}, port ${embeddedPort()})…`);
    cluster = await startCluster({ dataDir, port: embeddedPort() });
    await cluster.ensureDatabase(APP_DATABASE);
    databaseUrl = cluster.url(APP_DATABASE);
  }

  const migration = await migrate(databaseUrl, { log });
  log(`Database schema up to date (${migration.alreadyApplied + migration.applied.length} migrations).`);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query<{ count: string }>("SELECT count(*) AS count FROM program");
  await client.end();
  if (rows[0]?.count === "0") {
    log("The database is empty: seeding the demo program…");
    const { seedDemo } = await import("@/prisma/seed");
    const seeded = await seedDemo(databaseUrl, { log: (line) => log(`  ${line}`), force: true });
    log(`Seeded ${seeded.systems} systems and ${seeded.users} users.`);
  }

  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    PORT: String(appPort),
    NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${appPort}`,
    NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? persistentSecret(),
  };
  if (!dev) buildIfNeeded(log, env);
  if (shuttingDown) return;

  log(
    process.env.SMTP_URL
      ? "E-mail notifications are on (SMTP_URL)."
      : "E-mail notifications are off: set SMTP_URL (and MAIL_FROM) to send them; the in-app notification centre works without.",
  );
  log(`Serving on http://localhost:${appPort} (Ctrl-C stops the app and its Postgres).`);
  server = spawn(process.execPath, [nextBin, dev ? "dev" : "start", "-p", String(appPort)], {
    stdio: "inherit",
    env: { ...env, NODE_ENV: dev ? "development" : "production", NEXT_TELEMETRY_DISABLED: "1" },
  });
  server.on("exit", (code, signal) => {
    if (shuttingDown) return;
    log(`The server exited (${signal ?? `code ${code}`}).`);
    void shutdown(code ?? 1);
  });
}

main().catch(async (error: unknown) => {
  const expected = error instanceof PostgresError || error instanceof MigrationError;
  console.error(`\n[resetboard] ${expected ? (error as Error).message : "Start-up failed:"}`);
  if (!expected) console.error(error);
  await shutdown(1);
});

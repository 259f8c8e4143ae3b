// How the scripts reach a database: DATABASE_URL when it is set; otherwise the embedded cluster
// of this checkout — the running one if `npm start` has it up, else started for the command.
import fs from "node:fs";
import path from "node:path";
import { resolveDataDir, startCluster, type Cluster } from "./postgres";

export const APP_DATABASE = "resetboard";

export function embeddedDataDir(): string {
  return process.env.RESETBOARD_DATA_DIR
    ? path.resolve(process.env.RESETBOARD_DATA_DIR)
    : resolveDataDir(path.resolve(".data", "postgres"));
}

export function embeddedPort(): number {
  const port = Number(process.env.RESETBOARD_PG_PORT ?? 54329);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error("RESETBOARD_PG_PORT must be a port number");
  return port;
}

/** The URL of an already running embedded cluster for this checkout, if there is one. */
function runningEmbeddedUrl(dataDir: string): string | undefined {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const passwordFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.password`);
  if (!fs.existsSync(pidFile) || !fs.existsSync(passwordFile)) return undefined;
  const lines = fs.readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  try {
    process.kill(pid, 0);
  } catch {
    return undefined;
  }
  const password = fs.readFileSync(passwordFile, "utf8").trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${APP_DATABASE}`;
}

/** Runs `fn` with a database URL, starting (and afterwards stopping) the embedded cluster if needed. */
export async function withDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const dataDir = embeddedDataDir();
  const running = runningEmbeddedUrl(dataDir);
  if (running) return fn(running);
  let cluster: Cluster | undefined;
  try {
    cluster = await startCluster({ dataDir, port: embeddedPort() });
    await cluster.ensureDatabase(APP_DATABASE);
    return await fn(cluster.url(APP_DATABASE));
  } finally {
    await cluster?.stop();
  }
}

// The production build on the node running this script (scripts/ci/other-node.ts runs it under
// each other Node major): `next build`, then `scripts/serve.ts` against a throwaway Postgres with a
// small demo seed, checked through readiness, a password sign-in (argon2's native binding), a page
// and an API read as that person. Exits non-zero on the first thing that does not work.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildIfNeeded } from "../lib/build";
import { freePort, startCluster, type Cluster } from "../lib/postgres";
import { signIn, startInstance, type Instance } from "../ops/instances";

const log = (line: string) => console.log(`[build-smoke ${process.version}] ${line}`);

async function main() {
  // Always a fresh build: a build from another node would prove nothing about this one.
  fs.rmSync(path.resolve(".next", "resetboard-build-stamp"), { force: true });
  buildIfNeeded(log);
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-build-smoke-"));
  fs.chmodSync(tmpDir, 0o755);
  let cluster: Cluster | undefined;
  let instance: Instance | undefined;
  try {
    cluster = await startCluster({ dataDir: path.join(tmpDir, "postgres"), port: await freePort() });
    await cluster.ensureDatabase("resetboard_smoke");
    const databaseUrl = cluster.url("resetboard_smoke");
    const port = await freePort();
    // serve.ts migrates the empty database itself; the seed follows once it is ready.
    instance = await startInstance(port, {
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(32).toString("base64url"),
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    });
    log(`serve.ts is ready on port ${port}`);
    const { seedDemo } = await import("@/prisma/seed");
    await seedDemo(databaseUrl, { systems: 10, force: true });
    const cookie = await signIn(instance.url, "lead@resetboard.dev", "resetboard-demo");
    const page = await fetch(`${instance.url}/systems`, { headers: { cookie } });
    const html = await page.text();
    if (page.status !== 200 || !html.includes("<main")) throw new Error(`/systems answered ${page.status}`);
    const api = await fetch(`${instance.url}/api/v1/systems`, { headers: { cookie } });
    const body = (await api.json()) as { items?: unknown[] };
    if (api.status !== 200 || !Array.isArray(body.items) || body.items.length === 0)
      throw new Error(`/api/v1/systems answered ${api.status} with ${JSON.stringify(body).slice(0, 200)}`);
    log(`signed in, /systems rendered, /api/v1/systems listed ${body.items.length} systems`);
    const code = await instance.stop();
    instance = undefined;
    if (code !== 0) throw new Error(`serve.ts exited ${code} on SIGTERM`);
    log("SIGTERM: exited 0");
  } finally {
    await instance?.stop();
    await cluster?.stop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`[build-smoke ${process.version}] FAIL ${(error as Error).message}`);
    process.exit(1);
  },
);

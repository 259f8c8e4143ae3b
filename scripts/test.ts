// `npm test`: typecheck, lint, format check, dependency audit, unit, integration, end-to-end and operations, in that order, with their own
// Postgres (a throwaway embedded cluster, or TEST_DATABASE_ADMIN_URL) and their own browser
// (the system's Chromium, installed from Debian when missing and we are root).
// `npm test -- unit integration` runs only the named steps; file paths after them
// (`npm test -- integration lib/data/import.int.test.ts`) narrow vitest and Playwright to those files.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrate } from "@/lib/db/migrate";
import { buildIfNeeded, nextBin } from "./lib/build";
import { dependencyAudit } from "./lib/dependency-audit";
import { freePort, startCluster, type Cluster } from "./lib/postgres";

// ops runs after e2e so that it reuses the production build e2e made.
const ALL_STEPS = ["typecheck", "lint", "format", "audit", "unit", "integration", "e2e", "ops"] as const;
type Step = (typeof ALL_STEPS)[number];

const log = (line: string) => console.log(`\n[test] ${line}`);

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): boolean {
  const result = spawnSync(command, args, { stdio: "inherit", env });
  return result.status === 0;
}

const npx = (args: string[], env?: NodeJS.ProcessEnv) => run("npx", ["--no-install", ...args], env);

/** Like npx, without blocking this process: the e2e step serves the OpenID provider from here. */
function npxAsync(args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn("npx", ["--no-install", ...args], { stdio: "inherit", env });
    child.once("exit", (code) => resolve(code === 0));
  });
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function findChromium(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
  ];
  return candidates.find((candidate): candidate is string => Boolean(candidate && fs.existsSync(candidate)));
}

function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  if (!isRoot) {
    throw new Error(
      "No Chromium found for the end-to-end tests. Install Debian's (sudo apt-get install -y chromium) or point CHROMIUM_PATH at a Chromium or Chrome binary.",
    );
  }
  log("No Chromium found: installing Debian's chromium package (apt-get)…");
  if (
    !run("apt-get", ["update"]) ||
    !run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], {
      ...process.env,
      DEBIAN_FRONTEND: "noninteractive",
    })
  ) {
    throw new Error("Installing chromium with apt-get failed; install it by hand or set CHROMIUM_PATH.");
  }
  const installed = findChromium();
  if (!installed) throw new Error("apt-get installed chromium but no binary was found at /usr/bin/chromium.");
  return installed;
}

async function waitForHealth(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The test server did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

let cluster: Cluster | undefined;
let tmpDir: string | undefined;

/** The admin URL of a Postgres where tests may create and drop databases. */
async function testDatabaseAdminUrl(): Promise<string> {
  if (process.env.TEST_DATABASE_ADMIN_URL) return process.env.TEST_DATABASE_ADMIN_URL;
  if (!cluster) {
    tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-test-"));
    fs.chmodSync(tmpDir, 0o755);
    const port = await freePort();
    log(`Starting a throwaway Postgres for the tests (port ${port})…`);
    cluster = await startCluster({ dataDir: path.join(tmpDir, "postgres"), port });
  }
  return cluster.url("postgres");
}

async function e2e(): Promise<boolean> {
  const chromium = ensureChromium();
  const adminUrl = await testDatabaseAdminUrl();
  const url = new URL(adminUrl);
  url.pathname = "/resetboard_e2e";
  const databaseUrl = url.toString();
  // A fresh demo database for every run, so the specs see exactly the seeded state.
  const pg = (await import("pg")).default;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query("DROP DATABASE IF EXISTS resetboard_e2e WITH (FORCE)");
  await admin.query("CREATE DATABASE resetboard_e2e");
  await admin.end();
  await migrate(databaseUrl);
  const { seedDemo } = await import("@/prisma/seed");
  await seedDemo(databaseUrl, { force: true });

  buildIfNeeded((line) => log(line));
  const port = await freePort();
  // A real OpenID provider for the single sign-on journey (e2e/sso.spec.ts).
  const { startOidcProvider, OIDC_CLIENT } = await import("../e2e/oidc-provider");
  const { SSO_ACCOUNTS } = await import("../e2e/sso-accounts");
  const oidc = await startOidcProvider({
    port: await freePort(),
    redirectUri: `http://127.0.0.1:${port}/api/auth/callback/oidc`,
    accounts: SSO_ACCOUNTS,
  });
  // Idle keep-alive connections stay open as long as the production server keeps them (65 s):
  // with Node's default of 5 s, a test's request could reuse a socket at the moment the server
  // closed it and fail with ECONNRESET.
  const server = spawn(
    process.execPath,
    [nextBin, "start", "-p", String(port), "-H", "127.0.0.1", "--keepAliveTimeout", "65000"],
    {
      stdio: ["ignore", "inherit", "inherit"],
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        NEXTAUTH_URL: `http://127.0.0.1:${port}`,
        NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
        OIDC_ISSUER: oidc.issuer,
        OIDC_CLIENT_ID: OIDC_CLIENT.id,
        OIDC_CLIENT_SECRET: OIDC_CLIENT.secret,
        OIDC_NAME: "Test SSO",
        OIDC_ALLOWED_DOMAINS: "sso.example",
      },
    },
  );
  try {
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(`${baseUrl}/api/health`, 60_000);
    const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-e2e-")), "report.json");
    const ok = await npxAsync(["playwright", "test", "--reporter=list,json", ...filters], {
      ...process.env,
      E2E_BASE_URL: baseUrl,
      CHROMIUM_PATH: chromium,
      DATABASE_URL: databaseUrl,
      PLAYWRIGHT_JSON_OUTPUT_FILE: report,
    });
    recap.e2e = failedSpecs(report);
    return ok;
  } finally {
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
    await oidc.stop();
  }
}

let filters: string[] = [];

/**
 * What failed in each step, repeated under the summary: a CI log is often read from its end, and
 * the steps after a failure (ops prints a lot) would otherwise push it out of sight.
 */
const recap: Partial<Record<Step, string[]>> = {};

interface PlaywrightSuite {
  title: string;
  suites?: PlaywrightSuite[];
  specs?: {
    title: string;
    file: string;
    line: number;
    tests: { status: string; results: { error?: { message?: string } }[] }[];
  }[];
}

/** "file:line title — first line of the error" for every spec that failed or only passed on retry. */
function failedSpecs(reportFile: string): string[] {
  if (!fs.existsSync(reportFile)) return ["(Playwright wrote no report)"];
  const lines: string[] = [];
  const walk = (suite: PlaywrightSuite, titles: string[]) => {
    const here = suite.title && !suite.title.endsWith(".ts") ? [...titles, suite.title] : titles;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests) {
        if (test.status !== "unexpected" && test.status !== "flaky") continue;
        const message = test.results.map((r) => r.error?.message).find(Boolean) ?? "";
        const first =
          message
            .replace(/\u001b\[[0-9;]*m/g, "")
            .split("\n")
            .find((l) => l.trim()) ?? "";
        lines.push(
          `${test.status === "flaky" ? "flaky " : ""}${spec.file}:${spec.line} ${[...here, spec.title].join(" › ")} — ${first.trim()}`,
        );
      }
    }
    for (const child of suite.suites ?? []) walk(child, here);
  };
  const report = JSON.parse(fs.readFileSync(reportFile, "utf8")) as { suites?: PlaywrightSuite[] };
  for (const suite of report.suites ?? []) walk(suite, []);
  return lines;
}

async function runStep(step: Step): Promise<boolean> {
  switch (step) {
    case "typecheck":
      // Route types first, so a stale .next from an earlier build cannot fail (or pass) the check.
      return npx(["next", "typegen"]) && npx(["tsc", "--noEmit"]);
    case "lint":
      return npx(["eslint", "."]);
    case "format":
      // The house style is what Prettier writes; `npm run format` fixes what this reports.
      return npx(["prettier", "--check", "--log-level", "warn", "."]);
    case "unit":
      return npx(["vitest", "run", "--project", "unit", ...filters]);
    case "integration":
      return npx(["vitest", "run", "--project", "integration", ...filters], {
        ...process.env,
        TEST_DATABASE_ADMIN_URL: await testDatabaseAdminUrl(),
      });
    case "e2e":
      return e2e();
    case "audit":
      return dependencyAudit((line) => log(line));
    case "ops": {
      const { opsTest } = await import("./ops/ops-test");
      const failures: string[] = [];
      const record = (line: string) => {
        console.log(`[ops] ${line}`);
        if (line.startsWith("FAIL")) failures.push(line.split("\n")[0]!);
      };
      const ok = await opsTest(record);
      // The same production server through PgBouncer in transaction mode (SKIP without pgbouncer).
      const { poolerTest } = await import("./ops/pooler-test");
      const poolerOk = await poolerTest(record);
      recap.ops = failures;
      return ok && poolerOk;
    }
  }
}

async function cleanup() {
  await cluster?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
}

async function main() {
  // Paths (anything with a slash or a dot) narrow the test runners to those files.
  const args = process.argv.slice(2);
  filters = args.filter((arg) => /[/.]/.test(arg));
  const requested = args.filter((arg) => !filters.includes(arg));
  const unknown = requested.filter((step) => !(ALL_STEPS as readonly string[]).includes(step));
  if (unknown.length) {
    console.error(`Unknown step(s): ${unknown.join(", ")}. Steps: ${ALL_STEPS.join(", ")}`);
    process.exit(2);
  }
  const steps = requested.length ? (requested as Step[]) : [...ALL_STEPS];
  // scripts/ci/other-node.ts runs the unit and integration steps with another node first on PATH.
  const expected = process.env.RESETBOARD_EXPECT_NODE;
  if (expected && expected !== process.version) {
    console.error(`[test] Expected to run on Node ${expected}, but this is ${process.version} (check PATH).`);
    process.exit(2);
  }
  log(`Node ${process.version}`);
  const results: { step: Step; ok: boolean; seconds: number }[] = [];
  for (const step of steps) {
    log(`── ${step} ──`);
    const started = Date.now();
    let ok = false;
    try {
      ok = await runStep(step);
    } catch (error) {
      console.error(`[test] ${step} could not run: ${(error as Error).message}`);
    }
    results.push({ step, ok, seconds: Math.round((Date.now() - started) / 1000) });
  }
  await cleanup();
  console.log("\n[test] Summary");
  for (const r of results) {
    console.log(`  ${r.ok ? "pass" : "FAIL"}  ${r.step.padEnd(12)} ${r.seconds}s`);
    for (const line of recap[r.step] ?? []) console.log(`          ${line.slice(0, 400)}`);
  }
  const failed = results.filter((r) => !r.ok).length;
  console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => void cleanup().finally(() => process.exit(130)));
}

main().catch(async (error: unknown) => {
  console.error(error);
  await cleanup();
  process.exit(1);
});

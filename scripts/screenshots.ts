// The README's screenshots from the seeded demo, and (with --all) every page as every demo role on a
// desktop and a phone, light and dark, plus the printed report, for looking at before a release.
//
//   npm run screenshots                      # docs/screenshot-{dashboard,systems,my-work,phone}.png
//   npm run screenshots -- --all [folder]    # every page into folder (default test-results/look),
//                                            # with each page's first-load JS (--weight-only: just that)
//   npm run screenshots -- --all --only=/my-work,/dashboard --light
//                                            # just those pages, every role and size, light theme only
//
// It runs on its own: a throwaway Postgres seeded with the demo, the production build (made if
// missing or stale) served on a free port, and the system Chromium (CHROMIUM_PATH, else
// /usr/bin/chromium). Set BASE_URL to photograph a server that is already running on the demo.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { DEMO_PASSWORD } from "@/prisma/seed-data";
import { firstLoadJs } from "./bench/first-load-js";
import { buildIfNeeded, nextBin } from "./lib/build";
import { freePort, startCluster, type Cluster } from "./lib/postgres";

const ACCOUNTS = {
  lead: "lead@resetboard.dev",
  owner: "owner@resetboard.dev",
  reviewer: "reviewer@resetboard.dev",
  exec: "exec@resetboard.dev",
  junior: "junior@resetboard.dev",
} as const;
type Role = keyof typeof ACCOUNTS;

const DESKTOP = { width: 1440, height: 1000 };
const PHONE = { width: 390, height: 844 };

const log = (line: string) => console.log(`[screenshots] ${line}`);

async function waitForHealth(url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`The server did not become healthy at ${url} within ${timeoutMs / 1000} s`);
}

/** A demo database and the app serving it, or the server BASE_URL names. */
async function startDemo(): Promise<{ baseUrl: string; databaseUrl?: string; stop: () => Promise<void> }> {
  if (process.env.BASE_URL) return { baseUrl: process.env.BASE_URL.replace(/\/$/, ""), stop: async () => undefined };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-shots-"));
  fs.chmodSync(tmp, 0o755);
  log("Starting a throwaway Postgres and seeding the demo…");
  const cluster: Cluster = await startCluster({ dataDir: path.join(tmp, "postgres"), port: await freePort() });
  await cluster.ensureDatabase("resetboard_shots");
  const databaseUrl = cluster.url("resetboard_shots");
  try {
    await migrate(databaseUrl);
    const { seedDemo } = await import("@/prisma/seed");
    await seedDemo(databaseUrl, { force: true });
    buildIfNeeded(log);
  } catch (error) {
    await cluster.stop();
    throw error;
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: ChildProcess = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: baseUrl,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    },
  });
  await waitForHealth(`${baseUrl}/api/health`, 90_000);
  return {
    baseUrl,
    databaseUrl,
    stop: async () => {
      const exited = new Promise((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
      await cluster.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

async function signedIn(
  browser: Browser,
  baseUrl: string,
  role: Role,
  viewport: { width: number; height: number },
  colorScheme: "light" | "dark" = "light",
): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: baseUrl, viewport, colorScheme, reducedMotion: "reduce" });
  // A page of the demo can take a while on a busy machine; a screenshot is not a latency test.
  context.setDefaultNavigationTimeout(120_000);
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(ACCOUNTS[role]);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("navigation", { name: "Main" }).waitFor();
  await page.close();
  return context;
}

async function shoot(context: BrowserContext, route: string, file: string, fullPage = false) {
  const page = await context.newPage();
  await page.goto(route, { waitUntil: "networkidle" });
  await page.locator("main h1").first().waitFor();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage });
  await page.close();
  log(`wrote ${path.relative(process.cwd(), file)}`);
}

async function readme(browser: Browser, baseUrl: string) {
  const docs = path.resolve("docs");
  const lead = await signedIn(browser, baseUrl, "lead", DESKTOP);
  await shoot(lead, "/dashboard", path.join(docs, "screenshot-dashboard.png"));
  await shoot(lead, "/systems", path.join(docs, "screenshot-systems.png"));
  await lead.close();
  const reviewer = await signedIn(browser, baseUrl, "reviewer", DESKTOP);
  await shoot(reviewer, "/my-work", path.join(docs, "screenshot-my-work.png"));
  await reviewer.close();
  const phone = await signedIn(browser, baseUrl, "owner", PHONE);
  await shoot(phone, "/dashboard", path.join(docs, "screenshot-phone.png"));
  await phone.close();
}

/** A system the demo owner owns and the seeded change with the most reviews: the fullest pages. */
async function samples(databaseUrl: string | undefined): Promise<{ systemKey?: string; changeId?: string }> {
  if (!databaseUrl) return {};
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const system = await client.query<{ key: string }>(
      `SELECT s.key FROM system s JOIN assignment a ON a.system_id = s.id AND a.kind = 'OWNER'
         JOIN app_user u ON u.id = a.user_id AND u.email = 'owner@resetboard.dev' ORDER BY s.key LIMIT 1`,
    );
    const change = await client.query<{ id: string }>(
      `SELECT c.id FROM change c ORDER BY (SELECT count(*) FROM change_review r WHERE r.change_id = c.id) DESC, c.id LIMIT 1`,
    );
    return { systemKey: system.rows[0]?.key, changeId: change.rows[0]?.id };
  } finally {
    await client.end();
  }
}

const option = (name: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;

async function everything(browser: Browser, baseUrl: string, databaseUrl: string | undefined, folder: string) {
  const { systemKey, changeId } = await samples(databaseUrl);
  const only = option("only")?.split(",").filter(Boolean);
  const pagesFor = (role: Role) => allPagesFor(role).filter((route) => !only || only.includes(route));
  const allPagesFor = (role: Role) => [
    "/dashboard",
    "/systems",
    "/my-work",
    "/report",
    "/changes",
    "/notifications",
    "/settings",
    ...(systemKey ? [`/systems/${systemKey}`] : []),
    ...(changeId ? [`/changes/${changeId}`] : []),
    ...(role === "lead" || role === "exec" ? ["/audit"] : []),
    ...(role === "lead"
      ? [
          "/admin/users",
          "/admin/program",
          "/admin/notifications",
          "/admin/service-accounts",
          "/systems/new",
          "/systems/import",
          ...(systemKey ? [`/systems/${systemKey}/edit`] : []),
        ]
      : []),
  ];
  // First-load JavaScript (gzip) of every page the lead sees, against the empty sign-in page.
  const weights = await signedIn(browser, baseUrl, "lead", DESKTOP);
  const cookie = (await weights.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  const kib = (bytes: number) => (bytes / 1024).toFixed(1);
  const floor = await firstLoadJs(baseUrl, "/signin", {});
  log(`first-load JS, gzip KiB: /signin ${kib(floor.gzipBytes)}`);
  for (const route of pagesFor("lead")) {
    const weight = await firstLoadJs(baseUrl, route, { cookie });
    log(`  ${route} ${kib(weight.gzipBytes)} (+${kib(weight.gzipBytes - floor.gzipBytes)}, ${weight.files} files)`);
  }
  await weights.close();
  if (process.argv.includes("--weight-only")) return;
  for (const role of Object.keys(ACCOUNTS) as Role[]) {
    for (const [size, viewport] of [
      ["desktop", DESKTOP],
      ["phone", PHONE],
    ] as const) {
      for (const scheme of process.argv.includes("--light") ? (["light"] as const) : (["light", "dark"] as const)) {
        const context = await signedIn(browser, baseUrl, role, viewport, scheme);
        for (const route of pagesFor(role)) {
          const name = route.replace(/^\//, "").replaceAll("/", "_") || "home";
          await shoot(context, route, path.join(folder, role, `${size}-${scheme}`, `${name}.png`), true);
        }
        await context.close();
      }
    }
  }
  // The printed report on both paper sizes, as the executive prints it.
  const exec = await signedIn(browser, baseUrl, "exec", { width: 1280, height: 900 });
  const page = await exec.newPage();
  await page.goto("/report", { waitUntil: "networkidle" });
  await page.emulateMedia({ media: "print" });
  for (const format of ["A4", "Letter"] as const) {
    const file = path.join(folder, `report-${format}.pdf`);
    await page.pdf({ path: file, format, preferCSSPageSize: true, printBackground: true });
    log(`wrote ${path.relative(process.cwd(), file)}`);
  }
  await exec.close();
}

async function main() {
  const args = process.argv.slice(2);
  const all = args.includes("--all") || args.includes("--weight-only");
  const folder = path.resolve(args.find((a) => !a.startsWith("--")) ?? path.join("test-results", "look"));
  const demo = await startDemo();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" });
  try {
    if (all) await everything(browser, demo.baseUrl, demo.databaseUrl ?? process.env.DATABASE_URL, folder);
    else await readme(browser, demo.baseUrl);
  } finally {
    await browser.close();
    await demo.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// CI's extra legs (`.ci/run` runs this after `npm test`): the unit and integration steps of
// `npm test`, and a production build served and signed in to, under the other Node majors teams run
// (package.json declares node >= 20.19; the machine's own node runs `npm test` itself). The runtimes
// come from the `node` npm package, installed once into a cache folder outside the repository
// (NODE_RUNTIME_CACHE, default ~/.cache/resetboard/node), never into the app's node_modules.
//
// Each leg puts its node first on PATH and runs `npm test -- unit integration`, so npm, npx, vitest
// and its workers (which start process.execPath) all run on that node, against the leg's own
// throwaway Postgres; then, one leg after the other (they share .next), `next build` and
// `scripts/serve.ts` on it, checked through readiness, a password sign-in, a page and an API read
// (scripts/ci/build-smoke.ts: argon2's native binding, Prisma, pg, the embedded Postgres binaries).
//
// `tsx scripts/ci/other-node.ts [22 24] [--parallel|--serial] [--subset=22] [--build=24] [--skip-build]`; the test steps of
// the legs run in parallel by default when CI=true (integration files mostly wait on Postgres).
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const args = process.argv.slice(2);
const majors = args.filter((arg) => /^\d+$/.test(arg));
const versions = majors.length ? majors : (process.env.OTHER_NODE_VERSIONS ?? "22 24").split(/[\s,]+/).filter(Boolean);
const parallel = args.includes("--parallel") || (process.env.CI === "true" && !args.includes("--serial"));
const skipBuild = args.includes("--skip-build");
// `--subset=22`: that leg runs the unit suite and only SUBSET of the integration files, to keep
// .ci/run inside its budget on two cores.
const subsetMajors = new Set(
  args
    .filter((arg) => arg.startsWith("--subset="))
    .flatMap((arg) => arg.slice("--subset=".length).split(","))
    .filter(Boolean),
);
/**
 * The integration files that lean most on the runtime: the native and wasm parts (argon2 in
 * sign-in, Prisma's schema engine, pg and its errors, the embedded Postgres binaries), streams and
 * gzip (backup), crypto (the anchor), fetch (webhooks), timers (pg-boss), and one whole workflow.
 */
const SUBSET = [
  "app/api/health/ready/route.int.test.ts",
  "app/api/metrics/route.int.test.ts",
  "app/api/v1/systems/workflow.int.test.ts",
  "lib/data/audit.int.test.ts",
  "lib/data/users.int.test.ts",
  "lib/db.int.test.ts",
  "lib/db/migrate.int.test.ts",
  "lib/notifications/notifications.int.test.ts",
  "prisma/schema-matches-migrations.int.test.ts",
  "scripts/audit-anchor.int.test.ts",
  "scripts/backup.int.test.ts",
];
// `--build=24`: only those majors make and serve a production build (each build takes minutes).
const buildMajors = new Set(
  args
    .filter((arg) => arg.startsWith("--build="))
    .flatMap((arg) => arg.slice("--build=".length).split(","))
    .filter(Boolean),
);
const cacheRoot = process.env.NODE_RUNTIME_CACHE ?? path.join(os.homedir(), ".cache", "resetboard", "node");

const log = (line: string) => console.log(`[other-node] ${line}`);

/** The node binary of `major`, installed from the `node` npm package into the cache when missing. */
function nodeRuntime(major: string): string {
  const dir = path.join(cacheRoot, major);
  const bin = path.join(dir, "node_modules", "node", "bin", "node");
  const works = () =>
    fs.existsSync(bin) && spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout?.startsWith(`v${major}.`);
  if (works()) return bin;
  log(`Installing node@${major} into ${dir}…`);
  fs.mkdirSync(dir, { recursive: true });
  // Its own folder and package.json, so npm does not walk up into a project; the `node` package
  // fetches its binary (another registry package) in an install script, which npm 11 runs only
  // for packages a project allows.
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: `node-runtime-${major}`, private: true, allowScripts: { node: true } }),
  );
  const result = spawnSync(
    "npm",
    ["install", "--no-audit", "--no-fund", "--no-package-lock", "--save-exact", `node@${major}`],
    { cwd: dir, stdio: "inherit" },
  );
  if (result.status !== 0 || !works()) throw new Error(`Installing node@${major} with npm failed (see above).`);
  return bin;
}

/** Runs a command with its output prefixed by the leg, so parallel legs stay readable. */
function runPrefixed(prefix: string, command: string, commandArgs: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(command, commandArgs, { env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [child.stdout, child.stderr]) {
      let pending = "";
      stream.on("data", (chunk: Buffer) => {
        const lines = (pending + chunk.toString("utf8")).split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) console.log(`[node${prefix}] ${line}`);
      });
      stream.on("end", () => pending && console.log(`[node${prefix}] ${pending}`));
    }
    child.once("exit", (code) => resolve(code === 0));
  });
}

interface StepResult {
  step: string;
  ok: boolean;
  seconds: number;
}

async function timed(step: string, results: StepResult[], fn: () => Promise<boolean>) {
  const started = Date.now();
  let ok = false;
  try {
    ok = await fn();
  } catch (error) {
    console.error(`[other-node] ${step} could not run: ${(error as Error).message}`);
  }
  results.push({ step, ok, seconds: Math.round((Date.now() - started) / 1000) });
  return ok;
}

interface Leg {
  major: string;
  bin: string;
  env: NodeJS.ProcessEnv;
}

function legFor(major: string, results: StepResult[]): Leg | undefined {
  let bin = "";
  const started = Date.now();
  try {
    bin = nodeRuntime(major);
  } catch (error) {
    console.error(`[other-node] ${(error as Error).message}`);
  }
  results.push({ step: `node${major} install`, ok: Boolean(bin), seconds: Math.round((Date.now() - started) / 1000) });
  if (!bin) return undefined;
  const version = spawnSync(bin, ["--version"], { encoding: "utf8" }).stdout.trim();
  log(`node${major}: ${bin} (${version})`);
  return {
    major,
    bin,
    env: {
      ...process.env,
      PATH: `${path.dirname(bin)}${path.delimiter}${process.env.PATH ?? ""}`,
      // The expected runtime, so scripts/test.ts can refuse to run the leg on the wrong node.
      RESETBOARD_EXPECT_NODE: version,
      // Prefixed lines in a CI log: colour codes would only garble them.
      NO_COLOR: "1",
    },
  };
}

async function testLeg(leg: Leg, results: StepResult[]) {
  if (!subsetMajors.has(leg.major)) {
    await timed(`node${leg.major} unit+integration`, results, () =>
      runPrefixed(leg.major, "npm", ["test", "--", "unit", "integration"], leg.env),
    );
    return;
  }
  // Two runs: file paths narrow every step named with them, and none of these is a unit file.
  await timed(`node${leg.major} unit`, results, () => runPrefixed(leg.major, "npm", ["test", "--", "unit"], leg.env));
  await timed(`node${leg.major} integration (${SUBSET.length} files)`, results, () =>
    runPrefixed(leg.major, "npm", ["test", "--", "integration", ...SUBSET], leg.env),
  );
}

// One at a time even when the tests ran in parallel: every build writes the same .next folder.
const buildLeg = (leg: Leg, results: StepResult[]) =>
  timed(`node${leg.major} build+serve`, results, () =>
    runPrefixed(leg.major, leg.bin, ["--conditions=react-server", "--import", "tsx", "scripts/ci/build-smoke.ts"], {
      ...leg.env,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    }),
  );

async function main() {
  log(
    `Node ${versions.join(", ")} (${parallel ? "in parallel" : "one after another"}${subsetMajors.size ? `; integration subset on ${[...subsetMajors].join(", ")}` : ""}); cache ${cacheRoot}`,
  );
  const started = Date.now();
  const all: StepResult[] = [];
  // Installs first and one at a time: two npm installs into one cache race for nothing.
  const legs = versions.map((major) => legFor(major, all)).filter((leg): leg is Leg => Boolean(leg));
  if (parallel) {
    const per = legs.map(() => [] as StepResult[]);
    await Promise.all(legs.map((leg, i) => testLeg(leg, per[i]!)));
    all.push(...per.flat());
  } else {
    for (const leg of legs) await testLeg(leg, all);
  }
  for (const leg of legs) if (!skipBuild && (!buildMajors.size || buildMajors.has(leg.major))) await buildLeg(leg, all);
  console.log("\n[other-node] Summary");
  for (const r of all) console.log(`  ${r.ok ? "pass" : "FAIL"}  ${r.step.padEnd(28)} ${r.seconds}s`);
  const failed = all.filter((r) => !r.ok).length;
  console.log(`  ${Math.round((Date.now() - started) / 1000)}s in all`);
  console.log(`other-node: ${all.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

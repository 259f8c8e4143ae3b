// `npm run bench:steady`: the demo (335 systems) under a steady 50 requests per second for 60 s
// through the production server, a mix of pages (/dashboard, /systems), API reads and API writes
// (evidence), over loopback. Open-loop: a request leaves every 20 ms whether or not earlier ones
// have answered, so a slow server shows up as latency, not as a politely lower rate. Exits 1 on
// any 5xx or failed request. RATE and SECONDS override the defaults; WEB_CONCURRENCY (server
// processes) is passed through. It also reads the CPU time the server, Postgres and this load
// generator spent per request (from /proc), which bounds what the machine can serve of this mix.
// The figures (and the machine they came from) are written to
// bench/results/steady-<YYYY-MM-DD>.json for BENCHMARKS.md.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrate } from "@/lib/db/migrate";
import { buildIfNeeded } from "../lib/build";
import { treeCpuMs } from "./cpu-time";
import { freePort, startCluster, type Cluster } from "../lib/postgres";
import { signIn, startInstance, type Instance } from "../ops/instances";

const rate = Number(process.env.RATE ?? 50);
const seconds = Number(process.env.SECONDS ?? 60);

interface Sample {
  kind: string;
  status: number | "error";
  ms: number;
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-steady-"));
  fs.chmodSync(tmpDir, 0o755);
  let cluster: Cluster | undefined;
  let instance: Instance | undefined;
  try {
    cluster = await startCluster({ dataDir: path.join(tmpDir, "postgres"), port: await freePort() });
    await cluster.ensureDatabase("resetboard_steady");
    const url = cluster.url("resetboard_steady");
    await migrate(url);
    const { seedDemo } = await import("@/prisma/seed");
    const seeded = await seedDemo(url, { force: true });
    console.log(`Seeded the demo: ${seeded.systems} systems.`);
    buildIfNeeded((line) => console.log(line));
    const port = await freePort();
    instance = await startInstance(port, {
      DATABASE_URL: url,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
      NEXT_SERVER_ACTIONS_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      LOG_LEVEL: "warn",
    });
    const base = instance.url;
    const cookie = await signIn(base, "lead@resetboard.dev", "resetboard-demo");
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows: targets } = await client.query<{ system: string; milestone: string }>(
      `SELECT s.key AS system, m.key AS milestone FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id
        WHERE c.status IN ('NOT_STARTED','IN_PROGRESS') ORDER BY random() LIMIT 200`,
    );
    await client.end();

    const plan: { kind: string; request: (i: number) => [string, RequestInit] }[] = [
      { kind: "page /dashboard", request: () => [`${base}/dashboard`, {}] },
      { kind: "page /systems", request: () => [`${base}/systems`, {}] },
      { kind: "GET /api/v1/systems", request: (i) => [`${base}/api/v1/systems?page=${(i % 5) + 1}&pageSize=50`, {}] },
      {
        kind: "GET /api/v1/systems/{key}",
        request: (i) => [`${base}/api/v1/systems/${targets[i % targets.length]!.system}`, {}],
      },
      { kind: "GET /api/v1/progress", request: () => [`${base}/api/v1/progress`, {}] },
      { kind: "GET /api/v1/program", request: () => [`${base}/api/v1/program`, {}] },
      {
        kind: "POST evidence",
        request: (i) => {
          const t = targets[i % targets.length]!;
          return [
            `${base}/api/v1/systems/${t.system}/checkpoints/${t.milestone}/evidence`,
            {
              method: "POST",
              headers: { "content-type": "application/json", origin: base },
              body: JSON.stringify({
                url: `https://evidence.example/steady/${i}`,
                title: `Steady load ${i}`,
                kind: "DOC",
              }),
            },
          ];
        },
      },
    ];
    // Weights: pages 2 each, API reads 1-2, writes 2 of 12.
    const mix = [0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 6];

    console.log(
      `Load: ${rate} requests/s for ${seconds} s against ${base} (mix: ${plan.map((p) => p.kind).join(", ")})…`,
    );
    const samples: Sample[] = [];
    let firstError: string | undefined;
    const postmasterPid = Number(fs.readFileSync(path.join(cluster.dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const cpuAtStart = {
      server: treeCpuMs(instance.process.pid!),
      postgres: treeCpuMs(postmasterPid),
      generator: process.cpuUsage(),
    };
    // How far behind its schedule the generator sent: a late sender offers less than `rate`.
    let maxSendLagMs = 0;
    const loadAtStart = os.loadavg();
    const pending: Promise<void>[] = [];
    const started = Date.now();
    const total = rate * seconds;
    for (let i = 0; i < total; i += 1) {
      const due = started + (i * 1000) / rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const step = plan[mix[i % mix.length]!]!;
      const [target, init] = step.request(i);
      const sent = Date.now();
      maxSendLagMs = Math.max(maxSendLagMs, sent - due);
      pending.push(
        (async () => {
          try {
            const response = await fetch(target, {
              ...init,
              headers: { ...(init.headers as Record<string, string>), cookie },
              redirect: "manual",
              signal: AbortSignal.timeout(30_000),
            });
            await response.arrayBuffer();
            samples.push({ kind: step.kind, status: response.status, ms: Date.now() - sent });
          } catch (error) {
            // Refused, reset or 30 s without a full answer: counted as failed.
            firstError ??= `${(error as Error).message}${(error as { cause?: Error }).cause ? ` (${(error as { cause?: Error }).cause!.message})` : ""}`;
            samples.push({ kind: step.kind, status: "error", ms: Date.now() - sent });
          }
        })(),
      );
    }
    await Promise.all(pending);
    const elapsed = (Date.now() - started) / 1000;
    const generatorCpu = process.cpuUsage(cpuAtStart.generator);
    const serverCpuNow = treeCpuMs(instance.process.pid!);
    const postgresCpuNow = treeCpuMs(postmasterPid);
    // Per request handled: one turned away "busy" (503) costs next to nothing, and counting it
    // would make an overloaded server look cheap.
    const handled = Math.max(1, samples.filter((s) => s.status !== 503 && s.status !== "error").length);
    const perRequest = (start: number | null, end: number | null) =>
      start === null || end === null ? null : Math.round(((end - start) / handled) * 10) / 10;
    const cpuPerRequestMs = {
      server: perRequest(cpuAtStart.server, serverCpuNow),
      postgres: perRequest(cpuAtStart.postgres, postgresCpuNow),
      generator: Math.round(((generatorCpu.user + generatorCpu.system) / 1000 / handled) * 10) / 10,
    };
    const cpuTotal =
      cpuPerRequestMs.server === null || cpuPerRequestMs.postgres === null
        ? null
        : cpuPerRequestMs.server + cpuPerRequestMs.postgres + cpuPerRequestMs.generator;
    // Every core busy with nothing but this: the most requests per second of this mix it can take.
    const ceilingPerSecond = cpuTotal ? Math.round((os.cpus().length * 1000 * 10) / cpuTotal) / 10 : null;
    const sendSeconds = (total - 1) / rate + maxSendLagMs / 1000;

    const rows = [...new Set(samples.map((s) => s.kind)), "all"].map((kind) => {
      const mine = kind === "all" ? samples : samples.filter((s) => s.kind === kind);
      const ms = mine.map((s) => s.ms).sort((a, b) => a - b);
      const statuses: Record<string, number> = {};
      for (const s of mine) statuses[String(s.status)] = (statuses[String(s.status)] ?? 0) + 1;
      return {
        kind,
        n: mine.length,
        p50: percentile(ms, 50),
        p95: percentile(ms, 95),
        p99: percentile(ms, 99),
        max: ms[ms.length - 1] ?? 0,
        statuses,
      };
    });
    console.log(
      `\n| request | n | p50 ms | p95 ms | p99 ms | max ms | statuses |\n| --- | ---: | ---: | ---: | ---: | ---: | --- |`,
    );
    for (const r of rows)
      console.log(
        `| ${r.kind} | ${r.n} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.max} | ${Object.entries(r.statuses)
          .map(([k, v]) => `${k}: ${v}`)
          .join(", ")} |`,
      );
    const bad = samples.filter((s) => s.status === "error" || (typeof s.status === "number" && s.status >= 500));
    console.log(
      `\n${samples.length} requests in ${elapsed.toFixed(1)} s (${(samples.length / elapsed).toFixed(1)}/s completed, until the last answer, at a target of ${rate}/s); ${bad.length} 5xx or failed.`,
    );
    console.log(
      `Offered ${(total / sendSeconds).toFixed(1)}/s (the sender was at most ${maxSendLagMs} ms behind its schedule).`,
    );
    if (firstError) console.log(`First failure: ${firstError}`);
    if (cpuTotal !== null) {
      console.log(
        `CPU per request handled (not turned away): server ${cpuPerRequestMs.server} ms, Postgres ${cpuPerRequestMs.postgres} ms, load generator ${cpuPerRequestMs.generator} ms; ` +
          `${os.cpus().length} cores can take at most ${ceilingPerSecond} requests/s of this mix.`,
      );
    }
    const result = {
      date: new Date().toISOString(),
      machine: {
        nproc: os.cpus().length,
        cpu: os.cpus()[0]?.model ?? "unknown",
        node: process.version,
        loadAverageAtStart: loadAtStart.map((x) => Math.round(x * 100) / 100),
        loadAverageAtEnd: os.loadavg().map((x) => Math.round(x * 100) / 100),
      },
      config: { rate, seconds, systems: seeded.systems, webConcurrency: Number(process.env.WEB_CONCURRENCY ?? 1) },
      requests: samples.length,
      elapsedSeconds: Math.round(elapsed * 10) / 10,
      offeredPerSecond: Math.round((total / sendSeconds) * 10) / 10,
      completedPerSecond: Math.round((samples.length / elapsed) * 10) / 10,
      maxSendLagMs,
      fiveXxOrFailed: bad.length,
      firstError: firstError ?? null,
      cpuPerRequestMs,
      ceilingPerSecond,
      rows,
    };
    const outDir = path.resolve("bench", "results");
    fs.mkdirSync(outDir, { recursive: true });
    // The defaults keep the plain name; another rate or worker count gets its own file.
    const variant =
      (rate !== 50 ? `-${rate}rps` : "") +
      (result.config.webConcurrency > 1 ? `-${result.config.webConcurrency}-workers` : "");
    const outFile = path.join(outDir, `steady-${result.date.slice(0, 10)}${variant}.json`);
    fs.writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Wrote ${path.relative(process.cwd(), outFile)}`);
    process.exitCode = bad.length ? 1 : 0;
  } finally {
    await instance?.stop();
    await cluster?.stop();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// Server-side vs client-side filtering and sorting of the systems registry, measured
// against whatever DATABASE_URL points at (seed one with `npm run cli -- db seed --systems 10000`).
//   DATABASE_URL=postgresql://… npx tsx --conditions=react-server scripts/bench-systems.ts
// Server-side: the one SQL statement behind a /systems page or GET /api/v1/systems, per view.
// Client-side: what the browser would need instead — every system with its aggregates as JSON —
// and then the in-memory filter and sort per interaction.
import { cliActor } from "@/lib/data/actor";
import { listAllSystems, listSystems, type SystemListItem } from "@/lib/data/systems";
import type { ListSystemsInput } from "@/lib/data/systems.schema";

const RUNS = 7;
const actor = cliActor("bench");

async function median(fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm the pool and Postgres' caches
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const kb = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

async function main() {
  const first = await listSystems(actor, { pageSize: 1 });
  const team = (await listSystems(actor, { pageSize: 1, sort: "team" })).items[0]?.team ?? "";
  const owner = first.items[0]?.owners[0]?.email;
  console.log(`systems: ${first.total}`);
  const views: [string, ListSystemsInput][] = [
    ["default (name, page 1 of 50)", {}],
    ["team + Tier 0 + overdue, by next due", { team, tier: "TIER_0", health: "OVERDUE", sort: "nextDue" }],
    ["search 'api', by progress desc", { q: "api", sort: "progress", dir: "desc" }],
    ["owner filter", { owner }],
    ["by last activity desc", { sort: "lastActivity", dir: "desc" }],
    ["by owners", { sort: "owners" }],
    ["page 100 of 50 rows", { page: 100 }],
    ["pageSize 200", { pageSize: 200 }],
  ];
  console.log("\nserver-side (one SQL statement per view; median of 7):");
  for (const [label, input] of views) {
    let bytes = 0;
    const time = await median(async () => {
      bytes = JSON.stringify(await listSystems(actor, input)).length;
    });
    console.log(`  ${label.padEnd(40)} ${ms(time).padStart(10)}  page JSON ${kb(bytes)}`);
  }

  let all: SystemListItem[] = [];
  const loadAll = await median(async () => {
    all = await listAllSystems(actor, {});
  });
  const json = JSON.stringify(all);
  const parse = await median(async () => JSON.parse(json));
  console.log("\nclient-side (ship every system once, then filter and sort in the browser):");
  console.log(`  load all ${all.length} systems from Postgres    ${ms(loadAll)}`);
  console.log(`  JSON to send to the browser              ${kb(json.length)} (uncompressed)`);
  console.log(`  JSON.parse of it                          ${ms(parse)}`);
  const filterSort = await median(async () =>
    all
      .filter((s) => s.team === team && s.tier === "TIER_0" && s.health === "OVERDUE")
      .sort((a, b) => (a.nextDue?.dueOn ?? "9").localeCompare(b.nextDue?.dueOn ?? "9") || a.key.localeCompare(b.key)),
  );
  const sortAll = await median(async () =>
    [...all].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()) || a.key.localeCompare(b.key)),
  );
  console.log(`  filter + sort in memory (team/tier/health) ${ms(filterSort)}`);
  console.log(`  sort all by name in memory               ${ms(sortAll)}`);
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

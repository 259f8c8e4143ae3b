// `npm run cli -- import systems FILE [--dry-run]` as an operator runs it: a real process against
// a seeded database, with the repository's sample file.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let db: AppTestDatabase;

beforeAll(async () => {
  db = await createAppTestDatabase();
}, 120_000);
afterAll(async () => {
  await db?.close();
});

function cli(...args: string[]) {
  const result = spawnSync("npx", ["--no-install", "tsx", "--conditions=react-server", "scripts/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: db.url },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const count = async () => Number((await db.client.query<{ n: string }>("SELECT count(*) AS n FROM system")).rows[0]!.n);

// Each case starts the CLI (tsx, then Prisma) several times: slow on a busy machine.
const CLI_TIMEOUT = 180_000;

describe("npm run cli -- import systems", () => {
  it(
    "checks with --dry-run, imports with progress, and a second run changes nothing",
    async () => {
      const before = await count();
      const dry = cli("import", "systems", "docs/sample-systems.csv", "--dry-run");
      expect(dry, dry.err).toMatchObject({
        code: 0,
        out: expect.stringContaining("5 rows, 5 to create, 0 to update, 0 unchanged. Nothing was written."),
      });
      expect(await count()).toBe(before);
      const applied = cli("import", "systems", "docs/sample-systems.csv");
      expect(applied, applied.err).toMatchObject({
        code: 0,
        out: expect.stringContaining("5 created, 0 updated, 0 unchanged"),
      });
      expect(applied.err).toContain("Importing… 5/5 rows (100%)");
      expect(await count()).toBe(before + 5);
      const again = cli("import", "systems", "docs/sample-systems.csv");
      expect(again).toMatchObject({ code: 0, out: expect.stringContaining("0 created, 0 updated, 5 unchanged") });
    },
    CLI_TIMEOUT,
  );

  it(
    "lists every bad row with its number and exits 1 without writing",
    async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "import-")), "bad.csv");
      const sample = fs.readFileSync("docs/sample-systems.csv", "utf8").trimEnd().split("\n");
      sample[2] = sample[2]!.replace("TIER_1", "TIER_7").replace("identity-device-trust", "identity-device-trust-2");
      sample.push("new-one,New One,Payments,TIER_1,false,,,,ghost@example.com,");
      fs.writeFileSync(file, sample.join("\n"));
      const before = await count();
      const result = cli("import", "systems", file);
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/row 3 \(identity-device-trust-2\) tier: Tier must be/);
      expect(result.err).toMatch(/row 7 \(new-one\) owners: No user has the email ghost@example.com/);
      expect(result.err).toContain("nothing was written");
      expect(await count()).toBe(before);
      expect(cli("import", "systems")).toMatchObject({
        code: 2,
        err: expect.stringContaining("import systems takes one FILE"),
      });
    },
    CLI_TIMEOUT,
  );
});

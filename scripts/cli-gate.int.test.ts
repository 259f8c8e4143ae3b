// `gate check` as a pipeline runs it: a real process, real database, and the exit code is the contract.
import { spawnSync } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@/tests/db";

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await database?.drop();
});

function cli(...args: string[]) {
  const result = spawnSync("npx", ["--no-install", "tsx", "--conditions=react-server", "scripts/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: database.url },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

const one = async <T extends pg.QueryResultRow>(sql: string, params: unknown[] = []) =>
  (await client.query<T>(sql, params)).rows[0]!;

// Each case starts the CLI (tsx, then Prisma) several times: slow on a busy machine.
const CLI_TIMEOUT = 180_000;

describe("npm run cli -- gate check", () => {
  it(
    "exits 1 with the reasons while blocked, 0 once allowed, 2 for an unknown change",
    async () => {
      const author = await one<{ id: string }>(
        "INSERT INTO app_user (email, name, role, seniority, updated_at) VALUES ('mid@x.dev', 'Mia Mid', 'ENGINEER', 'MID', now()) RETURNING id",
      );
      const senior = await one<{ id: string }>(
        "INSERT INTO app_user (email, name, role, seniority, updated_at) VALUES ('sam@x.dev', 'Sam Senior', 'ENGINEER', 'PRINCIPAL', now()) RETURNING id",
      );
      const system = await one<{ id: string }>(
        "INSERT INTO system (key, name, team, tier, updated_at) VALUES ('pay', 'Payments', 'Pay', 'TIER_1', now()) RETURNING id",
      );
      const change = await one<{ id: string }>(
        `INSERT INTO change (system_id, title, url, ai_assisted, author_id, rollback_plan_url, registered_by_id, updated_at)
       VALUES ($1, 'Retry payouts', 'https://git.example.com/pr/1', true, $2, 'https://wiki.example.com/rb', $2, now()) RETURNING id`,
        [system.id, author.id],
      );

      const blocked = cli("gate", "check", change.id);
      expect(blocked.code, blocked.err).toBe(1);
      expect(blocked.out).toContain(`BLOCKED: change ${change.id}`);
      expect(blocked.out).toContain(
        "- It is AI-assisted and its author is mid-level, so it needs an approval from a senior or principal reviewer.",
      );

      await client.query(
        "INSERT INTO change_review (change_id, reviewer_id, revision, decision, seniority, links_digest) VALUES ($1, $2, 1, 'APPROVE', 'PRINCIPAL', $3)",
        [change.id, senior.id, "0".repeat(64)],
      );
      const allowed = cli("gate", "check", change.id);
      expect(allowed.code, allowed.err).toBe(0);
      expect(allowed.out).toContain("ALLOWED");
      // The pipeline's first ask is on record, as blocked.
      expect(await one("SELECT first_check_allowed FROM change WHERE id = $1", [change.id])).toEqual({
        first_check_allowed: false,
      });

      expect(cli("gate", "check", "00000000-0000-4000-8000-000000000000")).toMatchObject({
        code: 2,
        err: expect.stringContaining("There is no change"),
      });
      expect(cli("gate", "check")).toMatchObject({ code: 2 });
    },
    CLI_TIMEOUT,
  );
});

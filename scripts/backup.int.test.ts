// `db backup` and `db restore` as an operator runs them: back up the demo, restore it into a
// fresh database, and find every row and a verifying audit chain; refuse a non-empty target.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Each test runs the CLI as a process (several seconds each on a loaded machine).
const SLOW = 240_000;
import { verifyChain, type StoredEvent } from "@/lib/audit/chain";
import { createAppTestDatabase, createTestDatabase, type AppTestDatabase, type TestDatabase } from "@/tests/db";

let source: AppTestDatabase;
let target: TestDatabase;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-backup-"));
const file = path.join(dir, "demo.backup");

beforeAll(async () => {
  source = await createAppTestDatabase();
  // An empty database: restore migrates it itself.
  target = await createTestDatabase({ migrated: false });
});
afterAll(async () => {
  await source.close();
  await target.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function cli(url: string, ...args: string[]) {
  const result = spawnSync("npx", ["--no-install", "tsx", "--conditions=react-server", "scripts/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: url },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** Every table's rows as one fingerprint per table (order-independent). */
async function fingerprints(client: pg.ClientBase): Promise<Record<string, string>> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_resetboard_migrations' ORDER BY 1`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await client.query<{ n: string; h: string }>(
      `SELECT count(*)::text AS n, coalesce(md5(string_agg(row_to_json(t)::text, '|' ORDER BY row_to_json(t)::text)), '') AS h FROM ${client.escapeIdentifier(name)} t`,
    );
    result[name] = `${rows[0]!.n}:${rows[0]!.h}`;
  }
  return result;
}

async function chain(client: pg.ClientBase) {
  const { rows } = await client.query(
    `SELECT seq, at, actor_id, actor_email, action, subject_type, subject_id, system_key, data, prev_hash, hash FROM audit_event ORDER BY seq`,
  );
  const events: StoredEvent[] = rows.map((r) => ({
    seq: BigInt(r.seq),
    at: r.at,
    actorId: r.actor_id,
    actorEmail: r.actor_email,
    action: r.action,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    systemKey: r.system_key,
    data: r.data,
    prevHash: r.prev_hash,
    hash: r.hash,
  }));
  return verifyChain(events);
}

describe("db backup and db restore", () => {
  it(
    "restores the demo into a fresh database with every row, and the audit chain verifies",
    async () => {
      const backup = cli(source.url, "db", "backup", file);
      expect(backup).toMatchObject({ code: 0, out: expect.stringMatching(/^Backed up \d+ rows in \d+ tables/) });
      expect(fs.statSync(file).mode & 0o077).toBe(0);

      const restore = cli(target.url, "db", "restore", file);
      if (restore.code !== 0) console.error(restore.err);
      expect(restore).toMatchObject({ code: 0, out: expect.stringMatching(/^Restored \d+ rows/) });

      const restored = new pg.Client({ connectionString: target.url });
      await restored.connect();
      try {
        const before = await fingerprints(source.client);
        expect(Object.keys(before).length).toBeGreaterThan(5);
        expect(Number(before.checkpoint!.split(":")[0])).toBeGreaterThan(0);
        expect(await fingerprints(restored)).toEqual(before);
        const verified = await chain(restored);
        expect(verified.ok).toBe(true);
        expect(verified.events).toBeGreaterThan(0);
        // The audit triggers came back with the schema: the restored trail is still append-only.
        await expect(restored.query("DELETE FROM audit_event WHERE seq = 1")).rejects.toThrow();
      } finally {
        await restored.end();
      }
    },
    SLOW,
  );

  it(
    "refuses to restore over a database that holds rows, unless --force",
    async () => {
      const refused = cli(source.url, "db", "restore", file);
      expect(refused).toMatchObject({ code: 1, err: expect.stringContaining("The target database is not empty") });
      const forced = cli(target.url, "db", "restore", file, "--force");
      expect(forced).toMatchObject({ code: 0, out: expect.stringMatching(/^Restored/) });
    },
    SLOW,
  );

  it(
    "refuses a file that is not a backup, and one that is truncated, writing nothing",
    async () => {
      const junk = path.join(dir, "junk.backup");
      fs.writeFileSync(junk, "not a backup");
      const empty = await createTestDatabase({ migrated: false });
      try {
        expect(cli(empty.url, "db", "restore", junk)).toMatchObject({ code: 1 });
        const whole = (await import("node:zlib")).gunzipSync(fs.readFileSync(file)).toString().split("\n");
        const cut = path.join(dir, "cut.backup");
        fs.writeFileSync(
          cut,
          (await import("node:zlib")).gzipSync(whole.slice(0, Math.floor(whole.length / 2)).join("\n")),
        );
        expect(cli(empty.url, "db", "restore", cut)).toMatchObject({
          code: 1,
          err: expect.stringContaining("truncated"),
        });
        const client = new pg.Client({ connectionString: empty.url });
        await client.connect();
        const { rows } = await client.query<{ n: string }>("SELECT count(*)::text AS n FROM checkpoint");
        await client.end();
        expect(rows[0]!.n).toBe("0");
      } finally {
        await empty.drop();
      }
    },
    SLOW,
  );
});

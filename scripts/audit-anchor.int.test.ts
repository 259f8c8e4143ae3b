// `audit anchor` and `audit verify --anchor`: an attacker with superuser rights cuts the audit
// chain's tail, or rewrites it and recomputes every hash so that the chain verifies on its own;
// the anchor taken earlier still exposes both.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Each test runs the CLI as a process (several seconds each on a loaded machine).
const SLOW = 240_000;
import { hashEvent, type JsonValue } from "@/lib/audit/chain";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let database: AppTestDatabase;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "resetboard-anchor-"));
const anchorFile = path.join(dir, "anchor.json");
const KEY = "anchor-key-for-the-test-0123456789abcdef";

beforeAll(async () => {
  database = await createAppTestDatabase();
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** `key` null runs the command with no AUDIT_ANCHOR_KEY at all. */
function cli(args: string[], key: string | null = KEY) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: database.url };
  if (key === null) delete env.AUDIT_ANCHOR_KEY;
  else env.AUDIT_ANCHOR_KEY = key;
  const result = spawnSync("npx", ["--no-install", "tsx", "--conditions=react-server", "scripts/cli.ts", ...args], {
    encoding: "utf8",
    env,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

/** As a superuser attacker: the append-only triggers off, `fn`, triggers back on. */
async function asAttacker(fn: () => Promise<void>) {
  await database.client.query("ALTER TABLE audit_event DISABLE TRIGGER USER");
  try {
    await fn();
  } finally {
    await database.client.query("ALTER TABLE audit_event ENABLE TRIGGER USER");
  }
}

/** Rewrites every event from `fromSeq` on with altered data and recomputes the chain's hashes. */
async function rewriteTail(fromSeq: number) {
  const { rows } = await database.client.query(
    `SELECT seq, at, actor_id, actor_email, action, subject_type, subject_id, system_key, data FROM audit_event WHERE seq >= $1 ORDER BY seq`,
    [fromSeq],
  );
  const { rows: before } = await database.client.query<{ hash: string }>(
    "SELECT hash FROM audit_event WHERE seq = $1",
    [fromSeq - 1],
  );
  let prev = before[0]!.hash;
  await database.client.query("DELETE FROM audit_event WHERE seq >= $1", [fromSeq]);
  for (const r of rows) {
    const event = {
      seq: BigInt(r.seq),
      at: r.at as Date,
      actorId: r.actor_id,
      actorEmail: r.actor_email,
      action: r.action,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      systemKey: r.system_key,
      data: { ...(r.data as Record<string, JsonValue>), rewritten: true },
    };
    const hash = hashEvent(prev, event);
    await database.client.query(
      `INSERT INTO audit_event (seq, at, actor_id, actor_email, action, subject_type, subject_id, system_key, data, prev_hash, hash) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)`,
      [
        r.seq,
        r.at,
        r.actor_id,
        r.actor_email,
        r.action,
        r.subject_type,
        r.subject_id,
        r.system_key,
        event.data,
        prev,
        hash,
      ],
    );
    prev = hash;
  }
}

describe("audit anchors", () => {
  it(
    "anchors the head with a signature and proves the chain still contains it, also after later events",
    async () => {
      const anchored = cli(["audit", "anchor"]);
      expect(anchored.code).toBe(0);
      const anchor = JSON.parse(anchored.out) as { seq: string; hash: string; signature: string; at: string };
      const { rows } = await database.client.query<{ seq: string; hash: string }>(
        "SELECT seq::text AS seq, hash FROM audit_event ORDER BY audit_event.seq DESC LIMIT 1",
      );
      expect(anchor).toMatchObject({
        seq: rows[0]!.seq,
        hash: rows[0]!.hash,
        signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      fs.writeFileSync(anchorFile, anchored.out);

      expect(
        cli([
          "user",
          "add",
          "--email",
          "later@example.com",
          "--name",
          "Later",
          "--role",
          "EXECUTIVE",
          "--seniority",
          "MID",
        ]).code,
      ).toBe(0);
      expect(cli(["audit", "verify", "--anchor", anchorFile])).toMatchObject({
        code: 0,
        out: expect.stringContaining(`still contains the anchored head #${anchor.seq}`),
      });
    },
    SLOW,
  );

  it(
    "refuses an altered anchor, and one checked without the key",
    () => {
      const anchor = JSON.parse(fs.readFileSync(anchorFile, "utf8")) as { seq: string };
      const forged = path.join(dir, "forged.json");
      fs.writeFileSync(forged, JSON.stringify({ ...anchor, seq: String(Number(anchor.seq) - 1) }));
      expect(cli(["audit", "verify", "--anchor", forged])).toMatchObject({
        code: 1,
        out: expect.stringContaining("signature does not match"),
      });
      expect(
        cli(["audit", "verify", "--anchor", anchorFile], "another-key-another-key-another-key-0000"),
      ).toMatchObject({ code: 1, out: expect.stringContaining("signed with another key") });
      expect(cli(["audit", "anchor"], null)).toMatchObject({
        code: 1,
        err: expect.stringContaining("AUDIT_ANCHOR_KEY is not set"),
      });
    },
    SLOW,
  );

  it(
    "detects a tail rewritten and recomputed by a superuser, which plain verification cannot",
    async () => {
      const anchor = JSON.parse(fs.readFileSync(anchorFile, "utf8")) as { seq: string };
      await asAttacker(() => rewriteTail(Number(anchor.seq) - 3));
      expect(cli(["audit", "verify"])).toMatchObject({ code: 0, out: expect.stringContaining("Audit chain verified") });
      expect(cli(["audit", "verify", "--anchor", anchorFile])).toMatchObject({
        code: 1,
        out: expect.stringContaining(`Event #${anchor.seq} no longer has the anchored hash`),
      });
    },
    SLOW,
  );

  it(
    "detects a cut tail, which plain verification cannot",
    async () => {
      const anchor = JSON.parse(fs.readFileSync(anchorFile, "utf8")) as { seq: string };
      await asAttacker(async () => {
        await database.client.query("DELETE FROM audit_event WHERE seq >= $1", [Number(anchor.seq) - 1]);
      });
      expect(cli(["audit", "verify"])).toMatchObject({ code: 0 });
      expect(cli(["audit", "verify", "--anchor", anchorFile])).toMatchObject({
        code: 1,
        out: expect.stringContaining(`Event #${anchor.seq} is no longer in the chain`),
      });
    },
    SLOW,
  );
});

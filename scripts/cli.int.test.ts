// The operator CLI as an operator runs it: a real process against a real database.
import { spawnSync } from "node:child_process";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyChain, type StoredEvent } from "@/lib/audit/chain";
import { createTestDatabase, type TestDatabase } from "@/tests/db";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

function cli(...args: string[]) {
  const result = spawnSync("npx", ["--no-install", "tsx", "--conditions=react-server", "scripts/cli.ts", ...args], {
    encoding: "utf8",
    env: { ...process.env, DATABASE_URL: database.url },
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("npm run cli", () => {
  it("prints usage and exits non-zero without a command or with an unknown one", () => {
    expect(cli()).toMatchObject({ code: 2, out: expect.stringContaining("Usage: npm run cli") });
    expect(cli("frobnicate", "now")).toMatchObject({
      code: 2,
      err: expect.stringContaining("Unknown command: frobnicate now"),
    });
    expect(cli("user", "add", "--email", "a@b.dev")).toMatchObject({
      code: 2,
      err: expect.stringContaining("needs --name, --role, --seniority"),
    });
  });

  it("adds a user with an argon2id hash and an audit event, and refuses a duplicate", async () => {
    const added = cli(
      "user",
      "add",
      "--email",
      "Grace@Example.com",
      "--name",
      "Grace Hopper",
      "--role",
      "LEAD",
      "--seniority",
      "PRINCIPAL",
      "--password",
      "a long enough password",
    );
    expect(added).toMatchObject({
      code: 0,
      out: expect.stringContaining("Created grace@example.com (LEAD, PRINCIPAL)"),
    });
    const [user] = await query<{ email: string; password_hash: string }>("SELECT email, password_hash FROM app_user");
    expect(user?.email).toBe("grace@example.com");
    expect(user?.password_hash).toMatch(/^\$argon2id\$/);

    expect(
      cli("user", "add", "--email", "grace@example.com", "--name", "G", "--role", "LEAD", "--seniority", "MID"),
    ).toMatchObject({
      code: 1,
      err: expect.stringContaining("already exists"),
    });

    const events = await query<{
      seq: string;
      at: Date;
      actor_id: string | null;
      actor_email: string | null;
      action: string;
      subject_type: string;
      subject_id: string;
      system_key: string | null;
      data: StoredEvent["data"];
      prev_hash: string;
      hash: string;
    }>("SELECT * FROM audit_event ORDER BY seq");
    expect(events.map((e) => e.action)).toEqual(["user.create"]);
    const stored: StoredEvent[] = events.map((e) => ({
      seq: BigInt(e.seq),
      at: e.at,
      actorId: e.actor_id,
      actorEmail: e.actor_email,
      action: e.action,
      subjectType: e.subject_type,
      subjectId: e.subject_id,
      systemKey: e.system_key,
      data: e.data,
      prevHash: e.prev_hash,
      hash: e.hash,
    }));
    expect(verifyChain(stored).ok).toBe(true);
  });

  it("refuses invalid input with the reason and writes nothing", async () => {
    const before = await query<{ n: string }>("SELECT count(*) AS n FROM app_user");
    expect(
      cli("user", "add", "--email", "not-an-email", "--name", "X", "--role", "BOSS", "--seniority", "MID"),
    ).toMatchObject({
      code: 1,
      err: expect.stringMatching(
        /email: Enter a valid email address; role: Role must be one of LEAD, ENGINEER, EXECUTIVE/,
      ),
    });
    expect(await query<{ n: string }>("SELECT count(*) AS n FROM app_user")).toEqual(before);
  });
});

describe("npm run cli -- token create", () => {
  it("prints a working token on its own line for an existing user, and refuses an unknown one", async () => {
    const created = cli("token", "create", "--email", "grace@example.com", "--name", "deploy bot");
    expect(created.code).toBe(0);
    const lines = created.out.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^rb_[A-Za-z0-9_-]{43}$/);
    const [row] = await query<{ name: string; token_hash: string }>("SELECT name, token_hash FROM api_token");
    expect(row?.name).toBe("deploy bot");
    expect(row?.token_hash).not.toContain(lines[0]!);

    expect(cli("token", "create", "--email", "nobody@example.com")).toMatchObject({
      code: 1,
      err: expect.stringContaining("no active user"),
    });
  });
});

// User administration and identity re-checks against a real database.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let database: AppTestDatabase;
let client: pg.Client;
let users: typeof import("@/lib/data/users");
let tokens: typeof import("@/lib/data/tokens");
let lead: Actor;

async function userId(email: string): Promise<string> {
  return (await client.query<{ id: string }>("SELECT id FROM app_user WHERE email = $1", [email])).rows[0]!.id;
}

beforeAll(async () => {
  database = await createAppTestDatabase();
  client = database.client;
  users = await import("@/lib/data/users");
  tokens = await import("@/lib/data/tokens");
  lead = {
    kind: "user",
    id: await userId("lead@resetboard.dev"),
    email: "lead@resetboard.dev",
    role: "LEAD",
    seniority: "PRINCIPAL",
  };
}, 120_000);

afterAll(async () => {
  await database?.close();
});

describe("transferAssignments", () => {
  it("hands every assignment to the successor, merges duplicates and never makes an owner a reviewer", async () => {
    const a = await users.createUser(lead, {
      email: "leaving@x.dev",
      name: "Leaving",
      role: "ENGINEER",
      seniority: "SENIOR",
    });
    const b = await users.createUser(lead, {
      email: "staying@x.dev",
      name: "Staying",
      role: "ENGINEER",
      seniority: "SENIOR",
    });
    const systems = (await client.query<{ id: string; key: string }>("SELECT id, key FROM system ORDER BY key LIMIT 3"))
      .rows;
    const [s1, s2, s3] = systems as [
      { id: string; key: string },
      { id: string; key: string },
      { id: string; key: string },
    ];
    // Clear both people's slots on these systems, then set up: s1 moves, s2 merges, s3 conflicts.
    await client.query("DELETE FROM assignment WHERE system_id = ANY($1) AND user_id = ANY($2)", [
      systems.map((s) => s.id),
      [a.id, b.id],
    ]);
    await client.query(
      `INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $4, 'OWNER'), ($2, $4, 'REVIEWER'), ($2, $5, 'REVIEWER'), ($3, $4, 'REVIEWER'), ($3, $5, 'OWNER')`,
      [s1.id, s2.id, s3.id, a.id, b.id],
    );

    const result = await users.transferAssignments(lead, { fromUserId: a.id, toUserId: b.id });
    expect(result).toEqual({
      moved: 1,
      merged: [s2.key],
      skipped: [
        { systemKey: s3.key, reason: "Staying is an owner there, and nobody may own and review the same system" },
      ],
    });
    const after = await client.query<{ key: string; user_id: string; kind: string }>(
      "SELECT s.key, a.user_id, a.kind FROM assignment a JOIN system s ON s.id = a.system_id WHERE a.user_id = ANY($1) ORDER BY s.key, a.kind",
      [[a.id, b.id]],
    );
    expect(after.rows).toEqual([
      { key: s1.key, user_id: b.id, kind: "OWNER" },
      { key: s2.key, user_id: b.id, kind: "REVIEWER" },
      { key: s3.key, user_id: b.id, kind: "OWNER" },
      { key: s3.key, user_id: a.id, kind: "REVIEWER" },
    ]);
    const events = await client.query<{ system_key: string }>(
      "SELECT system_key FROM audit_event WHERE action = 'assignment.transfer' ORDER BY seq",
    );
    expect(events.rows.map((e) => e.system_key).sort()).toEqual([s1.key, s2.key].sort());
  });

  it("refuses to hand work to an executive", async () => {
    const from = await userId("owner@resetboard.dev");
    const to = await userId("exec@resetboard.dev");
    await expect(users.transferAssignments(lead, { fromUserId: from, toUserId: to })).rejects.toThrow(
      /Executives are read-only/,
    );
  });
});

describe("session and token re-checks", () => {
  it("a session stops counting once the user is deactivated, and a revoked-sessions mark ends older sessions", async () => {
    const user = await users.createUser(lead, {
      email: "session@x.dev",
      name: "Session Person",
      role: "ENGINEER",
      seniority: "MID",
    });
    const signedInAt = Date.now();
    expect(await users.findSessionUser(user.id, signedInAt)).toMatchObject({ email: "session@x.dev" });
    await users.setUserActive(lead, { userId: user.id, active: false });
    expect(await users.findSessionUser(user.id, signedInAt)).toBeNull();
    await users.setUserActive(lead, { userId: user.id, active: true });
    // Reactivation does not revive the sessions that deactivation ended.
    expect(await users.findSessionUser(user.id, signedInAt)).toBeNull();
    expect(await users.findSessionUser(user.id, Date.now() + 1000)).toMatchObject({ email: "session@x.dev" });
  });

  it("a token works until it is revoked or its user is deactivated", async () => {
    const user = await users.createUser(lead, {
      email: "token@x.dev",
      name: "Token Person",
      role: "ENGINEER",
      seniority: "MID",
    });
    const self: Actor = { kind: "user", id: user.id, email: user.email, role: "ENGINEER", seniority: "MID" };
    const first = await tokens.createApiToken(self, user.id, { name: "one" });
    const second = await tokens.createApiToken(self, user.id, { name: "two" });
    expect(await tokens.authenticateApiToken(first.token)).toMatchObject({ id: user.id });
    await tokens.revokeApiToken(lead, first.apiToken.id);
    expect(await tokens.authenticateApiToken(first.token)).toBeNull();
    expect(await tokens.authenticateApiToken(second.token)).toMatchObject({ id: user.id });
    await users.setUserActive(lead, { userId: user.id, active: false });
    expect(await tokens.authenticateApiToken(second.token)).toBeNull();
    const stored = await client.query<{ token_hash: string }>("SELECT token_hash FROM api_token WHERE user_id = $1", [
      user.id,
    ]);
    expect(stored.rows.every((r) => r.token_hash !== first.token && r.token_hash !== second.token)).toBe(true);
  });

  it("a token's use is recorded at most once a minute, and an expired token is refused saying so", async () => {
    const user = await users.createUser(lead, {
      email: "token-use@x.dev",
      name: "Token User",
      role: "ENGINEER",
      seniority: "MID",
    });
    const self: Actor = { kind: "user", id: user.id, email: user.email, role: "ENGINEER", seniority: "MID" };
    const made = await tokens.createApiToken(self, user.id, { name: "use" });
    const lastUsed = async () =>
      (
        await client.query<{ at: Date | null }>("SELECT last_used_at AS at FROM api_token WHERE id = $1", [
          made.apiToken.id,
        ])
      ).rows[0]!.at;
    expect(await lastUsed()).toBeNull();
    expect(await tokens.authenticateApiToken(made.token)).toEqual({
      id: user.id,
      email: "token-use@x.dev",
      name: "Token User",
      role: "ENGINEER",
      seniority: "MID",
    });
    const first = await lastUsed();
    expect(first).not.toBeNull();
    await tokens.authenticateApiToken(made.token);
    expect(await lastUsed()).toEqual(first);
    // Older than the minute: the next use moves it forward.
    await client.query("UPDATE api_token SET last_used_at = now() - interval '2 minutes' WHERE id = $1", [
      made.apiToken.id,
    ]);
    await tokens.authenticateApiToken(made.token);
    expect((await lastUsed())!.getTime()).toBeGreaterThan(first!.getTime() - 1000);
    await client.query(
      "UPDATE api_token SET expires_at = now() - interval '1 day', last_used_at = NULL WHERE id = $1",
      [made.apiToken.id],
    );
    await expect(tokens.authenticateApiToken(made.token)).rejects.toThrow(/This API token expired on/);
    // A refused token's use is not recorded.
    expect(await lastUsed()).toBeNull();
  });

  it("an engineer cannot revoke someone else's token, and the refusal is on record", async () => {
    const owner = await users.createUser(lead, {
      email: "tok-owner@x.dev",
      name: "Tok Owner",
      role: "ENGINEER",
      seniority: "MID",
    });
    const other = await users.createUser(lead, {
      email: "tok-other@x.dev",
      name: "Tok Other",
      role: "ENGINEER",
      seniority: "MID",
    });
    const { apiToken } = await tokens.createApiToken(
      { kind: "user", id: owner.id, email: owner.email, role: "ENGINEER", seniority: "MID" },
      owner.id,
      { name: "mine" },
    );
    const intruder: Actor = { kind: "user", id: other.id, email: other.email, role: "ENGINEER", seniority: "MID" };
    await expect(tokens.revokeApiToken(intruder, apiToken.id)).rejects.toThrow("You can revoke only your own tokens.");
    const denied = await client.query<{ data: { attempted: string } }>(
      "SELECT data FROM audit_event WHERE action = 'authz.denied' AND actor_email = 'tok-other@x.dev'",
    );
    expect(denied.rows.map((r) => r.data.attempted)).toEqual(["token.revoke"]);
  });
});

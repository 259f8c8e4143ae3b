// The registry's bulk actions against a real Postgres: separation of duties on reviewer
// assignment, one audit event per changed system, all-or-nothing, leads only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let db: AppTestDatabase;
let lead: Actor;
let engineer: Actor;

async function actorFor(email: string): Promise<Actor> {
  const { rows } = await db.client.query<{ id: string; email: string; role: "LEAD"; seniority: "MID" }>(
    "SELECT id, email, role, seniority FROM app_user WHERE email = $1",
    [email],
  );
  return { kind: "user", ...rows[0]! };
}

async function auditSince(seq: string) {
  return (
    await db.client.query<{ action: string; system_key: string; data: Record<string, unknown> }>(
      "SELECT action, system_key, data FROM audit_event WHERE seq > $1 ORDER BY seq",
      [seq],
    )
  ).rows;
}

async function head(): Promise<string> {
  return (await db.client.query<{ seq: string }>("SELECT coalesce(max(seq), 0)::text AS seq FROM audit_event")).rows[0]!
    .seq;
}

beforeAll(async () => {
  db = await createAppTestDatabase();
  lead = await actorFor("lead@resetboard.dev");
  engineer = await actorFor("owner@resetboard.dev");
});

afterAll(async () => {
  await db?.close();
});

describe("bulk reviewer assignment", () => {
  it("assigns where allowed, skips systems the person owns (rule 4), and audits each change", async () => {
    const { bulkAssignReviewer } = await import("@/lib/data/systems-bulk");
    const person = "owner@resetboard.dev";
    const { rows: owned } = await db.client.query<{ key: string }>(
      "SELECT s.key FROM system s JOIN assignment a ON a.system_id = s.id JOIN app_user u ON u.id = a.user_id WHERE u.email = $1 AND a.kind = 'OWNER' ORDER BY s.key LIMIT 1",
      [person],
    );
    const { rows: free } = await db.client.query<{ key: string }>(
      "SELECT s.key FROM system s WHERE NOT EXISTS (SELECT 1 FROM assignment a JOIN app_user u ON u.id = a.user_id WHERE a.system_id = s.id AND u.email = $1) ORDER BY s.key LIMIT 2",
      [person],
    );
    const before = await head();
    const result = await bulkAssignReviewer(lead, {
      systems: [...free.map((r) => r.key), owned[0]!.key],
      reviewer: person,
    });
    expect(result.changed.sort()).toEqual(free.map((r) => r.key).sort());
    expect(result.skipped).toEqual([{ systemKey: owned[0]!.key, reason: expect.stringMatching(/owns it/) }]);
    const events = await auditSince(before);
    expect(events.map((e) => [e.action, e.system_key]).sort()).toEqual(
      free.map((r) => ["assignment.add", r.key]).sort(),
    );
    const { rows: kinds } = await db.client.query<{ key: string; kind: string }>(
      "SELECT s.key, a.kind FROM assignment a JOIN system s ON s.id = a.system_id JOIN app_user u ON u.id = a.user_id WHERE u.email = $1 AND s.key = ANY($2)",
      [person, [...free.map((r) => r.key), owned[0]!.key]],
    );
    expect(Object.fromEntries(kinds.map((k) => [k.key, k.kind]))).toEqual({
      ...Object.fromEntries(free.map((r) => [r.key, "REVIEWER"])),
      [owned[0]!.key]: "OWNER",
    });

    // Again: nothing left to do, nothing written.
    const again = await bulkAssignReviewer(lead, { systems: free.map((r) => r.key), reviewer: person });
    expect(again.changed).toEqual([]);
    expect(again.unchanged.sort()).toEqual(free.map((r) => r.key).sort());
  });
});

/** What a freshly loaded page shows for these systems: their updatedAt (the bulk edits' version). */
async function seenNow(keys: string[]): Promise<Record<string, string>> {
  const { rows } = await db.client.query<{ key: string; updated_at: Date }>(
    "SELECT key, updated_at FROM system WHERE key = ANY($1)",
    [keys],
  );
  return Object.fromEntries(rows.map((r) => [r.key, r.updated_at.toISOString()]));
}

describe("bulk team and tier", () => {
  it("needs the version the page showed for every system (428 without), writing nothing", async () => {
    const { bulkSetTier } = await import("@/lib/data/systems-bulk");
    const { rows } = await db.client.query<{ key: string }>("SELECT key FROM system ORDER BY key LIMIT 2");
    const before = await head();
    const keys = rows.map((r) => r.key);
    await expect(bulkSetTier(lead, { systems: keys, tier: "TIER_0" })).rejects.toMatchObject({ status: 428 });
    const partial = await seenNow(keys.slice(0, 1));
    await expect(bulkSetTier(lead, { systems: keys, tier: "TIER_0", seen: partial })).rejects.toMatchObject({
      status: 428,
      message: expect.stringContaining(keys[1]!),
    });
    expect(await auditSince(before)).toEqual([]);
  });

  it("changes only what differs, one audit event per changed system with from and to", async () => {
    const { bulkSetTier, bulkSetTeam } = await import("@/lib/data/systems-bulk");
    const { rows } = await db.client.query<{ key: string; tier: string; team: string }>(
      "SELECT key, tier, team FROM system ORDER BY key LIMIT 4",
    );
    const before = await head();
    const result = await bulkSetTier(lead, {
      systems: rows.map((r) => r.key),
      tier: "TIER_0",
      seen: await seenNow(rows.map((r) => r.key)),
    });
    expect(result.changed.sort()).toEqual(
      rows
        .filter((r) => r.tier !== "TIER_0")
        .map((r) => r.key)
        .sort(),
    );
    expect(result.unchanged.sort()).toEqual(
      rows
        .filter((r) => r.tier === "TIER_0")
        .map((r) => r.key)
        .sort(),
    );
    const events = await auditSince(before);
    expect(events).toHaveLength(result.changed.length);
    expect(events.every((e) => e.action === "system.update" && (e.data.tier as { to: string }).to === "TIER_0")).toBe(
      true,
    );

    const moved = await bulkSetTeam(lead, {
      systems: rows.slice(0, 2).map((r) => r.key),
      team: "  Platform Safety ",
      seen: await seenNow(rows.slice(0, 2).map((r) => r.key)),
    });
    expect(moved.team).toBe("Platform Safety");
    const { rows: teams } = await db.client.query<{ team: string }>(
      "SELECT DISTINCT team FROM system WHERE key = ANY($1)",
      [rows.slice(0, 2).map((r) => r.key)],
    );
    expect(teams).toEqual([{ team: "Platform Safety" }]);
  });

  it("refuses a team or tier change to a system that changed since the page was loaded (409), writing nothing", async () => {
    const { bulkSetTier } = await import("@/lib/data/systems-bulk");
    const { rows } = await db.client.query<{ key: string; updated_at: Date }>(
      "SELECT key, updated_at FROM system WHERE tier = 'TIER_2' ORDER BY key DESC LIMIT 2",
    );
    const seen = Object.fromEntries(rows.map((r) => [r.key, r.updated_at.toISOString()]));
    // Someone else changes the first system after the page was loaded.
    await bulkSetTier(lead, { systems: [rows[0]!.key], tier: "TIER_1", seen });
    const before = await head();
    await expect(bulkSetTier(lead, { systems: rows.map((r) => r.key), tier: "TIER_0", seen })).rejects.toMatchObject({
      status: 409,
      message: expect.stringContaining(rows[0]!.key),
    });
    expect(await auditSince(before)).toEqual([]);
    const { rows: tiers } = await db.client.query<{ key: string; tier: string }>(
      "SELECT key, tier FROM system WHERE key = ANY($1) ORDER BY key DESC",
      [rows.map((r) => r.key)],
    );
    expect(tiers[0]!.tier).toBe("TIER_1");
    expect(tiers[1]!.tier).toBe("TIER_2");
  });

  it("writes nothing when one selected system does not exist", async () => {
    const { bulkSetTier } = await import("@/lib/data/systems-bulk");
    const { rows } = await db.client.query<{ key: string }>(
      "SELECT key FROM system WHERE tier <> 'TIER_2' ORDER BY key LIMIT 2",
    );
    const before = await head();
    await expect(
      bulkSetTier(lead, { systems: [...rows.map((r) => r.key), "no-such-system"], tier: "TIER_2" }),
    ).rejects.toThrow(/no-such-system/);
    expect(await auditSince(before)).toEqual([]);
    const { rows: after } = await db.client.query<{ tier: string }>("SELECT tier FROM system WHERE key = ANY($1)", [
      rows.map((r) => r.key),
    ]);
    expect(after.every((r) => r.tier !== "TIER_2")).toBe(true);
  });

  it("refuses engineers (deny by default), recording only the refusal", async () => {
    const { bulkSetTeam, bulkAssignReviewer } = await import("@/lib/data/systems-bulk");
    const before = await head();
    await expect(bulkSetTeam(engineer, { systems: ["anything"], team: "X" })).rejects.toThrow(/Only a program lead/);
    await expect(
      bulkAssignReviewer(engineer, { systems: ["anything"], reviewer: "lead@resetboard.dev" }),
    ).rejects.toThrow(/Only a program lead/);
    expect((await auditSince(before)).map((e) => e.action)).toEqual(["authz.denied", "authz.denied"]);
  });

  it("validates the input", async () => {
    const { bulkSetTier } = await import("@/lib/data/systems-bulk");
    await expect(bulkSetTier(lead, { systems: [], tier: "TIER_0" })).rejects.toThrow(/Select at least one system/);
    await expect(bulkSetTier(lead, { systems: ["a"], tier: "TIER_9" })).rejects.toThrow(/Tier must be/);
  });
});

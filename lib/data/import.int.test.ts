// The systems CSV import against a real Postgres: a 400-row file with
// 3 bad rows reports exactly those rows and writes nothing; fixed, it creates or updates exactly
// 400 systems; again, it changes nothing; a failure in the middle of apply leaves no trace.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let db: AppTestDatabase;
let lead: Actor;
let existingKeys: string[];

const HEADER = "key,name,team,tier,ai_assisted,description,repo_url,runbook_url,owners,reviewers";

function row(
  i: number,
  key: string,
  overrides: Partial<Record<"tier" | "owners" | "key" | "team" | "repo", string>> = {},
): string {
  const tier = overrides.tier ?? ["TIER_0", "TIER_1", "TIER_2"][i % 3];
  const team = overrides.team ?? ["Payments", "Identity", "Fraud & Risk"][i % 3];
  const description = i % 7 === 0 ? `"Imported, with a ""quoted"" note\nover two lines"` : `Imported system ${i}`;
  const repo = overrides.repo ?? `https://git.example.com/${key}`;
  const owners = overrides.owners ?? "owner@resetboard.dev";
  return [
    overrides.key ?? key,
    `Imported ${i}`,
    team,
    tier,
    i % 2 ? "true" : "false",
    description,
    repo,
    "",
    owners,
    "reviewer@resetboard.dev;JUNIOR@resetboard.dev",
  ].join(",");
}

/** 400 rows: the 30 seeded systems (updated) and 370 new ones; `bad` swaps in broken rows. */
function file(bad: Record<number, string> = {}, eol = "\r\n"): string {
  const keys = [
    ...existingKeys,
    ...Array.from({ length: 400 - existingKeys.length }, (_, i) => `imported-${String(i).padStart(3, "0")}`),
  ];
  const rows = keys.map((key, i) => bad[i] ?? row(i, key));
  return `\uFEFF${HEADER}${eol}${rows.join(eol)}${eol}`;
}

async function snapshot() {
  const q = async (sql: string) => (await db.client.query(sql)).rows;
  return {
    systems: await q(
      "SELECT key, name, team, tier, ai_assisted, description, repo_url, runbook_url, updated_at FROM system ORDER BY key",
    ),
    checkpoints: await q("SELECT count(*) AS n FROM checkpoint"),
    assignments: await q("SELECT system_id, user_id, kind FROM assignment ORDER BY system_id, user_id"),
    audit: await q("SELECT max(seq) AS seq FROM audit_event"),
  };
}

beforeAll(async () => {
  db = await createAppTestDatabase();
  const { rows } = await db.client.query<{ id: string; email: string; role: "LEAD"; seniority: "PRINCIPAL" }>(
    "SELECT id, email, role, seniority FROM app_user WHERE email = 'lead@resetboard.dev'",
  );
  lead = { kind: "user", ...rows[0]! };
  existingKeys = (await db.client.query<{ key: string }>("SELECT key FROM system ORDER BY key")).rows.map((r) => r.key);
  expect(existingKeys).toHaveLength(30);
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("importing systems from CSV", () => {
  it("reports exactly the 3 bad rows with their row numbers, and neither the dry run nor apply writes anything", async () => {
    const { previewImport, applyImport } = await import("@/lib/data/import");
    // Rows in the file are numbered as a spreadsheet does: the header is row 1, so index i is row i + 2.
    const text = file({
      40: row(40, "imported-bad-tier", { tier: "TIER_9" }),
      41: row(41, "imported-unknown-owner", { owners: "nobody@example.com" }),
      42: row(42, "imported-dup", { key: existingKeys[3] }),
    });
    const before = await snapshot();
    const preview = await previewImport(lead, text);
    expect(preview.errors.map((e) => [e.row, e.column])).toEqual([
      [42, "tier"],
      [43, "owners"],
      [44, "key"],
    ]);
    expect(preview.errors[1]!.message).toMatch(/No user has the email nobody@example.com/);
    expect(preview.errors[2]!.message).toMatch(/already used on row 5/);
    expect(preview.rows).toBe(400);
    const applied = await applyImport(lead, text);
    expect(applied.applied).toBe(false);
    expect(applied.errors).toHaveLength(3);
    expect(await snapshot()).toEqual(before);
  });

  it("reports bad team format, bad links, missing fields, owner-as-reviewer and a broken header per row", async () => {
    const { previewImport } = await import("@/lib/data/import");
    const text = [
      HEADER,
      row(1, "fine-one"),
      row(2, "bad-team", { team: "=HYPERLINK(1)", owners: "ghost@example.com" }),
      row(3, "bad-repo", { repo: "javascript:alert(1)" }),
      ",No key,Payments,TIER_1,false,,,,,",
      "both-ways,Both,Payments,TIER_1,false,,,,owner@resetboard.dev,owner@resetboard.dev",
      "short,row",
    ].join("\n");
    const preview = await previewImport(lead, text);
    // A row's every problem is reported, unknown people included, not just the first kind.
    expect(preview.errors.map((e) => [e.row, e.column])).toEqual([
      [3, "team"],
      [3, "owners"],
      [4, "repo_url"],
      [5, "key"],
      [6, "reviewers"],
      [7, null],
    ]);
    expect((await previewImport(lead, "key,name\nx,y\n")).errors[0]).toMatchObject({
      row: 1,
      message: expect.stringMatching(/missing column\(s\) team, tier/),
    });
  });

  it("applies the fixed file: exactly 400 systems created or updated, one audit event each, checkpoints for new ones", async () => {
    const { applyImport, previewImport } = await import("@/lib/data/import");
    const text = file();
    let started = performance.now();
    const preview = await previewImport(lead, text);
    console.log(`[import] dry run of 400 rows in ${Math.round(performance.now() - started)} ms`);
    expect(preview).toMatchObject({ rows: 400, create: 370, update: 30, unchanged: 0, errors: [] });
    const before = await snapshot();
    const progress: number[] = [];
    started = performance.now();
    const result = await applyImport(lead, text, { onProgress: (p) => progress.push(p.done) });
    const ms = performance.now() - started;
    console.log(`[import] applied 400 rows (370 new, 30 updated) in ${Math.round(ms)} ms`);
    expect(result).toMatchObject({ applied: true, create: 370, update: 30, unchanged: 0, errors: [] });
    // Progress is reported as chunks of rows are written, rising to the total.
    expect(progress.length).toBeGreaterThanOrEqual(8);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(400);
    const after = await snapshot();
    expect(after.systems).toHaveLength(400);
    expect(Number(after.checkpoints[0].n) - Number(before.checkpoints[0].n)).toBe(370 * 8);
    const events = await db.client.query<{ action: string; n: string }>(
      "SELECT action, count(*) AS n FROM audit_event WHERE seq > $1 GROUP BY action ORDER BY action",
      [before.audit[0].seq],
    );
    expect(events.rows).toEqual([
      { action: "system.create", n: "370" },
      { action: "system.update", n: "30" },
    ]);
    const sample = await db.client.query(
      "SELECT s.description, s.team, (SELECT count(*) FROM assignment a WHERE a.system_id = s.id) AS people FROM system s WHERE key = 'imported-000'",
    );
    expect(sample.rows[0]).toMatchObject({ team: "Payments", people: "3" });
    const { verifyAuditChain } = await import("@/lib/data/audit");
    expect(await verifyAuditChain({ kind: "system", label: "test" })).toMatchObject({ ok: true });
    const quoted = await db.client.query("SELECT description FROM system WHERE key = $1", [existingKeys[0]]);
    expect(quoted.rows[0].description).toBe('Imported, with a "quoted" note\nover two lines');
  });

  it("changes nothing and writes no audit event when the same file is imported again (LF line endings too)", async () => {
    const { applyImport } = await import("@/lib/data/import");
    const before = await snapshot();
    const again = await applyImport(lead, file({}, "\n"));
    expect(again).toMatchObject({ applied: true, create: 0, update: 0, unchanged: 400 });
    expect(await snapshot()).toEqual(before);
  });

  it("leaves the database unchanged when apply fails in the middle", async () => {
    const { applyImport } = await import("@/lib/data/import");
    // A row that passes validation but that the database refuses, half way through the file.
    await db.client.query(`
      CREATE FUNCTION refuse_poison() RETURNS trigger AS $$
      BEGIN IF NEW.key = 'imported-poison' THEN RAISE EXCEPTION 'injected failure'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_poison BEFORE INSERT ON system FOR EACH ROW EXECUTE FUNCTION refuse_poison();`);
    try {
      const text = file({
        5: row(5, existingKeys[5]!, { tier: "TIER_0", team: "Changed Team" }),
        200: row(200, "imported-poison"),
      }).replace(/imported-3(\d\d)/g, "later-3$1");
      const before = await snapshot();
      let progress = 0;
      await expect(applyImport(lead, text, { onProgress: (p) => (progress = p.done) })).rejects.toThrow(
        /injected failure/,
      );
      expect(progress).toBeGreaterThan(100);
      expect(await snapshot()).toEqual(before);
    } finally {
      await db.client.query("DROP TRIGGER refuse_poison ON system; DROP FUNCTION refuse_poison();");
    }
  });

  it("is for leads only: others are refused and only the refusal is recorded", async () => {
    const { previewImport } = await import("@/lib/data/import");
    const { rows } = await db.client.query(
      "SELECT id, email, role, seniority FROM app_user WHERE email = 'owner@resetboard.dev'",
    );
    const before = await snapshot();
    await expect(previewImport({ kind: "user", ...rows[0] }, file())).rejects.toMatchObject({ status: 403 });
    const after = await snapshot();
    expect(after.systems).toEqual(before.systems);
    const events = await db.client.query("SELECT action FROM audit_event WHERE seq > $1", [before.audit[0].seq]);
    expect(events.rows.map((e) => e.action)).toEqual(["authz.denied"]);
  });
});

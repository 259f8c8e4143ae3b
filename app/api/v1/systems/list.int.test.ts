// GET /api/v1/systems and the registry reads behind the /systems page and its exports, against
// a real Postgres: filters, sorting, paging, 400s for bad parameters, the SQL's health and
// progress agreeing with lib/domain, and a constant number of SQL statements per listing
// whatever the data size and page size (counted at the pg driver, tests/sql-counter.ts).
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { countSql } from "@/tests/sql-counter";
import { session } from "@/tests/api";

vi.mock("@/lib/auth/session", () => import("@/tests/api").then((m) => m.sessionModule));

type Item = {
  key: string;
  name: string;
  team: string;
  tier: string;
  health: string;
  owners: { email: string; name: string; role: string; seniority: string }[];
  reviewers: { email: string }[];
  progress: { approved: number; waived: number; total: number };
  nextDue: { milestone: string; dueOn: string } | null;
  milestoneStatus: string | null;
};
type Page = { items: Item[]; page: number; pageSize: number; total: number };

let db: AppTestDatabase;

async function get(
  query: string,
): Promise<{ status: number; body: Page & { errors?: Record<string, string[]> }; type: string | null }> {
  const { GET } = await import("./route");
  const response = await GET(new Request(`http://test/api/v1/systems${query}`), { params: Promise.resolve({}) });
  return { status: response.status, body: await response.json(), type: response.headers.get("content-type") };
}

async function all(query: string): Promise<Item[]> {
  const { body } = await get(`${query}${query.includes("?") ? "&" : "?"}pageSize=200`);
  return body.items;
}

beforeAll(async () => {
  db = await createAppTestDatabase();
  // The demo archives one system (rule 15, tested in lib/data/my-work.int.test.ts); these tests
  // are about listing every system, so all 30 are active here.
  await db.client.query("UPDATE system SET archived_at = NULL, archived_reason = NULL");
  const { rows } = await db.client.query<SessionUser>(
    "SELECT id, email, name, role, seniority FROM app_user WHERE email = 'exec@resetboard.dev'",
  );
  session.user = rows[0]!;
});

afterAll(async () => {
  await db?.close();
});

describe("GET /api/v1/systems", () => {
  it("pages the registry with totals", async () => {
    const first = await get("?pageSize=7");
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 1, pageSize: 7, total: 30 });
    expect(first.body.items).toHaveLength(7);
    const last = await get("?pageSize=7&page=5");
    expect(last.body.items).toHaveLength(2);
    const keys = new Set([...(await all("")).map((i) => i.key)]);
    expect(keys.size).toBe(30);
    // A page past the end answers the last page rather than nothing.
    expect((await get("?pageSize=7&page=99")).body.page).toBe(5);
    const item = first.body.items[0]!;
    expect(Object.keys(item)).toEqual(
      expect.arrayContaining([
        "key",
        "name",
        "team",
        "tier",
        "aiAssisted",
        "description",
        "owners",
        "reviewers",
        "progress",
        "health",
        "nextDue",
      ]),
    );
    expect(Object.keys(item.owners[0] ?? { email: 1, name: 1, role: 1, seniority: 1 }).sort()).toEqual([
      "email",
      "name",
      "role",
      "seniority",
    ]);
  });

  it("filters by team, tier and health, as repeated parameters or comma lists", async () => {
    const everything = await all("");
    const team = everything[0]!.team;
    expect((await all(`?team=${encodeURIComponent(team)}`)).map((i) => i.key).sort()).toEqual(
      everything
        .filter((i) => i.team === team)
        .map((i) => i.key)
        .sort(),
    );
    const tiers = (await all("?tier=TIER_0,TIER_1")).map((i) => i.key).sort();
    expect(tiers).toEqual(
      everything
        .filter((i) => i.tier !== "TIER_2")
        .map((i) => i.key)
        .sort(),
    );
    expect((await all("?tier=TIER_0&tier=TIER_1")).map((i) => i.key).sort()).toEqual(tiers);
    for (const health of ["OVERDUE", "AT_RISK", "ON_TRACK", "DONE"]) {
      expect((await all(`?health=${health}`)).map((i) => i.key).sort()).toEqual(
        everything
          .filter((i) => i.health === health)
          .map((i) => i.key)
          .sort(),
      );
    }
  });

  it("filters by owner and reviewer email, free text, and a milestone's status", async () => {
    const everything = await all("");
    const owner = everything.find((i) => i.owners.length)!.owners[0]!.email;
    expect((await all(`?owner=${owner}`)).map((i) => i.key).sort()).toEqual(
      everything
        .filter((i) => i.owners.some((o) => o.email === owner))
        .map((i) => i.key)
        .sort(),
    );
    const reviewer = everything.find((i) => i.reviewers.length)!.reviewers[0]!.email;
    expect((await all(`?reviewer=${reviewer.toUpperCase()}`)).map((i) => i.key).sort()).toEqual(
      everything
        .filter((i) => i.reviewers.some((o) => o.email === reviewer))
        .map((i) => i.key)
        .sort(),
    );
    const word = everything[3]!.key.split("-")[1]!;
    expect((await all(`?q=${word.toUpperCase()}`)).map((i) => i.key).sort()).toEqual(
      everything
        .filter((i) => [i.key, i.name, i.team].some((v) => v.toLowerCase().includes(word)))
        .map((i) => i.key)
        .sort(),
    );
    const { rows } = await db.client.query<{ key: string; status: string }>(
      "SELECT s.key, c.status FROM checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id WHERE m.key = 'inventory'",
    );
    const withMilestone = await all("?milestone=inventory&mstatus=APPROVED,SUBMITTED");
    expect(withMilestone.map((i) => i.key).sort()).toEqual(
      rows
        .filter((r) => ["APPROVED", "SUBMITTED"].includes(r.status))
        .map((r) => r.key)
        .sort(),
    );
    expect(withMilestone.every((i) => i.milestoneStatus === "APPROVED" || i.milestoneStatus === "SUBMITTED")).toBe(
      true,
    );
  });

  it("sorts by any column, both ways, with the key breaking ties", async () => {
    const byDue = await all("?sort=nextDue&dir=asc");
    const dues = byDue.map((i) => i.nextDue?.dueOn ?? "9999");
    expect(dues).toEqual([...dues].sort());
    const byName = await all("?sort=name&dir=desc");
    const names = byName.map((i) => i.name.toLowerCase());
    expect(names).toEqual([...names].sort().reverse());
    for (const sort of [
      "key",
      "team",
      "tier",
      "aiAssisted",
      "owners",
      "reviewers",
      "progress",
      "milestone",
      "health",
      "lastActivity",
    ]) {
      const { status, body } = await get(`?sort=${sort}&dir=desc&pageSize=200`);
      expect(status).toBe(200);
      expect(body.items).toHaveLength(30);
    }
  });

  it("answers 400 problem+json naming each bad parameter, and never 5xx", async () => {
    const bad = await get("?tier=TIER_9&pageSize=500&owner=not-an-email&sort=colour&dir=up&page=0&mstatus=APPROVED");
    expect(bad.status).toBe(400);
    expect(bad.type).toContain("application/problem+json");
    expect(
      Object.keys(bad.body.errors!)
        .map((k) => k.split(".")[0])
        .sort(),
    ).toEqual(expect.arrayContaining(["dir", "owner", "page", "pageSize", "sort", "tier"]));
    expect((await get("?mstatus=APPROVED")).status).toBe(400);
    expect((await get("?q=%25%27%3B%20DROP")).status).toBe(200);
  });

  it("computes progress, health and the next due checkpoint exactly as the system detail does (lib/domain)", async () => {
    const { getSystemDetail } = await import("@/lib/data/checkpoints/system-detail");
    const { actorOf } = await import("@/lib/auth/session");
    for (const item of await all("")) {
      const detail = await getSystemDetail(actorOf(session.user!), item.key);
      expect({ key: item.key, progress: item.progress, health: item.health, nextDue: item.nextDue }).toEqual({
        key: detail.key,
        progress: detail.progress,
        health: detail.health,
        nextDue: detail.nextDue,
      });
    }
  });
});

describe("statements per listing (no N+1)", () => {
  async function listing(query: string) {
    const { statements, result } = await countSql(() => get(query));
    expect(result.status).toBe(200);
    return { statements, items: result.body.items.length };
  }

  async function pageLoad(query: Record<string, string>) {
    const { listSystems, systemFilterOptions } = await import("@/lib/data/systems");
    const { actorOf } = await import("@/lib/auth/session");
    const actor = actorOf(session.user!);
    return countSql(() => Promise.all([listSystems(actor, query), systemFilterOptions(actor)]));
  }

  it("is the same small number at two data sizes and two page sizes", async () => {
    const small = await listing("?pageSize=5&sort=owners");
    const smallPage = await pageLoad({ pageSize: "5", sort: "lastActivity" });
    expect(small.items).toBe(5);

    // 200 more systems, each with a checkpoint per milestone, an owner and a reviewer.
    await db.client.query(
      `INSERT INTO system (key, name, team, tier, updated_at) SELECT 'bulk-' || g, 'Bulk ' || g, 'Bulk', 'TIER_1', now() FROM generate_series(1, 200) g`,
    );
    await db.client.query(`INSERT INTO checkpoint (system_id, milestone_id, due_on, updated_at)
                           SELECT s.id, m.id, p.starts_on + m.due_day, now() FROM system s CROSS JOIN milestone m JOIN program p ON p.id = m.program_id AND p.active
                            WHERE s.key LIKE 'bulk-%'`);
    await db.client.query(`INSERT INTO assignment (system_id, user_id, kind)
                           SELECT s.id, u.id, k.kind::assignment_kind FROM system s
                             CROSS JOIN (VALUES ('OWNER', 'owner@resetboard.dev'), ('REVIEWER', 'reviewer@resetboard.dev')) AS k(kind, email)
                             JOIN app_user u ON u.email = k.email
                            WHERE s.key LIKE 'bulk-%'`);

    const large = await listing("?pageSize=200&sort=owners");
    const largePage = await pageLoad({ pageSize: "200", sort: "lastActivity" });
    expect(large.items).toBe(200);
    expect((await get("?pageSize=1")).body.total).toBe(230);

    expect(large.statements.length).toBe(small.statements.length);
    expect(largePage.statements.length).toBe(smallPage.statements.length);
    // One statement checks for expired waivers to lapse (rule 8), one lists a page (filters,
    // aggregates, people, total); the page adds one for its filter choices.
    expect(small.statements.length).toBe(2);
    expect(smallPage.statements.length).toBe(3);
  });
});

describe("CSV exports", () => {
  it("exports every row of the view in its order, not just a page", async () => {
    const { systemsCsv, programCsv } = await import("@/lib/data/systems-export");
    const { actorOf } = await import("@/lib/auth/session");
    const actor = actorOf(session.user!);
    const view = { tier: "TIER_0,TIER_2", sort: "nextDue", dir: "desc", pageSize: "5" } as const;
    const csv = await systemsCsv(actor, view);
    const lines = csv.trimEnd().split("\r\n");
    const expected = (await all("?tier=TIER_0,TIER_2&sort=nextDue&dir=desc")).map((i) => i.key);
    expect(lines[0]).toMatch(/^key,name,team,tier,/);
    expect(lines.slice(1).map((l) => l.split(",")[0])).toEqual(expected);
    expect(expected.length).toBeGreaterThan(5);

    const program = (await programCsv(actor)).trimEnd().split("\r\n");
    const { rows } = await db.client.query<{ n: string }>(
      "SELECT count(*) AS n FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active",
    );
    expect(program.length - 1).toBe(Number(rows[0]!.n));
    const approved = program.filter((l) => l.includes(",APPROVED,"));
    expect(approved.length).toBeGreaterThan(0);
    // Every approved checkpoint names at least one approver of its current round.
    expect(approved.every((l) => /@resetboard\.dev/.test(l))).toBe(true);
  });
});

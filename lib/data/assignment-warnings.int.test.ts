// Rule 14's assignment warning from every way of assigning people, against a real Postgres: the
// bulk assign and the CSV import warn of exactly the milestones the system page flags "no eligible
// reviewer" (one rule: reviewerShortfall), naming the milestone and why.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/data/actor";
import type { SessionUser } from "@/lib/auth/session";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

// The import engine's route reads the session; the rest of it runs for real.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({
  getSessionUser: async () => session.user,
  actorOf: (user: SessionUser) => ({ kind: "user", ...user }),
}));

let db: AppTestDatabase;
let lead: Actor;

async function user(email: string) {
  const { rows } = await db.client.query<{ id: string; email: string; role: "LEAD"; seniority: "PRINCIPAL" }>(
    "SELECT id, email, role, seniority FROM app_user WHERE email = $1",
    [email],
  );
  return rows[0]!;
}

/** What the system page says: each open checkpoint's "no eligible reviewer" sentence. */
async function pageFlags(key: string) {
  const { getSystemDetail } = await import("@/lib/data/checkpoints/system-detail");
  const detail = await getSystemDetail(lead, key);
  return detail.checkpoints
    .filter((c) => c.noEligibleReviewer)
    .map((c) => ({ milestone: c.milestone, reason: c.noEligibleReviewer }));
}

beforeAll(async () => {
  db = await createAppTestDatabase();
  lead = { kind: "user", ...(await user("lead@resetboard.dev")) };
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("the bulk assign warns of milestones left without an eligible reviewer", () => {
  it("names each milestone and why, as the system page does, until the assignments can reach the quorum", async () => {
    const { createSystem } = await import("@/lib/data/system-admin");
    const { bulkAssignReviewer } = await import("@/lib/data/systems-bulk");
    for (const key of ["warn-tier0", "warn-tier2"])
      await createSystem(lead, {
        key,
        name: key,
        team: "Payments",
        tier: key === "warn-tier0" ? "TIER_0" : "TIER_2",
        owners: ["owner@resetboard.dev"],
      });

    // A junior alone: too junior for most milestones, and Tier 0 needs two approvals anyway.
    const junior = await bulkAssignReviewer(lead, {
      systems: ["warn-tier0", "warn-tier2"],
      reviewer: "junior@resetboard.dev",
    });
    expect(junior.changed.sort()).toEqual(["warn-tier0", "warn-tier2"]);
    const tier0 = junior.warnings.filter((w) => w.systemKey === "warn-tier0");
    const { rows: milestones } = await db.client.query<{ key: string }>(
      "SELECT m.key FROM milestone m JOIN program p ON p.id = m.program_id WHERE p.active ORDER BY m.sequence",
    );
    // Tier 0: every milestone needs two approvals, and one reviewer can give at most one.
    expect(tier0.map((w) => w.milestone)).toEqual(milestones.map((m) => m.key));
    for (const w of tier0) expect(w.reason).toMatch(/^Needs 2 approvals/);
    for (const key of ["warn-tier0", "warn-tier2"])
      expect(
        junior.warnings.filter((w) => w.systemKey === key).map((w) => ({ milestone: w.milestone, reason: w.reason })),
      ).toEqual(await pageFlags(key));

    // A senior and a principal who own neither: both systems can now be signed off.
    const { rows: seniors } = await db.client.query<{ email: string }>(
      `SELECT email FROM app_user WHERE active AND role <> 'EXECUTIVE' AND seniority IN ('SENIOR', 'PRINCIPAL')
         AND email NOT LIKE '%service-account.invalid' AND email <> 'owner@resetboard.dev' ORDER BY email LIMIT 2`,
    );
    expect(seniors).toHaveLength(2);
    const first = await bulkAssignReviewer(lead, {
      systems: ["warn-tier0", "warn-tier2"],
      reviewer: seniors[0]!.email,
    });
    expect(first.warnings.filter((w) => w.systemKey === "warn-tier2")).toEqual([]);
    expect(first.warnings.filter((w) => w.systemKey === "warn-tier0").length).toBe(milestones.length);
    expect(first.warnings[0]!.reason).toMatch(/only 1 can/);
    const second = await bulkAssignReviewer(lead, { systems: ["warn-tier0"], reviewer: seniors[1]!.email });
    expect(second.warnings).toEqual([]);
    expect(await pageFlags("warn-tier0")).toEqual([]);
  });
});

describe("the CSV import warns of milestones left without an eligible reviewer", () => {
  it("answers the applied report with the file's flagged milestones, as the system page flags them", async () => {
    const route = await import("@/app/(app)/systems/import/run/route");
    session.user = { ...(await user("lead@resetboard.dev")), name: "Lead" } as SessionUser;
    const csv = [
      "key,name,team,tier,ai_assisted,description,repo_url,runbook_url,owners,reviewers",
      "csv-tier0,Imported Tier 0,Payments,TIER_0,false,,,,owner@resetboard.dev,reviewer@resetboard.dev",
      "csv-tier2,Imported Tier 2,Payments,TIER_2,false,,,,owner@resetboard.dev,reviewer@resetboard.dev",
    ].join("\n");
    const form = new FormData();
    form.set("mode", "apply");
    form.set("file", new File([csv], "systems.csv", { type: "text/csv" }));
    const response = await route.POST(
      new Request("http://test/systems/import/run", { method: "POST", body: form, headers: { host: "test" } }),
    );
    expect(response.status).toBe(200);
    const events = (await response.text())
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; report?: { applied: boolean }; warnings?: unknown[] });
    const result = events.at(-1)!;
    expect(result.type).toBe("result");
    expect(result.report!.applied).toBe(true);
    const warnings = result.warnings as { systemKey: string; milestone: string; reason: string }[];
    // One senior reviewer on Tier 0: every milestone needs two.
    expect(warnings.filter((w) => w.systemKey === "csv-tier0").length).toBeGreaterThan(0);
    for (const key of ["csv-tier0", "csv-tier2"])
      expect(
        warnings.filter((w) => w.systemKey === key).map((w) => ({ milestone: w.milestone, reason: w.reason })),
      ).toEqual(await pageFlags(key));
  });
});

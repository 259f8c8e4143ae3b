// Service accounts are not people (docs/RULES.md section 6): against a real Postgres, a pipeline's
// account — even one assigned as a reviewer by hand in the database — appears in no list of
// people (Admin → Users, the assignment pickers, the people filter, the reviewer-load chart), and
// the assignment commands refuse it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let db: AppTestDatabase;
let lead: Actor;

beforeAll(async () => {
  db = await createAppTestDatabase();
  const { rows } = await db.client.query<{ id: string; email: string; role: "LEAD"; seniority: "PRINCIPAL" }>(
    "SELECT id, email, role, seniority FROM app_user WHERE email = 'lead@resetboard.dev'",
  );
  lead = { kind: "user", ...rows[0]! };
}, 120_000);

afterAll(async () => {
  await db?.close();
});

describe("service accounts are hidden from people pickers", () => {
  it("leaves them out of every list of people, and refuses to assign them", async () => {
    const { createServiceAccount } = await import("@/lib/data/service-accounts");
    const { listUsers } = await import("@/lib/data/users");
    const { listAssignableUsers, setAssignments, getSystemForEdit } = await import("@/lib/data/system-admin");
    const { searchPeople } = await import("@/lib/data/people-search");
    const { reviewerLoad } = await import("@/lib/data/review-pool");
    const { bulkAssignReviewer } = await import("@/lib/data/systems-bulk");

    await createServiceAccount(lead, { name: "Deploy pipeline", teams: ["Payments"] });
    const { rows: sa } = await db.client.query<{ id: string; email: string }>(
      "SELECT id, email FROM app_user WHERE email LIKE '%@service-account.invalid' ORDER BY created_at DESC LIMIT 1",
    );
    const account = sa[0]!;
    // A system with a submitted checkpoint that the senior demo reviewer can sign now.
    const { rows: target } = await db.client.query<{ system_id: string; key: string; program_id: string }>(
      `SELECT s.id AS system_id, s.key, m.program_id FROM checkpoint c JOIN system s ON s.id = c.system_id
         JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active
         JOIN assignment a ON a.system_id = s.id AND a.kind = 'REVIEWER'
         JOIN app_user u ON u.id = a.user_id AND u.email = 'reviewer@resetboard.dev'
        WHERE c.status = 'SUBMITTED' AND s.archived_at IS NULL AND s.tier <> 'TIER_0'
        ORDER BY s.key LIMIT 1`,
    );
    const system = target[0]!;
    // Data written around the app (an old import, a hand edit): the account as a senior reviewer.
    await db.client.query("UPDATE app_user SET seniority = 'SENIOR' WHERE id = $1", [account.id]);
    await db.client.query("INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $2, 'REVIEWER')", [
      system.system_id,
      account.id,
    ]);

    const users = (await listUsers(lead)).map((u) => u.email);
    expect(users).toContain("reviewer@resetboard.dev");
    expect(users).not.toContain(account.email);
    const assignable = (await listAssignableUsers(lead)).map((u) => u.email);
    expect(assignable).toContain("reviewer@resetboard.dev");
    expect(assignable).not.toContain(account.email);
    // The people pickers: found by part of the e-mail, never the account, even searched by its address.
    expect((await searchPeople(lead, { q: "REVIEWER@resetboard" })).map((p) => p.email)).toContain(
      "reviewer@resetboard.dev",
    );
    expect(await searchPeople(lead, { q: account.email })).toEqual([]);
    const load = (await reviewerLoad()).map((r) => r.email);
    expect(load).toContain("reviewer@resetboard.dev");
    expect(load).not.toContain(account.email);

    await expect(bulkAssignReviewer(lead, { systems: [system.key], reviewer: account.email })).rejects.toThrow(
      /service account/,
    );
    const edit = await getSystemForEdit(lead, system.key);
    await expect(
      setAssignments(lead, system.key, {
        owners: edit.owners,
        reviewers: [...edit.reviewers.filter((e) => e !== account.email), account.email],
        version: edit.assignmentsVersion,
      }),
    ).rejects.toMatchObject({ errors: { reviewers: [expect.stringMatching(/service account/)] } });
  });
});

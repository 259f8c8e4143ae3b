// The demo's production changes: believable, consistent with the change gate's rules, on record.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliActor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";

let db: AppTestDatabase;

beforeAll(async () => {
  db = await createAppTestDatabase();
}, 120_000);
afterAll(async () => {
  await db?.close();
});

describe("the seeded changes", () => {
  it("span several program weeks, with AI-assisted work of juniors and mids waiting on a senior, shipped changes and a rollback", async () => {
    const { listChanges } = await import("@/lib/data/changes");
    const all = await listChanges(cliActor(), { limit: 200 });
    expect(all.length).toBeGreaterThan(20);
    const weeks = new Set(
      all.map((c) => Math.floor((Date.parse(c.createdAt) - Date.parse("2026-10-18T00:00:00Z")) / (7 * 86_400_000))),
    );
    expect(weeks.size).toBeGreaterThanOrEqual(3);
    const waitingOnSenior = all.filter(
      (c) =>
        c.status === "blocked" &&
        c.aiAssisted &&
        ["JUNIOR", "MID"].includes(c.author.seniority) &&
        c.decision.missing.some((m) => m.requirement === "senior-approval"),
    );
    expect(waitingOnSenior.length).toBeGreaterThan(0);
    expect(waitingOnSenior.some((c) => c.author.email === "owner@resetboard.dev")).toBe(true);
    expect(all.filter((c) => c.status === "shipped").length).toBeGreaterThan(5);
    expect(all.filter((c) => c.status === "rolled_back").length).toBeGreaterThanOrEqual(1);
  });

  it("records reviews only from the system's assigned reviewers of MID seniority or above, never the author", async () => {
    const { rows } = await db.client.query<{ n: string }>(
      `SELECT count(*) AS n FROM change_review r JOIN change c ON c.id = r.change_id
        WHERE r.reviewer_id = c.author_id OR r.seniority = 'JUNIOR'
           OR NOT EXISTS (SELECT 1 FROM assignment a WHERE a.system_id = c.system_id AND a.user_id = r.reviewer_id AND a.kind = 'REVIEWER')`,
    );
    expect(rows[0]!.n).toBe("0");
  });

  it("puts every change, review and outcome in the audit chain, which verifies", async () => {
    const counts = await db.client.query<{
      changes: string;
      registered: string;
      reviews: string;
      approved: string;
      outcomes: string;
      recorded: string;
    }>(
      `SELECT (SELECT count(*) FROM change) AS changes, (SELECT count(*) FROM audit_event WHERE action = 'change.register') AS registered,
              (SELECT count(*) FROM change_review) AS reviews, (SELECT count(*) FROM audit_event WHERE action = 'change.review.approve') AS approved,
              (SELECT count(*) FROM change_outcome) AS outcomes, (SELECT count(*) FROM audit_event WHERE action IN ('change.shipped', 'change.rolled_back')) AS recorded`,
    );
    const c = counts.rows[0]!;
    expect(c.registered).toBe(c.changes);
    expect(c.approved).toBe(c.reviews);
    expect(c.recorded).toBe(c.outcomes);
    const { verifyAuditChain } = await import("@/lib/data/audit");
    expect(await verifyAuditChain(cliActor())).toMatchObject({ ok: true });
  });
});

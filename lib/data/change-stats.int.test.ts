// The change gate's weekly figures on the dashboard, against a real Postgres with the seeded demo:
// the narrow read (five plain values per change) gives exactly what the domain computes from the
// changes loaded whole through Prisma, a rolled-back one included.
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

/** Every change as the figures read it, loaded whole (the read before it was narrowed). */
async function loadedWhole() {
  const { db: client } = await import("@/lib/db");
  const changes = await client().change.findMany({
    select: {
      createdAt: true,
      aiAssisted: true,
      firstCheckAllowed: true,
      firstAllowedAt: true,
      outcomes: { where: { kind: "ROLLED_BACK" }, select: { kind: true } },
    },
  });
  return changes.map((c) => ({
    createdAt: c.createdAt,
    aiAssisted: c.aiAssisted,
    firstCheckAllowed: c.firstCheckAllowed,
    firstAllowedAt: c.firstAllowedAt,
    rolledBack: c.outcomes.length > 0,
  }));
}

describe("the change gate's weekly figures", () => {
  it("equal the domain's figures over every change loaded whole", async () => {
    const { getChangeGateReport } = await import("@/lib/data/change-stats");
    const { changeWeeks } = await import("@/lib/domain/change-stats");
    const { getActiveProgram } = await import("@/lib/data/program");
    // One change rolled back, so that every figure has something to count.
    await db.client.query(
      `INSERT INTO change_outcome (change_id, kind, allowed, recorded_by_id)
       SELECT c.id, 'ROLLED_BACK', true, (SELECT id FROM app_user WHERE email = 'lead@resetboard.dev')
         FROM change c ORDER BY c.created_at LIMIT 1
       ON CONFLICT DO NOTHING`,
    );
    const facts = await loadedWhole();
    expect(facts.length).toBeGreaterThan(0);
    expect(facts.some((f) => f.rolledBack)).toBe(true);
    expect(facts.some((f) => f.firstAllowedAt !== null)).toBe(true);
    const weeks = (await getChangeGateReport(cliActor("test")))!.weeks;
    expect(weeks.reduce((n, w) => n + w.changes, 0)).toBe(facts.length);
    expect(weeks.reduce((n, w) => n + w.rolledBack, 0)).toBeGreaterThan(0);
    expect(weeks).toEqual(changeWeeks(facts, (await getActiveProgram())!.startsOn, new Date()));
  });
});

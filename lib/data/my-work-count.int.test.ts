// The navigation's My-work count: the same number as the full list's "needs you now" for every
// person on the seeded demo, in a bounded number of statements whatever they own.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/data/actor";
import type { Role, Seniority } from "@/lib/generated/prisma/enums";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { countSql } from "@/tests/sql-counter";

let db: AppTestDatabase;

beforeAll(async () => {
  db = await createAppTestDatabase();
});

afterAll(async () => {
  await db?.close();
});

describe("countMyWork", () => {
  it("counts what the My work list counts, for everyone, in a few statements", async () => {
    const { countMyWork } = await import("@/lib/data/my-work-count");
    const { getMyWork } = await import("@/lib/data/my-work");
    const { rows } = await db.client.query<{ id: string; email: string; role: Role; seniority: Seniority }>(
      "SELECT u.id, u.email, u.role, u.seniority FROM app_user u WHERE EXISTS (SELECT 1 FROM assignment a WHERE a.user_id = u.id) ORDER BY u.email",
    );
    expect(rows.length).toBeGreaterThan(3);
    let someoneWaits = false;
    for (const user of rows) {
      const actor: Actor = { kind: "user", ...user };
      const { result, statements } = await countSql(() => countMyWork(actor));
      // Two reads of the person's open checkpoints with their facts (relations joined in the same
      // statement) and one of the open changes they review, whatever the fleet size; the rule
      // itself runs in lib/domain.
      expect(statements.length).toBeLessThanOrEqual(4);
      const work = await getMyWork(actor);
      expect(result, user.email).toBe(work.now.length + work.changes.length);
      if (result > 0) someoneWaits = true;
    }
    expect(someoneWaits).toBe(true);
  });
});

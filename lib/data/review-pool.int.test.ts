// The stored review pools against a real Postgres: after the seed, after random histories of
// everything the verdict reads written behind the commands' backs (assignments, seniority and
// accounts, evidence and withdrawals, reviews, statuses and rounds, tiers, AI-assisted flags,
// archiving, milestone rules), the lead's queue, the reviewer load and the registry's filter equal
// the previous computation that judged every open checkpoint on each read (tests/legacy-queue.ts),
// as does the dashboard strip's summary of it,
// and the stored rows equal a fresh judgement. And a change made while a read is recomputing a
// system is never cleared unseen.
import fc from "fast-check";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "@/lib/data/actor";
import { createAppTestDatabase, type AppTestDatabase } from "@/tests/db";
import { legacyLeadQueue, legacyReviewerLoad, legacySystemsWithoutEligibleReviewer } from "@/tests/legacy-queue";

let db: AppTestDatabase;
let lead: Actor;

beforeAll(async () => {
  db = await createAppTestDatabase();
  const { rows } = await db.client.query(
    "SELECT id, email, role, seniority FROM app_user WHERE email = 'lead@resetboard.dev'",
  );
  lead = { kind: "user", ...rows[0] };
}, 120_000);

afterAll(async () => {
  await db?.close();
});

const marked = async () =>
  (await db.client.query("SELECT count(*)::int AS n FROM review_pool_dirty")).rows[0].n as number;

/** The stored rows, and what the domain code judges from the checkpoints as they are now. */
async function storedAndFresh() {
  const { judgeReviewPools } = await import("@/lib/data/review-pool");
  const { loadOpenCheckpoints } = await import("@/lib/data/open-checkpoints");
  const run = (text: string, values: unknown[]) => db.client.query(text, values).then((r) => r.rows);
  const byId = (a: { checkpoint_id: string }, b: { checkpoint_id: string }) =>
    a.checkpoint_id < b.checkpoint_id ? -1 : 1;
  const stored = (
    await db.client.query("SELECT checkpoint_id, system_id, eligible_reviewer_ids, shortfall FROM review_pool")
  ).rows.sort(byId);
  return { stored, fresh: judgeReviewPools(await loadOpenCheckpoints(run, null)).sort(byId) };
}

async function expectAsBefore(now: Date, label: string) {
  const { getLeadQueue, getLeadQueueSummary, summarizeLeadQueue, systemsWithoutEligibleReviewer } =
    await import("@/lib/data/lead-queue");
  const { reviewerLoad } = await import("@/lib/data/review-pool");
  // The legacy copy judges what the database holds now, so it runs after the pools caught up.
  const { expiringWaivers, ...queue } = await getLeadQueue(lead, now);
  const legacy = await legacyLeadQueue(now);
  expect(queue, label).toEqual(legacy);
  // The dashboard's strip: the same counts, from the pools, the tally and indexes alone.
  expect(await getLeadQueueSummary(lead, now), label).toEqual(summarizeLeadQueue({ ...legacy, expiringWaivers }));
  expect(await reviewerLoad(), label).toEqual(await legacyReviewerLoad());
  expect(await systemsWithoutEligibleReviewer(), label).toEqual(await legacySystemsWithoutEligibleReviewer());
}

describe("the stored review pools", () => {
  it("are complete and current after the seed, and the queues read them as before", async () => {
    expect(await marked()).toBe(0);
    const { stored, fresh } = await storedAndFresh();
    expect(stored.length).toBeGreaterThan(50);
    expect(stored.some((r) => r.shortfall !== null)).toBe(true);
    expect(stored).toEqual(fresh);
    await expectAsBefore(new Date(), "seeded");
  });

  it("follow every change to what the verdict reads, made behind the commands' backs (property: random histories)", async () => {
    const ids = async (sql: string) => (await db.client.query<{ id: string }>(sql)).rows.map((r) => r.id);
    const checkpoints = await ids("SELECT id FROM checkpoint ORDER BY id");
    const systems = await ids("SELECT id FROM system ORDER BY id");
    const people = await ids("SELECT id FROM app_user WHERE role <> 'EXECUTIVE' ORDER BY email");
    const milestones = await ids("SELECT id FROM milestone ORDER BY sequence");
    const pick = (list: string[], n: number) => list[n % list.length]!;
    const statements: ((n: number, m: number) => Promise<unknown>)[] = [
      // An assignment added or removed.
      (n, m) =>
        db.client.query(
          `INSERT INTO assignment (system_id, user_id, kind) VALUES ($1, $2, $3::assignment_kind) ON CONFLICT DO NOTHING`,
          [pick(systems, n), pick(people, m), m % 3 === 0 ? "OWNER" : "REVIEWER"],
        ),
      (n) =>
        db.client.query(
          `DELETE FROM assignment WHERE id = (SELECT id FROM assignment WHERE system_id = $1 AND kind = 'REVIEWER' ORDER BY created_at LIMIT 1)`,
          [pick(systems, n)],
        ),
      // A person's seniority, account or role.
      (n, m) =>
        db.client.query(`UPDATE app_user SET seniority = $2::seniority WHERE id = $1`, [
          pick(people, n),
          ["JUNIOR", "MID", "SENIOR", "PRINCIPAL"][m % 4],
        ]),
      (n) => db.client.query(`UPDATE app_user SET active = NOT active WHERE id = $1`, [pick(people, n)]),
      (n, m) =>
        db.client.query(`UPDATE app_user SET role = $2::role WHERE id = $1 AND email NOT LIKE 'lead@%'`, [
          pick(people, n),
          m % 2 ? "ENGINEER" : "EXECUTIVE",
        ]),
      // Evidence by someone, a withdrawal, an approval in the checkpoint's round.
      (n, m) =>
        db.client.query(
          `INSERT INTO evidence (checkpoint_id, url, title, kind, submitted_by_id)
           SELECT $1, 'https://example.test/e', 'Evidence', (SELECT min(e) FROM unnest(enum_range(NULL::evidence_kind)) e), $2`,
          [pick(checkpoints, n), pick(people, m)],
        ),
      (n, m) =>
        db.client.query(
          `INSERT INTO evidence_withdrawal (evidence_id, withdrawn_by_id)
           SELECT e.id, $2 FROM evidence e WHERE e.checkpoint_id = $1
              AND NOT EXISTS (SELECT 1 FROM evidence_withdrawal w WHERE w.evidence_id = e.id) ORDER BY e.id LIMIT 1`,
          [pick(checkpoints, n), pick(people, m)],
        ),
      (n, m) =>
        db.client.query(
          `INSERT INTO review (checkpoint_id, reviewer_id, round, decision, seniority, evidence_digest)
           SELECT c.id, u.id, greatest(c.round, 1), 'APPROVE', u.seniority, encode(sha256('x'), 'hex') FROM checkpoint c, app_user u WHERE c.id = $1 AND u.id = $2
           ON CONFLICT DO NOTHING`,
          [pick(checkpoints, n), pick(people, m)],
        ),
      // A checkpoint's status or round.
      (n, m) =>
        db.client.query(
          `UPDATE checkpoint SET status = $2::checkpoint_status, round = round + $3::int,
                  submitted_at = CASE WHEN $2::checkpoint_status = 'SUBMITTED' THEN now() ELSE submitted_at END,
                  completed_at = CASE WHEN $2::checkpoint_status = 'APPROVED' THEN now() END
            WHERE id = $1 AND status <> 'WAIVED'`,
          [
            pick(checkpoints, n),
            ["SUBMITTED", "IN_PROGRESS", "APPROVED", "CHANGES_REQUESTED", "SUBMITTED"][m % 5],
            m % 2,
          ],
        ),
      // A system's tier, AI-assisted flag or archiving.
      (n, m) =>
        db.client.query(`UPDATE system SET tier = $2::tier WHERE id = $1`, [
          pick(systems, n),
          ["TIER_0", "TIER_1", "TIER_2"][m % 3],
        ]),
      (n) => db.client.query(`UPDATE system SET ai_assisted = NOT ai_assisted WHERE id = $1`, [pick(systems, n)]),
      (n) =>
        db.client.query(
          `UPDATE system SET archived_at = CASE WHEN archived_at IS NULL THEN now() END,
                             archived_reason = CASE WHEN archived_at IS NULL THEN 'Retired' END WHERE id = $1`,
          [pick(systems, n)],
        ),
      // A milestone's rule.
      (n, m) =>
        db.client.query(
          `UPDATE milestone SET required_approvals = $2, min_reviewer_seniority = $3::seniority WHERE id = $1`,
          [pick(milestones, n), 1 + (m % 3), ["JUNIOR", "MID", "SENIOR"][m % 3]],
        ),
    ];
    const change = fc.record({
      kind: fc.integer({ min: 0, max: statements.length - 1 }),
      n: fc.nat({ max: 10_000 }),
      m: fc.nat({ max: 10_000 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(change, { minLength: 1, maxLength: 10 }), async (history) => {
        for (const c of history) await statements[c.kind]!(c.n, c.m);
        await expectAsBefore(new Date(), JSON.stringify(history));
        const { stored, fresh } = await storedAndFresh();
        expect(stored).toEqual(fresh);
        expect(await marked()).toBe(0);
      }),
      { numRuns: 40 },
    );
  }, 240_000);

  it("never clears unseen a change made while a read recomputes the system", async () => {
    const { catchUpReviewPools } = await import("@/lib/data/review-pool");
    const { rows } = await db.client.query<{ id: string; system_id: string; user_id: string }>(
      `SELECT c.id, c.system_id, a.user_id FROM checkpoint c JOIN assignment a ON a.system_id = c.system_id AND a.kind = 'REVIEWER'
         JOIN system s ON s.id = c.system_id
        WHERE c.status = 'SUBMITTED' AND s.archived_at IS NULL ORDER BY c.id LIMIT 1`,
    );
    const target = rows[0]!;
    await db.client.query("UPDATE system SET ai_assisted = NOT ai_assisted WHERE id = $1", [target.system_id]);
    expect(await marked()).toBeGreaterThan(0);

    // A reader claims the mark and recomputes, but has not committed yet…
    const reader = new pg.Client({ connectionString: db.url });
    const writer = new pg.Client({ connectionString: db.url });
    await Promise.all([reader.connect(), writer.connect()]);
    try {
      await reader.query("BEGIN");
      expect(
        await catchUpReviewPools((text, values) => reader.query(text, values).then((r) => r.rows)),
      ).toBeGreaterThan(0);
      // …when a reviewer's evidence lands on the system (it waits for the reader's claim).
      const landed = writer.query(
        `INSERT INTO evidence (checkpoint_id, url, title, kind, submitted_by_id)
         SELECT $1, 'https://example.test/late', 'Late', (SELECT min(e) FROM unnest(enum_range(NULL::evidence_kind)) e), $2`,
        [target.id, target.user_id],
      );
      await new Promise((resolve) => setTimeout(resolve, 200));
      await reader.query("COMMIT");
      await landed;
    } finally {
      await Promise.all([reader.end(), writer.end()]);
    }
    // The mark the evidence left survived the reader's commit, and the next read sees the author.
    const left = await db.client.query("SELECT 1 FROM review_pool_dirty WHERE system_id = $1", [target.system_id]);
    expect(left.rowCount).toBe(1);
    await expectAsBefore(new Date(), "after the race");
    const pool = await db.client.query<{ eligible_reviewer_ids: string[] }>(
      "SELECT eligible_reviewer_ids FROM review_pool WHERE checkpoint_id = $1",
      [target.id],
    );
    expect(pool.rows[0]?.eligible_reviewer_ids ?? []).not.toContain(target.user_id);
  });

  it("are rebuilt from scratch by npm run cli -- rollup rebuild", async () => {
    await db.client.query("UPDATE review_pool SET eligible_reviewer_ids = '{}', shortfall = 'stale'");
    const { rebuildReviewPools } = await import("@/lib/data/review-pool");
    const run = (text: string, values: unknown[]) => db.client.query(text, values).then((r) => r.rows);
    await db.client.query("BEGIN");
    await rebuildReviewPools(run);
    await db.client.query("COMMIT");
    const { stored, fresh } = await storedAndFresh();
    expect(stored).toEqual(fresh);
    expect(await marked()).toBe(0);
  });
});

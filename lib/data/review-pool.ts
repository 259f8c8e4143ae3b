// The stored review pools: for every open checkpoint of an active system, the assigned reviewers
// who could approve it and rule 14's shortfall when they cannot reach the quorum, as
// lib/domain/eligibility.ts judges them. The verdict depends on the checkpoint's own evidence and
// reviews, the system's people and rule, and those people's seniority and accounts, so judging it
// on every view is linear in the fleet (a second of CPU at 10,000 systems). Instead, database
// triggers mark a system whenever any of that changes (whoever changes it: a command, a bulk
// import, a hand-written UPDATE), and the first read that needs the pools recomputes the marked
// systems with the domain code and stores them; the queues then read narrow indexed rows.
import "server-only";
import { cache } from "react";
import { activeSystemSql } from "@/lib/data/active-systems";
import { loadOpenCheckpoints, type OpenRow } from "@/lib/data/open-checkpoints";
import { factsOf } from "@/lib/data/my-work";
import { isPersonSql } from "@/lib/data/people";
import { prismaRunner, type SqlRunner } from "@/lib/data/rollup";
import { db } from "@/lib/db";
import { reviewerPool, reviewerShortfall } from "@/lib/domain/eligibility";

/** One checkpoint's stored verdict. */
export interface StoredPool {
  checkpoint_id: string;
  system_id: string;
  /** Assigned reviewers who could approve now (its next round, before it is submitted), in assignment order. */
  eligible_reviewer_ids: string[];
  /** Rule 14's flag in words; null when the quorum can be reached. */
  shortfall: string | null;
}

/** The domain's verdict on each loaded open checkpoint. */
export function judgeReviewPools(rows: readonly OpenRow[]): StoredPool[] {
  return rows.map((row) => {
    const { context, reviewers } = factsOf(row);
    return {
      checkpoint_id: row.id,
      system_id: row.systemId,
      eligible_reviewer_ids: reviewerPool(context, reviewers).eligibleIds,
      shortfall: reviewerShortfall(context, reviewers),
    };
  });
}

/**
 * One statement: replace the pools of `systemIds` (every system when null) by `pools`, and clear
 * their marks. Rows of checkpoints no longer open (or of systems archived) are dropped; unchanged
 * rows are not rewritten.
 */
const WRITE = `
  WITH pools AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS p(checkpoint_id uuid, system_id uuid, eligible_reviewer_ids uuid[], shortfall text)),
  cleared AS (DELETE FROM review_pool_dirty WHERE $2::uuid[] IS NULL OR system_id = ANY($2::uuid[])),
  dropped AS (
    DELETE FROM review_pool r
     WHERE ($2::uuid[] IS NULL OR r.system_id = ANY($2::uuid[]))
       AND NOT EXISTS (SELECT 1 FROM pools WHERE pools.checkpoint_id = r.checkpoint_id))
  INSERT INTO review_pool (checkpoint_id, system_id, eligible_reviewer_ids, shortfall, updated_at)
  SELECT checkpoint_id, system_id, eligible_reviewer_ids, shortfall, now() FROM pools
  ON CONFLICT (checkpoint_id) DO UPDATE
     SET system_id = EXCLUDED.system_id, eligible_reviewer_ids = EXCLUDED.eligible_reviewer_ids,
         shortfall = EXCLUDED.shortfall, updated_at = now()
   WHERE (review_pool.system_id, review_pool.eligible_reviewer_ids, review_pool.shortfall)
         IS DISTINCT FROM (EXCLUDED.system_id, EXCLUDED.eligible_reviewer_ids, EXCLUDED.shortfall)`;

async function store(run: SqlRunner, systemIds: readonly string[] | null): Promise<number> {
  const pools = judgeReviewPools(await loadOpenCheckpoints(run, systemIds));
  await run(WRITE, [JSON.stringify(pools), systemIds === null ? null : [...systemIds]]);
  return pools.length;
}

/**
 * Recomputes the marked systems' pools, in the caller's transaction. The marks are claimed with
 * FOR UPDATE SKIP LOCKED before the checkpoints are read: a command that changes a claimed system
 * meanwhile waits on the claimed mark to mark it again, so its change is never cleared unseen; a
 * mark held by a command still running is skipped, left for the read after it commits; and two
 * readers never claim the same system. Returns the number of systems recomputed.
 */
export async function catchUpReviewPools(run: SqlRunner): Promise<number> {
  const claimed = (
    await run(`SELECT system_id FROM review_pool_dirty ORDER BY system_id FOR UPDATE SKIP LOCKED`, [])
  ).map((r) => r.system_id as string);
  if (claimed.length > 0) await store(run, claimed);
  return claimed.length;
}

/**
 * Every pool from scratch, in the caller's transaction (the seed, `npm run cli -- rollup rebuild`).
 * Waits for the commands that have marked a system to commit and holds new marks off until it
 * commits, so that what it reads is everything that was marked.
 */
export async function rebuildReviewPools(run: SqlRunner): Promise<number> {
  await run(`LOCK TABLE review_pool, review_pool_dirty IN SHARE ROW EXCLUSIVE MODE`, []);
  return store(run, null);
}

/**
 * For the reads of the pools: brings the marked systems' pools up to date first, once per render
 * (React's cache; a route handler catches up on each call). One cheap statement when nothing is
 * marked, which is the case unless something changed since the last read.
 */
export const currentReviewPools = cache(async (): Promise<void> => {
  const client = db();
  const [{ behind }] = await client.$queryRaw<[{ behind: boolean }]>`
    SELECT EXISTS (SELECT 1 FROM review_pool_dirty) AS behind`;
  if (!behind) return;
  await client.$transaction((tx) => catchUpReviewPools(prismaRunner(tx)), { timeout: 60_000 });
});

export interface ReviewerLoadRow {
  email: string;
  name: string;
  seniority: string;
  /** Submissions this reviewer can sign now (rule 14), not every one on their systems. */
  waiting: number;
  oldest: Date;
}

/**
 * The dashboard's reviewer load: per reviewer, the submitted checkpoints of active systems that
 * they can sign now, busiest first, for the active program. One statement over the stored pools.
 */
export async function reviewerLoad(): Promise<ReviewerLoadRow[]> {
  await currentReviewPools();
  const rows = await db().$queryRaw<ReviewerLoadRow[]>`
    SELECT u.email, u.name, u.seniority::text AS seniority, count(*)::int AS waiting,
           min(coalesce(c.submitted_at, now())) AS oldest
      FROM review_pool r
      JOIN checkpoint c ON c.id = r.checkpoint_id AND c.status = 'SUBMITTED'
      JOIN system s ON s.id = c.system_id
      JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active
     CROSS JOIN unnest(r.eligible_reviewer_ids) AS e(id)
      JOIN app_user u ON u.id = e.id
     WHERE ${activeSystemSql} AND u.active AND ${isPersonSql("u")}
     GROUP BY u.id, u.email, u.name, u.seniority`;
  return rows.sort(
    (a, b) => b.waiting - a.waiting || a.oldest.getTime() - b.oldest.getTime() || a.email.localeCompare(b.email),
  );
}

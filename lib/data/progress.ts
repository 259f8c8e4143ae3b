// Where the program stands: one set of aggregate queries shared by the dashboard, the
// report, its CSV and GET /api/v1/progress. Seven statements whatever the number of systems (one
// checks for expired waivers); every figure is folded from their rows by buildProgressReport
// (lib/domain/progress-report.ts). The weekly snapshots are lib/data/progress-snapshots.ts and the
// CSV rows lib/data/progress-csv.ts.
import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { storedFiguresCurrent } from "@/lib/data/checkpoints/waiver-lapse";
import { reviewerLoad } from "@/lib/data/review-pool";
import { activeSystem, rollupHealthSql } from "@/lib/data/rollup";
import { db } from "@/lib/db";
import {
  buildProgressReport,
  type DayRow,
  type ProgramRow,
  type ProgressReport,
  type RiskRow,
  type SystemGroupRow,
  type TallyGroupRow,
} from "@/lib/domain/progress-report";
import { addDays, AT_RISK_WINDOW_DAYS, isoDay, utcDay } from "@/lib/domain/schedule";

// Moved for the one-job-per-file split; re-exported so that callers of this module keep working.
export type { PersonRef, ProgressReport } from "@/lib/domain/progress-report";
export { weekOverWeekChange, type WeekChange } from "@/lib/data/progress-snapshots";
export { progressCsvRows, type ProgressCsvRow } from "@/lib/data/progress-csv";

const AT_RISK_LIST_LIMIT = 25;

/** Reads the figures of the active program; null when there is none. */
export async function getProgress(actor: Actor, now = new Date()): Promise<ProgressReport | null> {
  await authorize(actor, "report.read", { type: "program", id: "active" });
  return computeProgress(now);
}

/** The figures for `now` without an authorization check: for callers that already did one. */
export const computeProgress = cache(async (now: Date = new Date()): Promise<ProgressReport | null> => {
  const client = db();
  const [program] = await client.$queryRaw<ProgramRow[]>`
    SELECT p.id, p.name, p.starts_on, p.duration_days,
           coalesce((SELECT json_agg(json_build_object('id', m.id, 'key', m.key, 'name', m.name, 'sequence', m.sequence, 'due_day', m.due_day)
                                     ORDER BY m.sequence)
                     FROM milestone m WHERE m.program_id = p.id), '[]') AS milestones
    FROM program p WHERE p.active`;
  if (!program) return null;
  const today = utcDay(now);
  const todayIso = isoDay(today);
  // Rule 8 (a waiver past its expiry no longer counts as waived) and roll-ups marked as behind: brought up to date before anything is counted.
  await storedFiguresCurrent(todayIso);
  const soonIso = isoDay(addDays(today, AT_RISK_WINDOW_DAYS));

  // The queries are independent; the pool runs them side by side.
  const [groups, systemRows, dayRows, reviewerRows, riskRows] = await Promise.all([
    // 1. Checkpoints grouped by everything the charts slice them by: sums over the tally's cells,
    //    a few hundred rows whatever the fleet size; the oldest submission from the roll-ups' index.
    client.$queryRaw<TallyGroupRow[]>`
      SELECT t.team, t.tier::text AS tier, t.milestone_id, t.status::text AS status,
             (t.due_on < ${todayIso}::date) AS overdue,
             (t.due_on >= ${todayIso}::date AND t.due_on <= ${soonIso}::date AND t.status <> 'SUBMITTED') AS at_risk,
             sum(t.n)::int AS n,
             NULL::timestamptz AS oldest_submitted
      FROM checkpoint_tally t
      WHERE t.n > 0
      GROUP BY 1, 2, 3, 4, 5, 6
      UNION ALL
      SELECT NULL, NULL, NULL, NULL, NULL, NULL, 0, min(r.oldest_submitted_at)
      FROM system_rollup r JOIN system s ON s.id = r.system_id
      WHERE r.oldest_submitted_at IS NOT NULL AND ${activeSystem("s")}`,
    // 2. Systems by team, tier, first open milestone and health: one narrow roll-up row each.
    client.$queryRaw<SystemGroupRow[]>`
      SELECT s.team, s.tier::text AS tier, r.current_sequence AS first_open, ${rollupHealthSql("r", today)} AS health, count(*)::int AS n
      FROM system_rollup r JOIN system s ON s.id = r.system_id
      WHERE r.total > 0 AND ${activeSystem("s")}
      GROUP BY 1, 2, 3, 4`,
    // 3. Per calendar day: checkpoints due, and completions that still stand, for the burn-up.
    client.$queryRaw<DayRow[]>`
      SELECT t.due_on AS day, 'DUE' AS kind, sum(t.n)::int AS n
      FROM checkpoint_tally t WHERE t.n > 0
      GROUP BY 1
      UNION ALL
      SELECT t.completed_on, t.status::text, sum(t.n)::int
      FROM checkpoint_tally t
      WHERE t.n > 0 AND t.status IN ('APPROVED', 'WAIVED') AND t.completed_on IS NOT NULL
      GROUP BY 1, 2`,
    // 4. Reviewer load: what each reviewer can sign now, as lib/domain/eligibility.ts decides.
    reviewerLoad(),
    // 5. At risk: each late or nearly late system's most pressing checkpoint, and who it waits on.
    client.$queryRaw<RiskRow[]>`
      WITH pressing AS (
        -- A system's most pressing checkpoint is its earliest open one when that is overdue, else its
        -- earliest unsubmitted one when that falls within the at-risk window (rule 9, from the roll-up).
        SELECT r.system_id,
               CASE WHEN r.next_due_on < ${todayIso}::date THEN r.next_due_checkpoint_id ELSE r.unsubmitted_checkpoint_id END AS checkpoint_id,
               CASE WHEN r.next_due_on < ${todayIso}::date THEN r.next_due_on ELSE r.unsubmitted_due_on END AS due_on
        FROM system_rollup r
        WHERE r.next_due_on < ${todayIso}::date OR r.unsubmitted_due_on <= ${soonIso}::date
      ), ranked AS (
        -- Ordered and cut on the narrow rows; only the listed few are joined to their checkpoints.
        SELECT p.*, s.key AS system_key, s.name AS system_name, s.team, s.tier::text AS tier, count(*) OVER ()::int AS total
        FROM pressing p JOIN system s ON s.id = p.system_id
        WHERE ${activeSystem("s")}
        ORDER BY p.due_on, s.tier, s.key
        LIMIT ${AT_RISK_LIST_LIMIT}
      ), top AS (
        SELECT k.*, c.id, c.status, c.round, m.key AS milestone, m.name AS milestone_name
        FROM ranked k JOIN checkpoint c ON c.id = k.checkpoint_id JOIN milestone m ON m.id = c.milestone_id
      )
      SELECT t.system_key, t.system_name, t.team, t.tier, t.milestone, t.milestone_name, t.status::text AS status, t.due_on, t.total,
             coalesce((
               SELECT json_agg(json_build_object('name', u.name, 'email', u.email) ORDER BY u.name)
               FROM assignment a JOIN app_user u ON u.id = a.user_id
               WHERE a.system_id = t.system_id
                 AND a.kind = (CASE WHEN t.status = 'SUBMITTED' THEN 'REVIEWER' ELSE 'OWNER' END)::assignment_kind
                 AND NOT EXISTS (SELECT 1 FROM review r WHERE t.status = 'SUBMITTED' AND r.checkpoint_id = t.id AND r.round = t.round AND r.reviewer_id = u.id)
             ), '[]') AS people
      FROM top t
      ORDER BY t.due_on, t.tier, t.system_key`,
  ]);

  return buildProgressReport({ program, groups, systemRows, dayRows, reviewerRows, riskRows }, now);
});

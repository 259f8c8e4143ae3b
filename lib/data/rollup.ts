// The per-system roll-up's one writer and its SQL read helpers. Every command that moves a
// checkpoint (its status, its due date, its existence) calls refreshRollups in its own
// transaction, BEFORE appending its audit event: the roll-up rows are locked in key order while
// the checkpoints are re-read, and the chain's advisory lock is taken last and held shortest.
// The figures themselves are computed by lib/domain/rollup.ts, not restated here.
import "server-only";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { atRiskUntil, computeRollup, type Rollup, type RollupCheckpoint } from "@/lib/domain/rollup";
import { isoDay, type CheckpointStatus } from "@/lib/domain/schedule";

type Tx = Prisma.TransactionClient;

/** Runs one parameterised statement; Prisma's transaction client or a plain `pg` client (the seed). */
export type SqlRunner = (text: string, values: unknown[]) => Promise<Record<string, unknown>[]>;

export function prismaRunner(tx: Tx): SqlRunner {
  return (text, values) => tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
}

/**
 * The systems that count in every figure, listing and roll-up read, as a condition on a `system`
 * row aliased `alias`. One place so that a rule that takes systems out of the figures (archived
 * systems) is one line here.
 */
export function activeSystem(alias: string): Prisma.Sql {
  return Prisma.raw(`(${alias}.id IS NOT NULL)`);
}

/**
 * A system's health from its roll-up row aliased `alias`, for `today`: the one SQL form of
 * rollupHealth (lib/domain/rollup.ts), built from the same at-risk window.
 */
export function rollupHealthSql(alias: string, today: Date): Prisma.Sql {
  const r = Prisma.raw(alias);
  return Prisma.sql`(CASE WHEN ${r}.next_due_on IS NULL THEN 'DONE'
                         WHEN ${r}.next_due_on < ${isoDay(today)}::date THEN 'OVERDUE'
                         WHEN ${r}.unsubmitted_due_on <= ${isoDay(atRiskUntil(today))}::date THEN 'AT_RISK'
                         ELSE 'ON_TRACK' END)`;
}

const LOAD = `
  SELECT s.id AS system_id, c.id, c.milestone_id, m.sequence, c.status::text AS status, c.due_on::text AS due_on, c.submitted_at
    FROM system s
    LEFT JOIN (checkpoint c
               JOIN milestone m ON m.id = c.milestone_id
               JOIN program p ON p.id = m.program_id AND p.active) ON c.system_id = s.id
   WHERE $1::uuid[] IS NULL OR s.id = ANY($1::uuid[])`;

const COLUMNS = `system_id uuid, total int, not_started int, in_progress int, submitted int, approved int, changes_requested int, waived int,
  current_sequence int, current_milestone_id uuid, next_due_on date, next_due_milestone_id uuid, next_due_checkpoint_id uuid,
  unsubmitted_due_on date, unsubmitted_checkpoint_id uuid, oldest_submitted_at timestamptz, progress_rank float8`;
const NAMES = COLUMNS.split(",").map((c) => c.trim().split(" ")[0]!);
const SET = [...NAMES.slice(1).map((n) => `${n} = EXCLUDED.${n}`), "updated_at = now()"].join(", ");

// Writes the rows and clears the systems' dirty marks (all of them for a full rebuild, $2 null).
const UPSERT = `
  WITH cleared AS (DELETE FROM system_rollup_dirty WHERE $2::uuid[] IS NULL OR system_id = ANY($2::uuid[]))
  INSERT INTO system_rollup (${NAMES.join(", ")}, updated_at)
  SELECT r.*, now() FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS})
  ON CONFLICT (system_id) DO UPDATE SET ${SET}`;

function day(value: Date | null): string | null {
  return value ? isoDay(value) : null;
}

/** A roll-up as the row it is stored as (dates as YYYY-MM-DD, instants as ISO). */
export function rollupRow(systemId: string, r: Rollup): Record<string, unknown> {
  return {
    system_id: systemId,
    total: r.total,
    not_started: r.notStarted,
    in_progress: r.inProgress,
    submitted: r.submitted,
    approved: r.approved,
    changes_requested: r.changesRequested,
    waived: r.waived,
    current_sequence: r.currentSequence,
    current_milestone_id: r.currentMilestoneId,
    next_due_on: day(r.nextDueOn),
    next_due_milestone_id: r.nextDueMilestoneId,
    next_due_checkpoint_id: r.nextDueCheckpointId,
    unsubmitted_due_on: day(r.unsubmittedDueOn),
    unsubmitted_checkpoint_id: r.unsubmittedCheckpointId,
    oldest_submitted_at: r.oldestSubmittedAt?.toISOString() ?? null,
    progress_rank: r.progressRank,
  };
}

/** Checkpoint rows (as LOAD selects them; `id` null for a system without any) → roll-ups per system. */
function rollupsOf(rows: readonly Record<string, unknown>[]): Map<string, Rollup> {
  const bySystem = new Map<string, RollupCheckpoint[]>();
  for (const row of rows) {
    const list = bySystem.get(row.system_id as string) ?? [];
    bySystem.set(row.system_id as string, list);
    if (row.id === null) continue;
    list.push({
      id: row.id as string,
      milestoneId: row.milestone_id as string,
      sequence: Number(row.sequence),
      status: row.status as CheckpointStatus,
      dueOn: new Date(`${row.due_on as string}T00:00:00Z`),
      submittedAt: row.submitted_at === null ? null : new Date(row.submitted_at as string | Date),
    });
  }
  return new Map([...bySystem].map(([id, checkpoints]) => [id, computeRollup(checkpoints)]));
}

/** Reads the checkpoints of `systemIds` (all systems when null) and computes their roll-ups. */
export async function computeRollups(run: SqlRunner, systemIds: readonly string[] | null): Promise<Map<string, Rollup>> {
  return rollupsOf(await run(LOAD, [systemIds ? [...systemIds] : null]));
}

async function write(run: SqlRunner, systemIds: readonly string[] | null) {
  const rollups = await computeRollups(run, systemIds);
  // Key order, like the lock above, so that two refreshes of overlapping sets cannot deadlock.
  const rows = [...rollups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, r]) => rollupRow(id, r));
  await run(UPSERT, [JSON.stringify(rows), systemIds ? [...systemIds] : null]);
  return rows.length;
}

/**
 * Recomputes the roll-ups of `systemIds` inside the caller's transaction, after its checkpoint
 * writes. The rows are locked first (in key order) and the checkpoints read by a later
 * statement: under READ COMMITTED that statement sees what a concurrent command on the same
 * system committed while we waited, so neither overwrites the other's change with a stale count.
 */
export async function refreshRollups(tx: Tx, systemIds: readonly string[]): Promise<void> {
  const ids = [...new Set(systemIds)].sort();
  if (ids.length === 0) return;
  const run = prismaRunner(tx);
  await run(`SELECT system_id FROM system_rollup WHERE system_id = ANY($1::uuid[]) ORDER BY system_id FOR UPDATE`, [ids]);
  await write(run, ids);
}

/**
 * The systems the database triggers marked as behind (a change that did not go through a command),
 * as they were when a read looked, with their roll-ups computed from that read's snapshot.
 */
export interface MarkedRollups {
  /** The marks seen: a read clears a mark only if it is still this one. */
  marks: { system_id: string; mark: number }[];
  /** Roll-up rows (as stored) of the marked systems that still exist. */
  rows: Record<string, unknown>[];
}

export const NO_MARKS: MarkedRollups = { marks: [], rows: [] };

/**
 * A scalar subquery: the marks and the marked systems' checkpoints as JSON, so that a read's
 * first statement (which checks for waivers to lapse as well) carries everything it needs.
 */
export const markedCheckpointsSql = Prisma.sql`coalesce((
  SELECT json_agg(json_build_object('mark', d.mark, 'system_id', d.system_id, 'exists', s.id IS NOT NULL, 'id', c.id, 'milestone_id', c.milestone_id,
                                    'sequence', m.sequence, 'status', c.status, 'due_on', c.due_on, 'submitted_at', c.submitted_at))
    FROM system_rollup_dirty d
    LEFT JOIN system s ON s.id = d.system_id
    LEFT JOIN (checkpoint c
               JOIN milestone m ON m.id = c.milestone_id
               JOIN program p ON p.id = m.program_id AND p.active) ON c.system_id = s.id), '[]'::json)`;

export function markedRollups(rows: readonly Record<string, unknown>[]): MarkedRollups {
  if (rows.length === 0) return NO_MARKS;
  const marks = new Map(rows.map((r) => [r.system_id as string, Number(r.mark)]));
  const rollups = rollupsOf(rows.filter((r) => r.exists));
  return {
    marks: [...marks].map(([system_id, mark]) => ({ system_id, mark })),
    rows: [...rollups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, r]) => rollupRow(id, r)),
  };
}

/**
 * Common table expressions that store a read's computed roll-ups: `computed` (every marked system,
 * as this read saw it) and the write, which clears each mark only if it is still the one seen —
 * a command or a newer change that touched the system meanwhile wins, and leaves its own result.
 */
export function persistMarkedCtes(marked: MarkedRollups): Prisma.Sql {
  return Prisma.sql`
    rollup_cleared AS (
      DELETE FROM system_rollup_dirty d
       USING jsonb_to_recordset(${JSON.stringify(marked.marks)}::jsonb) AS x(system_id uuid, mark bigint)
       WHERE d.system_id = x.system_id AND d.mark = x.mark
      RETURNING d.system_id),
    computed AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(marked.rows)}::jsonb) AS r(${Prisma.raw(COLUMNS)})),
    rollup_persisted AS (
      INSERT INTO system_rollup (${Prisma.raw(NAMES.join(", "))}, updated_at)
      SELECT c.*, now() FROM computed c WHERE c.system_id IN (SELECT system_id FROM rollup_cleared)
      ON CONFLICT (system_id) DO UPDATE SET ${Prisma.raw(SET)}
      RETURNING system_id)`;
}

/**
 * The roll-up rows as of this read, for `FROM ... AS r`: the stored ones, with the marked
 * systems' rows replaced by what this read computed. Needs persistMarkedCtes in the same WITH.
 */
export const currentRollupsSql = Prisma.sql`(
  SELECT * FROM computed
  UNION ALL
  SELECT ${Prisma.raw(NAMES.map((n) => `sr.${n}`).join(", "))} FROM system_rollup sr WHERE sr.system_id NOT IN (SELECT system_id FROM computed))`;

/** Stores a read's computed roll-ups on their own (for reads that run several statements). */
export async function persistMarkedRollups(marked: MarkedRollups): Promise<void> {
  if (marked.marks.length === 0) return;
  await db().$queryRaw`WITH ${persistMarkedCtes(marked)} SELECT count(*)::int AS n FROM rollup_persisted`;
}

/**
 * Every system's roll-up from scratch (`npm run cli -- rollup rebuild`, the seed, and a changed
 * schedule, which moves every checkpoint). Locks the table against concurrent refreshes.
 */
export async function rebuildRollups(run: SqlRunner): Promise<number> {
  await run(`LOCK TABLE system_rollup IN SHARE ROW EXCLUSIVE MODE`, []);
  return write(run, null);
}

/** `npm run cli -- rollup rebuild`: every roll-up recomputed in one transaction. */
export async function rebuildAllRollups(): Promise<number> {
  return db().$transaction((tx) => rebuildRollups(prismaRunner(tx)), { timeout: 120_000 });
}

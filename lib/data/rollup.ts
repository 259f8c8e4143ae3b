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

// Writes the rows and clears the systems' dirty marks (all of them for a full rebuild, $2 null).
const UPSERT = `
  WITH cleared AS (DELETE FROM system_rollup_dirty WHERE $2::uuid[] IS NULL OR system_id = ANY($2::uuid[]))
  INSERT INTO system_rollup (${NAMES.join(", ")}, updated_at)
  SELECT r.*, now() FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS})
  ON CONFLICT (system_id) DO UPDATE SET ${NAMES.slice(1)
    .map((n) => `${n} = EXCLUDED.${n}`)
    .join(", ")}, updated_at = now()`;

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

/** Reads the checkpoints of `systemIds` (all systems when null) and computes their roll-ups. */
export async function computeRollups(run: SqlRunner, systemIds: readonly string[] | null): Promise<Map<string, Rollup>> {
  const rows = await run(LOAD, [systemIds ? [...systemIds] : null]);
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
 * Refreshes the roll-ups the database triggers marked as behind (a change that did not go through
 * a command). Called by the reads before they count; `pending` is what a cheap check found.
 */
export async function refreshMarkedRollups(pending: readonly string[]): Promise<void> {
  if (pending.length === 0) return;
  await db().$transaction((tx) => refreshRollups(tx, pending), { timeout: 60_000 });
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

// The per-system roll-up and the program's checkpoint tally: their one writer and their SQL read
// helpers. Every command that moves a checkpoint (its status, its due date, its existence) or a
// system's team or tier calls refreshRollups in its own transaction, BEFORE appending its audit
// event: the roll-up rows are locked in key order while the checkpoints are re-read, and the
// chain's advisory lock is taken last and held shortest. Database triggers mark any other change
// (lapseDueWaivers in lib/data/checkpoints/waiver-lapse.ts finds the marks for the reads). The figures themselves
// are computed by lib/domain/rollup.ts, not restated here.
import "server-only";
import { activeSystemSqlFor } from "@/lib/data/active-systems";
import { db } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  atRiskUntil,
  computeRollup,
  tallyCells,
  tallyDelta,
  type Rollup,
  type RollupCheckpoint,
  type TallyCell,
} from "@/lib/domain/rollup";
import { isoDay, type CheckpointStatus } from "@/lib/domain/schedule";

type Tx = Prisma.TransactionClient;

/** Runs one parameterised statement; Prisma's transaction client or a plain `pg` client (the seed). */
export type SqlRunner = (text: string, values: unknown[]) => Promise<Record<string, unknown>[]>;

export function prismaRunner(tx: Tx): SqlRunner {
  return (text, values) => tx.$queryRawUnsafe<Record<string, unknown>[]>(text, ...values);
}

/**
 * The systems that count in every figure, listing and roll-up, as a condition on a `system` row
 * aliased `alias` (lib/data/active-systems.ts): the tally is computed with it too, so an archived
 * system contributes nothing to the program's figures (docs/RULES.md, rule 15).
 */
const activeSystemText = (alias: string) => `(${alias}.archived_at IS NULL)`;

export const activeSystem = activeSystemSqlFor;

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

/** A system's checkpoints as the roll-up reads them; checkpoint columns null for a system without any. */
const CHECKPOINT_FIELDS = `s.id AS system_id, s.team, s.tier::text AS tier, ${activeSystemText("s")} AS active, c.id, c.milestone_id, m.sequence, c.status::text AS status,
       c.due_on::text AS due_on, c.submitted_at, c.completed_at`;
const CHECKPOINTS_OF_SYSTEM = `LEFT JOIN (checkpoint c
               JOIN milestone m ON m.id = c.milestone_id
               JOIN program p ON p.id = m.program_id AND p.active) ON c.system_id = s.id`;

const LOAD = `
  SELECT ${CHECKPOINT_FIELDS}
    FROM system s
    ${CHECKPOINTS_OF_SYSTEM}
   WHERE $1::uuid[] IS NULL OR s.id = ANY($1::uuid[])`;

const COLUMNS = `system_id uuid, total int, not_started int, in_progress int, submitted int, approved int, changes_requested int, waived int,
  current_sequence int, current_milestone_id uuid, next_due_on date, next_due_milestone_id uuid, next_due_checkpoint_id uuid,
  unsubmitted_due_on date, unsubmitted_checkpoint_id uuid, oldest_submitted_at timestamptz, progress_rank float8`;
const NAMES = COLUMNS.split(",").map((c) => c.trim().split(" ")[0]!);
const SET = [
  ...NAMES.slice(1).map((n) => `${n} = EXCLUDED.${n}`),
  "tally_cells = EXCLUDED.tally_cells",
  "updated_at = now()",
].join(", ");
const TALLY_COLUMNS =
  "cell text, milestone_id uuid, team text, tier tier, status checkpoint_status, due_on date, completed_on date, n int";

/**
 * One statement: clear the systems' marks ($3; every mark when null), store their roll-ups with
 * the tally cells they now contribute ($1), and add the tally's deltas ($2, in key order so that
 * two refreshes never wait on each other's cells in opposite orders).
 */
const WRITE = `
  WITH cleared AS (DELETE FROM system_rollup_dirty WHERE $3::uuid[] IS NULL OR system_id = ANY($3::uuid[])),
  tallied AS (
    INSERT INTO checkpoint_tally (cell, milestone_id, team, tier, status, due_on, completed_on, n)
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS d(${TALLY_COLUMNS})
    ON CONFLICT (cell) DO UPDATE SET n = checkpoint_tally.n + EXCLUDED.n)
  INSERT INTO system_rollup (${NAMES.join(", ")}, tally_cells, updated_at)
  SELECT r.*, now() FROM jsonb_to_recordset($1::jsonb) AS r(${COLUMNS}, tally_cells jsonb)
  ON CONFLICT (system_id) DO UPDATE SET ${SET}`;

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
    next_due_on: r.nextDueOn ? isoDay(r.nextDueOn) : null,
    next_due_milestone_id: r.nextDueMilestoneId,
    next_due_checkpoint_id: r.nextDueCheckpointId,
    unsubmitted_due_on: r.unsubmittedDueOn ? isoDay(r.unsubmittedDueOn) : null,
    unsubmitted_checkpoint_id: r.unsubmittedCheckpointId,
    oldest_submitted_at: r.oldestSubmittedAt?.toISOString() ?? null,
    progress_rank: r.progressRank,
  };
}

interface Computed {
  rollup: Rollup;
  cells: TallyCell[];
}

const byKey = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0);

/** Checkpoint rows (as CHECKPOINT_FIELDS selects them) → each system's roll-up and tally cells. */
function computeAll(rows: readonly Record<string, unknown>[]): Map<string, Computed> {
  const bySystem = new Map<
    string,
    { system: { team: string; tier: string }; active: boolean; checkpoints: RollupCheckpoint[] }
  >();
  for (const row of rows) {
    const id = row.system_id as string;
    const entry = bySystem.get(id) ?? {
      system: { team: row.team as string, tier: row.tier as string },
      active: row.active === true,
      checkpoints: [],
    };
    bySystem.set(id, entry);
    if (row.id === null) continue;
    entry.checkpoints.push({
      id: row.id as string,
      milestoneId: row.milestone_id as string,
      sequence: Number(row.sequence),
      status: row.status as CheckpointStatus,
      dueOn: new Date(`${(row.due_on as string).slice(0, 10)}T00:00:00Z`),
      submittedAt: row.submitted_at === null ? null : new Date(row.submitted_at as string | Date),
      completedAt: row.completed_at === null ? null : new Date(row.completed_at as string | Date),
    });
  }
  return new Map(
    // An archived system keeps its own roll-up (its page and the archived filter show it) but adds
    // nothing to the program's tally, so it leaves every figure (docs/RULES.md, rule 15).
    [...bySystem].map(([id, { system, active, checkpoints }]) => [
      id,
      { rollup: computeRollup(checkpoints), cells: active ? tallyCells(checkpoints, system) : [] },
    ]),
  );
}

/** Reads the checkpoints of `systemIds` (all systems when null) and computes their roll-ups. */
export async function computeRollups(
  run: SqlRunner,
  systemIds: readonly string[] | null,
): Promise<Map<string, Rollup>> {
  const computed = computeAll(await run(LOAD, [systemIds ? [...systemIds] : null]));
  return new Map([...computed].map(([id, c]) => [id, c.rollup]));
}

/** The whole tally as the domain code computes it from the checkpoints now, in key order (tests). */
export async function computeTally(run: SqlRunner): Promise<TallyCell[]> {
  const computed = computeAll(await run(LOAD, [null]));
  return tallyDelta(
    [],
    [...computed.values()].flatMap((c) => c.cells),
  );
}

async function write(
  run: SqlRunner,
  computed: Map<string, Computed>,
  delta: TallyCell[],
  clear: readonly string[] | null,
) {
  const rows = [...computed].sort(byKey).map(([id, c]) => ({ ...rollupRow(id, c.rollup), tally_cells: c.cells }));
  await run(WRITE, [JSON.stringify(rows), JSON.stringify(delta), clear ? [...clear] : null]);
}

/**
 * Recomputes the roll-ups and tally cells of `systemIds` inside the caller's transaction, after
 * its checkpoint writes. The rows are locked first (in key order) and the checkpoints read by a
 * later statement: under READ COMMITTED that statement sees what a concurrent command on the same
 * system committed while we waited, so neither overwrites the other's change with a stale count,
 * and the tally takes back exactly what the locked rows say the systems had added.
 */
export async function refreshRollups(tx: Tx, systemIds: readonly string[]): Promise<void> {
  const ids = [...new Set(systemIds)].sort();
  if (ids.length === 0) return;
  const run = prismaRunner(tx);
  const locked = await run(
    `SELECT system_id, tally_cells FROM system_rollup WHERE system_id = ANY($1::uuid[]) ORDER BY system_id FOR UPDATE`,
    [ids],
  );
  const computed = computeAll(await run(LOAD, [ids]));
  const before = locked.flatMap((r) => r.tally_cells as TallyCell[]);
  const after = [...computed.values()].flatMap((c) => c.cells);
  await write(run, computed, tallyDelta(before, after), ids);
}

/**
 * The systems the database triggers marked as behind (a change that did not go through a command),
 * as a read saw them: the marks, and the marked systems' roll-ups computed from that read's
 * snapshot, so that a listing can show them right away.
 */
export interface MarkedRollups {
  systemIds: string[];
  /** Roll-up rows (as stored) of the marked systems that still exist. */
  rows: Record<string, unknown>[];
}

export const NO_MARKS: MarkedRollups = { systemIds: [], rows: [] };

/**
 * A scalar subquery: the marked systems' checkpoints as JSON, so that a read's first statement
 * (which checks for waivers to lapse as well) carries everything it needs.
 */
export const markedCheckpointsSql = Prisma.sql`coalesce((
  SELECT json_agg(json_build_object('marked', d.system_id, 'system_id', s.id, 'team', s.team, 'tier', s.tier, 'active', ${Prisma.raw(activeSystemText("s"))}, 'id', c.id, 'milestone_id', c.milestone_id,
                                    'sequence', m.sequence, 'status', c.status, 'due_on', c.due_on, 'submitted_at', c.submitted_at, 'completed_at', c.completed_at))
    FROM system_rollup_dirty d
    LEFT JOIN system s ON s.id = d.system_id
    ${Prisma.raw(CHECKPOINTS_OF_SYSTEM)}), '[]'::json)`;

export function markedRollups(rows: readonly Record<string, unknown>[]): MarkedRollups {
  if (rows.length === 0) return NO_MARKS;
  const computed = computeAll(rows.filter((r) => r.system_id !== null));
  return {
    systemIds: [...new Set(rows.map((r) => r.marked as string))].sort(),
    rows: [...computed].sort(byKey).map(([id, c]) => rollupRow(id, c.rollup)),
  };
}

/**
 * For a read that shows roll-ups without storing them (the registry: one statement per listing):
 * `FROM ${currentRollupsSql(marked)} AS r` is the stored rows with the marked systems' rows
 * replaced by what this read computed. The marks stay for a read that stores (storeMarkedRollups).
 */
export function currentRollupsSql(marked: MarkedRollups): Prisma.Sql {
  if (marked.systemIds.length === 0) return Prisma.sql`system_rollup`;
  return Prisma.sql`(
    SELECT * FROM jsonb_to_recordset(${JSON.stringify(marked.rows)}::jsonb) AS computed(${Prisma.raw(COLUMNS)})
    UNION ALL
    SELECT ${Prisma.raw(NAMES.map((n) => `sr.${n}`).join(", "))} FROM system_rollup sr WHERE sr.system_id <> ALL(${marked.systemIds}::uuid[]))`;
}

/** For reads that count from the stored rows (the dashboard): refreshes the marked systems first. */
export async function storeMarkedRollups(marked: MarkedRollups): Promise<void> {
  if (marked.systemIds.length === 0) return;
  await db().$transaction((tx) => refreshRollups(tx, marked.systemIds), { timeout: 60_000 });
}

/**
 * Every system's roll-up and the whole tally from scratch (`npm run cli -- rollup rebuild`, the
 * seed, and a changed schedule, which moves every checkpoint). Locks out concurrent refreshes.
 */
export async function rebuildRollups(run: SqlRunner): Promise<number> {
  await run(`LOCK TABLE system_rollup, checkpoint_tally IN SHARE ROW EXCLUSIVE MODE`, []);
  const computed = computeAll(await run(LOAD, [null]));
  await run(`DELETE FROM checkpoint_tally`, []);
  await write(
    run,
    computed,
    tallyDelta(
      [],
      [...computed.values()].flatMap((c) => c.cells),
    ),
    null,
  );
  return computed.size;
}

/** `npm run cli -- rollup rebuild`: every roll-up recomputed in one transaction. */
export async function rebuildAllRollups(): Promise<number> {
  return db().$transaction((tx) => rebuildRollups(prismaRunner(tx)), { timeout: 120_000 });
}

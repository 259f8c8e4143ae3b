// Reads of the systems registry: the /systems table, GET /api/v1/systems and the CSV exports.
// Filtering, sorting and paging happen in Postgres, in ONE statement whatever N and the page size
// (no query per row; an integration test counts them). Progress, health, next due date and the
// current milestone come from each system's roll-up row (lib/data/rollup.ts), kept by the
// commands, so a listing reads one narrow row per system instead of aggregating checkpoints.
import "server-only";
import type { Tier } from "@/lib/generated/prisma/enums";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { systemsWithoutEligibleReviewer } from "@/lib/data/lead-queue";
import { SLUG_PATTERN } from "@/lib/data/checkpoints.schema";
import { lapseDueWaivers } from "@/lib/data/checkpoints/waiver-lapse";
import { type UserRef } from "@/lib/data/checkpoints/dto";
import { db } from "@/lib/db";
import { activeSystem, currentRollupsSql, rollupHealthSql, type MarkedRollups } from "@/lib/data/rollup";
import { isoDay, utcDay, type CheckpointStatus, type Health, type Progress } from "@/lib/domain/schedule";
import {
  SYSTEMS_PAGE_SIZE,
  listSystemsSchema,
  type ListSystemsInput,
  type SystemColumn,
  type SystemsQuery,
} from "@/lib/data/systems.schema";
import { ValidationError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

export interface SystemListItem {
  key: string;
  name: string;
  team: string;
  tier: Tier;
  aiAssisted: boolean;
  description: string;
  owners: UserRef[];
  reviewers: UserRef[];
  progress: Progress;
  health: Health;
  nextDue: { milestone: string; dueOn: string } | null;
  /** The first milestone (in sequence) not yet approved or waived; null when all are done. */
  currentMilestone: { key: string; name: string } | null;
  /** The latest audit event about the system (ISO), or null. */
  lastActivity: string | null;
  /** The status of the `milestone` filter's checkpoint, when the view names a milestone. */
  milestoneStatus: CheckpointStatus | null;
  /** When the system's own fields last changed: bulk edits send it back (optimistic concurrency). */
  updatedAt: string;
  /** The day it joined a program already under way (rule 13), or null; joinedDay is its program day. */
  joinedOn: string | null;
  joinedDay: number | null;
  /** When it was archived (rule 15); archived systems are listed only when asked for. */
  archivedAt: string | null;
}

export interface SystemPage {
  items: SystemListItem[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
  query: SystemsQuery;
}

interface Row {
  key: string;
  name: string;
  team: string;
  tier: SystemListItem["tier"];
  ai_assisted: boolean;
  description: string;
  owners: UserRef[];
  reviewers: UserRef[];
  approved: number;
  waived: number;
  total: number;
  health: Health;
  next_due: Date | null;
  next_due_milestone: string | null;
  current_key: string | null;
  current_name: string | null;
  last_activity: Date | null;
  milestone_status: CheckpointStatus | null;
  updated_at: Date;
  joined_on: Date | null;
  joined_day: number | null;
  archived_at: Date | null;
  matching: bigint | number;
  page: number;
}

const people = (kind: "OWNER" | "REVIEWER") => Prisma.sql`(
  SELECT coalesce(json_agg(json_build_object('email', u.email, 'name', u.name, 'role', u.role, 'seniority', u.seniority) ORDER BY u.name, u.email), '[]'::json)
    FROM assignment x JOIN app_user u ON u.id = x.user_id
   WHERE x.system_id = f.id AND x.kind = ${kind}::assignment_kind)`;

const lastActivity = Prisma.sql`(SELECT e.at FROM audit_event e WHERE e.system_key = f.key ORDER BY e.seq DESC LIMIT 1)`;

/** ORDER BY expressions per column; every order ends with the key so that pages are stable. */
const SORT: Record<SystemColumn, Prisma.Sql> = {
  key: Prisma.sql`f.key`,
  name: Prisma.sql`lower(f.name)`,
  team: Prisma.sql`lower(f.team)`,
  tier: Prisma.sql`f.tier`,
  aiAssisted: Prisma.sql`f.ai_assisted`,
  owners: Prisma.sql`(SELECT min(lower(u.name)) FROM assignment x JOIN app_user u ON u.id = x.user_id WHERE x.system_id = f.id AND x.kind = 'OWNER')`,
  reviewers: Prisma.sql`(SELECT min(lower(u.name)) FROM assignment x JOIN app_user u ON u.id = x.user_id WHERE x.system_id = f.id AND x.kind = 'REVIEWER')`,
  // Share of checkpoints done (approved or waived); among equals, more approved ranks higher.
  progress: Prisma.sql`f.progress_rank`,
  milestone: Prisma.sql`f.current_seq`,
  nextDue: Prisma.sql`f.next_due`,
  // Worst health first when descending (the registry's default) and, within one health, the
  // soonest next due date first: rank × 10^6 minus the due date's day number.
  health: Prisma.sql`(CASE f.health WHEN 'DONE' THEN 0 WHEN 'ON_TRACK' THEN 1 WHEN 'AT_RISK' THEN 2 ELSE 3 END * 1000000 - coalesce(f.next_due - DATE '2000-01-01', 0))`,
  lastActivity,
};

/**
 * The filtered systems with their aggregates, as one SQL statement: the total, the page number
 * clamped to the last page, and either one page of rows or (for the export) all of them.
 */
function listingSql(
  query: SystemsQuery,
  today: Date,
  paging: { page: number; pageSize: number } | null,
  marked: MarkedRollups,
  onlyKeys: string[] | null = null,
): Prisma.Sql {
  // Rule 15: archived systems are left out unless the query asks for them.
  const where: Prisma.Sql[] = [
    query.archived === "include"
      ? Prisma.sql`TRUE`
      : query.archived === "only"
        ? Prisma.sql`NOT ${activeSystem("s")}`
        : activeSystem("s"),
  ];
  if (query.q) {
    const like = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(Prisma.sql`(s.key ILIKE ${like} OR s.name ILIKE ${like} OR s.team ILIKE ${like})`);
  }
  if (query.team) where.push(Prisma.sql`s.team = ANY(${query.team}::text[])`);
  if (onlyKeys) where.push(Prisma.sql`s.key = ANY(${onlyKeys}::text[])`);
  if (query.tier) where.push(Prisma.sql`s.tier::text = ANY(${query.tier}::text[])`);
  for (const [kind, email] of [
    ["OWNER", query.owner],
    ["REVIEWER", query.reviewer],
  ] as const) {
    if (email) {
      where.push(Prisma.sql`EXISTS (SELECT 1 FROM assignment x JOIN app_user u ON u.id = x.user_id
                                    WHERE x.system_id = s.id AND x.kind = ${kind}::assignment_kind AND u.email = ${email})`);
    }
  }
  if (query.milestone && query.mstatus) where.push(Prisma.sql`sc.status::text = ANY(${query.mstatus}::text[])`);
  if (query.status)
    where.push(Prisma.sql`EXISTS (SELECT 1 FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id JOIN prog ON prog.id = m.program_id
                                   WHERE c.system_id = s.id AND c.status::text = ANY(${query.status}::text[]))`);
  const healthWhere = query.health ? Prisma.sql`WHERE health = ANY(${query.health}::text[])` : Prisma.empty;
  const direction = query.dir === "desc" ? Prisma.sql`DESC` : Prisma.sql`ASC`;
  const order = Prisma.sql`${SORT[query.sort ?? "name"]} ${direction} NULLS LAST, f.key ${direction}`;
  const pageSize = paging?.pageSize ?? 0;
  const limit = paging ? Prisma.sql`LIMIT ${pageSize} OFFSET (SELECT (p - 1) * ${pageSize} FROM clamp)` : Prisma.empty;

  return Prisma.sql`
    WITH prog AS (SELECT id FROM program WHERE active LIMIT 1),
    filtered AS (
      SELECT s.id, s.key, s.name, s.team, s.tier, s.ai_assisted, s.description, s.updated_at, s.joined_on, s.archived_at,
             (s.joined_on - (SELECT p.starts_on FROM program p JOIN prog ON prog.id = p.id) + 1) AS joined_day,
             coalesce(r.total, 0) AS total, coalesce(r.approved, 0) AS approved, coalesce(r.waived, 0) AS waived,
             r.next_due_on AS next_due, r.next_due_milestone_id, r.current_sequence AS current_seq, r.current_milestone_id,
             coalesce(r.progress_rank, 0) AS progress_rank, sc.status AS milestone_status,
             ${rollupHealthSql("r", today)} AS health
        FROM system s
        LEFT JOIN ${currentRollupsSql(marked)} r ON r.system_id = s.id
        LEFT JOIN checkpoint sc ON sc.system_id = s.id
             AND sc.milestone_id = (SELECT m.id FROM milestone m JOIN prog ON prog.id = m.program_id WHERE m.key = ${query.milestone ?? null}::text)
       WHERE ${Prisma.join(where, " AND ")}
    ),
    matching AS (SELECT * FROM filtered ${healthWhere}),
    counted AS (SELECT count(*) AS n FROM matching),
    clamp AS (SELECT least(greatest(${paging?.page ?? 1}::int, 1), greatest(ceil(n::numeric / greatest(${pageSize}::int, 1))::int, 1)) AS p FROM counted),
    -- Order and cut the page first: the people, the last activity and the next due milestone
    -- below are then computed for the page's rows only, not for every row an OFFSET skips.
    paged AS (SELECT * FROM matching f ORDER BY ${order} ${limit})
    SELECT f.key, f.name, f.team, f.tier, f.ai_assisted, f.description, f.total, f.approved, f.waived, f.health,
           f.next_due, f.milestone_status, f.updated_at, f.joined_on, f.joined_day, f.archived_at, nm.key AS next_due_milestone,
           cm.key AS current_key, cm.name AS current_name,
           ${people("OWNER")} AS owners,
           ${people("REVIEWER")} AS reviewers,
           ${lastActivity} AS last_activity,
           (SELECT n FROM counted) AS matching,
           (SELECT p FROM clamp) AS page
      FROM paged f
      LEFT JOIN milestone cm ON cm.id = f.current_milestone_id
      LEFT JOIN milestone nm ON nm.id = f.next_due_milestone_id
     ORDER BY ${order}`;
}

function toItem(row: Row): SystemListItem {
  return {
    key: row.key,
    name: row.name,
    team: row.team,
    tier: row.tier,
    aiAssisted: row.ai_assisted,
    description: row.description,
    owners: row.owners,
    reviewers: row.reviewers,
    progress: { approved: row.approved, waived: row.waived, total: row.total },
    health: row.health,
    nextDue:
      row.next_due && row.next_due_milestone
        ? { milestone: row.next_due_milestone, dueOn: isoDay(row.next_due) }
        : null,
    currentMilestone: row.current_key && row.current_name ? { key: row.current_key, name: row.current_name } : null,
    lastActivity: row.last_activity ? row.last_activity.toISOString() : null,
    milestoneStatus: row.milestone_status,
    updatedAt: row.updated_at.toISOString(),
    joinedOn: row.joined_on ? isoDay(row.joined_on) : null,
    joinedDay: row.joined_day,
    archivedAt: row.archived_at?.toISOString() ?? null,
  };
}

/** The `flag` filter: rule 14's verdict comes from lib/domain/eligibility.ts, not restated in SQL. */
async function flaggedKeys(query: SystemsQuery): Promise<string[] | null> {
  return query.flag === "no-eligible-reviewer" ? systemsWithoutEligibleReviewer() : null;
}

function parse(input: ListSystemsInput | SystemsQuery): SystemsQuery {
  const parsed = listSystemsSchema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  return parsed.data;
}

/** One page of the registry (the table and GET /api/v1/systems). A single SQL statement. */
export async function listSystems(
  actor: Actor,
  input: ListSystemsInput | SystemsQuery,
  today = utcDay(new Date()),
): Promise<SystemPage> {
  await authorize(actor, "system.read", { type: "system", id: "*" });
  // Rule 8: an expired waiver must not be listed or exported as waived; roll-ups marked as behind
  // are shown as computed now (the dashboard's read stores them).
  const marked = await lapseDueWaivers();
  const query = parse(input);
  const pageSize = query.pageSize ?? SYSTEMS_PAGE_SIZE;
  const rows = await db().$queryRaw<Row[]>(
    listingSql(query, today, { page: query.page ?? 1, pageSize }, marked, await flaggedKeys(query)),
  );
  // With no matching rows the statement returns none, so the total is 0 and the page is 1.
  const total = rows.length ? Number(rows[0]!.matching) : 0;
  return {
    items: rows.map(toItem),
    total,
    page: rows.length ? rows[0]!.page : 1,
    pageSize,
    pageCount: Math.max(1, Math.ceil(total / pageSize)),
    query,
  };
}

/** Every system of a view, in its order, for the CSV export (not just the page shown). */
export async function listAllSystems(
  actor: Actor,
  input: ListSystemsInput | SystemsQuery,
  today = utcDay(new Date()),
): Promise<SystemListItem[]> {
  await authorize(actor, "system.read", { type: "system", id: "*" });
  // Rule 8: an expired waiver must not be listed or exported as waived.
  const marked = await lapseDueWaivers();
  const query = parse(input);
  const rows = await db().$queryRaw<Row[]>(listingSql(query, today, null, marked, await flaggedKeys(query)));
  return rows.map(toItem);
}

export interface SystemFilterOptions {
  teams: string[];
  milestones: { key: string; name: string }[];
}

/**
 * What the filters offer: teams in use and the active program's milestones. One statement. The
 * people filters suggest as the user types instead (lib/data/people-search.ts).
 */
export async function systemFilterOptions(actor: Actor): Promise<SystemFilterOptions> {
  await authorize(actor, "system.read", { type: "system", id: "*" });
  const [row] = await db().$queryRaw<
    [{ teams: string[] | null; milestones: SystemFilterOptions["milestones"] | null }]
  >`
    SELECT (SELECT array_agg(team ORDER BY team) FROM (SELECT DISTINCT team FROM system) t) AS teams,
           (SELECT json_agg(json_build_object('key', m.key, 'name', m.name) ORDER BY m.sequence)
              FROM milestone m JOIN program p ON p.id = m.program_id AND p.active) AS milestones`;
  return { teams: row.teams ?? [], milestones: row.milestones ?? [] };
}

export interface ProgramExportRow {
  systemKey: string;
  systemName: string;
  team: string;
  tier: string;
  milestone: string;
  milestoneName: string;
  status: CheckpointStatus;
  dueOn: string;
  approvers: { name: string; email: string }[];
  waivedUntil: string | null;
}

/**
 * The whole program for auditors: every system × milestone with its status, due date and the
 * approvals that currently count (this round's, not stale: rule 7 as in isStale). One statement.
 */
export async function programExportRows(actor: Actor): Promise<ProgramExportRow[]> {
  await authorize(actor, "system.read", { type: "system", id: "*" });
  // Rule 8: an expired waiver must not be listed or exported as waived.
  await lapseDueWaivers();
  const rows = await db().$queryRaw<
    {
      system_key: string;
      system_name: string;
      team: string;
      tier: string;
      milestone: string;
      milestone_name: string;
      status: CheckpointStatus;
      due_on: Date;
      approvers: { name: string; email: string }[];
      waived_until: Date | null;
    }[]
  >`
    SELECT s.key AS system_key, s.name AS system_name, s.team, s.tier::text AS tier, m.key AS milestone, m.name AS milestone_name,
           c.status, c.due_on, w.expires_on AS waived_until,
           (SELECT coalesce(json_agg(json_build_object('name', u.name, 'email', u.email) ORDER BY r.at), '[]'::json)
              FROM review r JOIN app_user u ON u.id = r.reviewer_id
             WHERE r.checkpoint_id = c.id AND r.decision = 'APPROVE' AND r.round = c.round
               AND (CASE WHEN c.status = 'WAIVED' THEN coalesce(w.prior_status, c.status) ELSE c.status END) IN ('SUBMITTED', 'APPROVED')) AS approvers
      FROM checkpoint c
      JOIN system s ON s.id = c.system_id
      JOIN milestone m ON m.id = c.milestone_id
      JOIN program p ON p.id = m.program_id AND p.active
      LEFT JOIN LATERAL (SELECT prior_status, expires_on FROM waiver
                          WHERE checkpoint_id = c.id AND revoked_at IS NULL AND lapsed_at IS NULL
                          ORDER BY at DESC LIMIT 1) w ON TRUE
     WHERE ${activeSystem("s")}
     ORDER BY s.key, m.sequence`;
  return rows.map((r) => ({
    systemKey: r.system_key,
    systemName: r.system_name,
    team: r.team,
    tier: r.tier,
    milestone: r.milestone,
    milestoneName: r.milestone_name,
    status: r.status,
    dueOn: isoDay(r.due_on),
    approvers: r.approvers,
    waivedUntil: r.waived_until ? isoDay(r.waived_until) : null,
  }));
}

/** Whether a system exists (for a 404 before a page starts streaming). */
export async function systemExists(actor: Actor, key: string): Promise<boolean> {
  await authorize(actor, "system.read", { type: "system", id: key, systemKey: key });
  if (!SLUG_PATTERN.test(key)) return false;
  return (await db().system.count({ where: { key } })) > 0;
}

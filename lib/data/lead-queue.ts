// The lead's queue (on My work for leads, and the strip at the top of the dashboard): what needs
// a lead's hand now — checkpoints no assigned reviewer can ever sign (rule 14, decided by
// lib/domain/eligibility.ts), the reviews waiting longest and who can sign them, overdue work by
// team with the people it waits on, and waivers about to lapse. Active systems only (rule 15).
// Who can sign what is read from the stored review pools (lib/data/review-pool.ts), so the queue
// is four statements over indexed rows rather than a judgement of every open checkpoint.
import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { activeSystemSql, activeSystemWhere } from "@/lib/data/active-systems";
import { authorize } from "@/lib/data/authz";
import { storedFiguresCurrent } from "@/lib/data/checkpoints/waiver-lapse";
import type { PersonRef } from "@/lib/data/my-work";
import { OPEN_STATUSES } from "@/lib/data/open-checkpoints";
import { isPersonSql } from "@/lib/data/people";
import { currentReviewPools } from "@/lib/data/review-pool";
import { db } from "@/lib/db";
import type { RiskRow } from "@/lib/domain/progress-report";
import { addDays, isoDay, utcDay, type CheckpointStatus } from "@/lib/domain/schedule";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Tier } from "@/lib/generated/prisma/enums";

const LIST_LIMIT = 10;
/** Waivers lapsing within this many days are shown, so a lead can extend or let them go. */
export const WAIVER_WARNING_DAYS = 7;

export interface QueueCheckpoint {
  systemKey: string;
  systemName: string;
  team: string;
  tier: Tier;
  milestone: string;
  milestoneName: string;
  status: CheckpointStatus;
  dueOn: string;
}

export interface LeadQueue {
  noEligibleReviewer: { total: number; systems: number; items: (QueueCheckpoint & { reason: string })[] };
  longestReviews: {
    total: number;
    items: (QueueCheckpoint & { submittedAt: string; waitingDays: number; canSign: PersonRef[] })[];
  };
  overdueByTeam: {
    team: string;
    checkpoints: number;
    systems: number;
    /** Who the late checkpoints wait on, and as what (so a link can open their systems). */
    waitingOn: (PersonRef & { as: "owner" | "reviewer" })[];
  }[];
  expiringWaivers: (QueueCheckpoint & { expiresOn: string; reason: string })[];
}

/** The columns every listed checkpoint carries, from `checkpoint c`, `system s` and `milestone m`. */
const REF_COLUMNS = Prisma.sql`s.key AS system_key, s.name AS system_name, s.team, s.tier::text AS tier,
  m.key AS milestone, m.name AS milestone_name, c.status::text AS status, c.due_on::text AS due_on`;
/** Open checkpoints of the active program's active systems, as `c`, `s` and `m`. */
const OPEN_CHECKPOINTS = Prisma.sql`checkpoint c JOIN system s ON s.id = c.system_id
  JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active`;
const openWhere = Prisma.sql`c.status = ANY(${OPEN_STATUSES}::checkpoint_status[]) AND ${activeSystemSql}`;

/** A listed checkpoint as REF_COLUMNS selects it: the at-risk list's row, its due date as text. */
type RefRow = Omit<RiskRow, "due_on" | "total" | "people"> & { due_on: string };

const refOf = (r: RefRow): QueueCheckpoint => ({
  systemKey: r.system_key,
  systemName: r.system_name,
  team: r.team,
  tier: r.tier,
  milestone: r.milestone,
  milestoneName: r.milestone_name,
  status: r.status,
  dueOn: r.due_on,
});

/** The lead's queue in counts, for the strip at the top of the dashboard. */
export interface LeadQueueSummary {
  noEligibleReviewer: { total: number; systems: number };
  reviewsWaiting: { total: number; oldest: { systemName: string; waitingDays: number } | null };
  overdue: { total: number; mostIn: string | null };
  expiringWaivers: { total: number; firstExpiresOn: string | null };
}

/** The strip's counts of a full queue (My work, which shows the lists too). */
export function summarizeLeadQueue(queue: LeadQueue): LeadQueueSummary {
  const oldest = queue.longestReviews.items[0];
  return {
    noEligibleReviewer: { total: queue.noEligibleReviewer.total, systems: queue.noEligibleReviewer.systems },
    reviewsWaiting: {
      total: queue.longestReviews.total,
      oldest: oldest ? { systemName: oldest.systemName, waitingDays: oldest.waitingDays } : null,
    },
    overdue: {
      total: queue.overdueByTeam.reduce((sum, t) => sum + t.checkpoints, 0),
      mostIn: queue.overdueByTeam[0]?.team ?? null,
    },
    expiringWaivers: {
      total: queue.expiringWaivers.length,
      firstExpiresOn: queue.expiringWaivers[0]?.expiresOn ?? null,
    },
  };
}

/**
 * The same counts as getLeadQueue, without the lists: one statement over indexes, the stored
 * review pools and the tally, instead of every late checkpoint with the people it waits on.
 */
export const getLeadQueueSummary = cache(async (actor: Actor, now: Date = new Date()): Promise<LeadQueueSummary> => {
  await authorize(actor, "report.read", { type: "program", id: "active" });
  const today = utcDay(now);
  // Waivers lapse first: a lapse reopens a checkpoint, which marks its pool for the catch-up after.
  await storedFiguresCurrent(isoDay(today));
  await currentReviewPools();
  const [row] = await db().$queryRaw<
    [
      {
        flagged: number;
        flagged_systems: number;
        waiting: number;
        oldest: { system_name: string; submitted_at: string | null } | null;
        overdue: { team: string; n: number }[];
        waivers: number;
        first_waiver: string | null;
      },
    ]
  >`
    WITH flagged AS (
      SELECT c.system_id FROM review_pool r JOIN ${OPEN_CHECKPOINTS} ON c.id = r.checkpoint_id
       WHERE r.shortfall IS NOT NULL AND ${openWhere}),
    expiring AS (
      SELECT w.expires_on FROM waiver w JOIN ${OPEN_CHECKPOINTS} ON c.id = w.checkpoint_id
       WHERE w.revoked_at IS NULL AND w.lapsed_at IS NULL AND ${activeSystemSql}
         AND w.expires_on BETWEEN ${isoDay(today)}::date AND ${isoDay(addDays(today, WAIVER_WARNING_DAYS))}::date)
    SELECT (SELECT count(*)::int FROM flagged) AS flagged,
           (SELECT count(DISTINCT system_id)::int FROM flagged) AS flagged_systems,
           (SELECT coalesce(sum(t.n), 0)::int FROM checkpoint_tally t WHERE t.n > 0 AND t.status = 'SUBMITTED') AS waiting,
           (SELECT json_build_object('system_name', s.name, 'submitted_at', c.submitted_at) FROM ${OPEN_CHECKPOINTS}
             WHERE c.status = 'SUBMITTED' AND ${activeSystemSql}
             ORDER BY c.submitted_at NULLS FIRST, c.due_on, m.sequence, s.key LIMIT 1) AS oldest,
           coalesce((SELECT json_agg(o) FROM (
             SELECT t.team, sum(t.n)::int AS n FROM checkpoint_tally t
              WHERE t.n > 0 AND t.status = ANY(${OPEN_STATUSES}::checkpoint_status[]) AND t.due_on < ${isoDay(today)}::date
              GROUP BY t.team) o), '[]') AS overdue,
           (SELECT count(*)::int FROM expiring) AS waivers,
           (SELECT min(expires_on)::text FROM expiring) AS first_waiver`;
  // The team with the most, ties by name, as the full queue orders its teams.
  const teams = row.overdue.sort((a, b) => b.n - a.n || a.team.localeCompare(b.team));
  const since = row.oldest ? new Date(row.oldest.submitted_at ?? now) : null;
  return {
    noEligibleReviewer: { total: row.flagged, systems: row.flagged_systems },
    reviewsWaiting: {
      total: row.waiting,
      oldest:
        row.oldest && since
          ? {
              systemName: row.oldest.system_name,
              waitingDays: Math.max(0, Math.floor((now.getTime() - since.getTime()) / 86_400_000)),
            }
          : null,
    },
    overdue: { total: teams.reduce((sum, t) => sum + t.n, 0), mostIn: teams[0]?.team ?? null },
    expiringWaivers: { total: row.waivers, firstExpiresOn: row.first_waiver },
  };
});

/** System keys with a checkpoint no assigned reviewer can sign (the registry's filter). */
export const systemsWithoutEligibleReviewer = cache(async (): Promise<string[]> => {
  await currentReviewPools();
  const rows = await db().$queryRaw<{ key: string }[]>`
    SELECT DISTINCT s.key FROM review_pool r JOIN ${OPEN_CHECKPOINTS} ON c.id = r.checkpoint_id
     WHERE r.shortfall IS NOT NULL AND ${openWhere}`;
  return rows.map((r) => r.key).sort();
});

/** By name; one person both owning and reviewing late work is listed as owner first. */
export const byWaitingOn = (a: PersonRef & { as: string }, b: PersonRef & { as: string }) =>
  a.name.localeCompare(b.name) || a.as.localeCompare(b.as) || a.email.localeCompare(b.email);

export const getLeadQueue = cache(async (actor: Actor, now: Date = new Date()): Promise<LeadQueue> => {
  await authorize(actor, "report.read", { type: "program", id: "active" });
  const today = utcDay(now);
  await currentReviewPools();
  const client = db();
  // Who can sign, as names in assignment order; people only (service accounts never sign).
  const canSign = (pool: Prisma.Sql) => Prisma.sql`coalesce((
    SELECT json_agg(json_build_object('name', u.name, 'email', u.email) ORDER BY e.n)
      FROM unnest(${pool}) WITH ORDINALITY AS e(id, n) JOIN app_user u ON u.id = e.id
     WHERE ${isPersonSql("u")}), '[]')`;
  const [flagged, waiting, late, waiverRows] = await Promise.all([
    client.$queryRaw<[{ total: number; systems: number; items: (RefRow & { shortfall: string })[] }]>`
      WITH flagged AS (
        SELECT ${REF_COLUMNS}, m.sequence, r.shortfall
          FROM review_pool r JOIN ${OPEN_CHECKPOINTS} ON c.id = r.checkpoint_id
         WHERE r.shortfall IS NOT NULL AND ${openWhere})
      SELECT (SELECT count(*)::int FROM flagged) AS total,
             (SELECT count(DISTINCT system_key)::int FROM flagged) AS systems,
             coalesce((SELECT json_agg(f) FROM (SELECT * FROM flagged ORDER BY due_on, sequence, system_key
                                                  LIMIT ${LIST_LIMIT * 2}) f), '[]') AS items`,
    // The submissions waiting longest (an index walk; one without a time counts as the oldest),
    // and how many are waiting in all.
    client.$queryRaw<[{ total: number; items: (RefRow & { submitted_at: string; can_sign: PersonRef[] })[] }]>`
      SELECT (SELECT count(*)::int FROM ${OPEN_CHECKPOINTS} WHERE c.status = 'SUBMITTED' AND ${activeSystemSql}) AS total,
             coalesce((SELECT json_agg(w ORDER BY w.submitted_at NULLS FIRST, w.due_on, w.sequence, w.system_key) FROM (
               SELECT ${REF_COLUMNS}, m.sequence, c.submitted_at,
                      ${canSign(Prisma.sql`coalesce(r.eligible_reviewer_ids, '{}')`)} AS can_sign
                 FROM ${OPEN_CHECKPOINTS} LEFT JOIN review_pool r ON r.checkpoint_id = c.id
                WHERE c.status = 'SUBMITTED' AND ${activeSystemSql}
                ORDER BY c.submitted_at NULLS FIRST, c.due_on, m.sequence, s.key LIMIT ${LIST_LIMIT}) w), '[]') AS items`,
    // Overdue work by team, and who each late checkpoint waits on: the reviewers who can still
    // sign a submitted one (rule 14), the owners of the rest.
    client.$queryRaw<
      [
        {
          teams: { team: string; checkpoints: number; systems: number }[];
          people: (PersonRef & { team: string; as: "owner" | "reviewer" })[];
        },
      ]
    >`
      WITH late AS MATERIALIZED (
        SELECT c.id, c.system_id, c.status, s.team FROM ${OPEN_CHECKPOINTS}
         WHERE ${openWhere} AND c.due_on < ${isoDay(today)}::date),
      people AS (
        SELECT DISTINCT l.team, 'owner' AS waiting_as, u.id, u.name, u.email
          FROM late l JOIN assignment a ON a.system_id = l.system_id AND a.kind = 'OWNER' JOIN app_user u ON u.id = a.user_id
         WHERE l.status <> 'SUBMITTED' AND ${isPersonSql("u")}
        UNION
        SELECT DISTINCT l.team, 'reviewer', u.id, u.name, u.email
          FROM late l JOIN review_pool r ON r.checkpoint_id = l.id
         CROSS JOIN unnest(r.eligible_reviewer_ids) AS e(id) JOIN app_user u ON u.id = e.id
         WHERE l.status = 'SUBMITTED' AND ${isPersonSql("u")})
      SELECT coalesce((SELECT json_agg(t) FROM (SELECT team, count(*)::int AS checkpoints, count(DISTINCT system_id)::int AS systems
                                                  FROM late GROUP BY team) t), '[]') AS teams,
             coalesce((SELECT json_agg(json_build_object('team', team, 'as', waiting_as, 'name', name, 'email', email)) FROM people), '[]') AS people`,
    client.waiver.findMany({
      where: {
        revokedAt: null,
        lapsedAt: null,
        expiresOn: { gte: today, lte: addDays(today, WAIVER_WARNING_DAYS) },
        checkpoint: { system: activeSystemWhere, milestone: { program: { active: true } } },
      },
      orderBy: { expiresOn: "asc" },
      select: {
        expiresOn: true,
        reason: true,
        checkpoint: {
          select: {
            status: true,
            dueOn: true,
            system: { select: { key: true, name: true, team: true, tier: true } },
            milestone: { select: { key: true, name: true } },
          },
        },
      },
    }),
  ]);

  const people = new Map<string, (PersonRef & { as: "owner" | "reviewer" })[]>();
  for (const { team, ...who } of late[0].people) people.set(team, [...(people.get(team) ?? []), who]);
  const overdueByTeam = late[0].teams
    .map((t) => ({
      team: t.team,
      checkpoints: t.checkpoints,
      systems: t.systems,
      waitingOn: (people.get(t.team) ?? []).sort(byWaitingOn),
    }))
    .sort((a, b) => b.checkpoints - a.checkpoints || a.team.localeCompare(b.team));

  return {
    noEligibleReviewer: {
      total: flagged[0].total,
      systems: flagged[0].systems,
      items: flagged[0].items.map((f) => ({ ...refOf(f), reason: f.shortfall })),
    },
    longestReviews: {
      total: waiting[0].total,
      items: waiting[0].items.map((w) => {
        const since = new Date(w.submitted_at ?? now);
        return {
          ...refOf(w),
          submittedAt: since.toISOString(),
          waitingDays: Math.max(0, Math.floor((now.getTime() - since.getTime()) / 86_400_000)),
          canSign: w.can_sign,
        };
      }),
    },
    overdueByTeam,
    expiringWaivers: waiverRows.map((w) => ({
      systemKey: w.checkpoint.system.key,
      systemName: w.checkpoint.system.name,
      team: w.checkpoint.system.team,
      tier: w.checkpoint.system.tier,
      milestone: w.checkpoint.milestone.key,
      milestoneName: w.checkpoint.milestone.name,
      status: w.checkpoint.status,
      dueOn: isoDay(w.checkpoint.dueOn),
      expiresOn: isoDay(w.expiresOn),
      reason: w.reason,
    })),
  };
});

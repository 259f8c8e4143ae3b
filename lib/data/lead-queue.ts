// The lead's queue (on My work for leads, and the strip at the top of the dashboard): what needs
// a lead's hand now — checkpoints no assigned reviewer can ever sign (rule 14, decided by
// lib/domain/eligibility.ts), the reviews waiting longest and who can sign them, overdue work by
// team with the people it waits on, and waivers about to lapse. Active systems only (rule 15).
import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { activeSystemWhere } from "@/lib/data/active-systems";
import { authorize } from "@/lib/data/authz";
import { factsOf, type ItemRow, type PersonRef } from "@/lib/data/my-work";
import { isPerson } from "@/lib/data/people";
import { db } from "@/lib/db";
import { reviewerPool, reviewerShortfall } from "@/lib/domain/eligibility";
import { addDays, isoDay, utcDay, type CheckpointStatus } from "@/lib/domain/schedule";
import type { Role, Seniority, Tier } from "@/lib/generated/prisma/enums";

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

/** What My work's rules read of a checkpoint (ItemRow), and the team the queue groups by. */
type OpenRow = ItemRow & { system: ItemRow["system"] & { team: string } };

const OPEN_STATUSES = "('NOT_STARTED','IN_PROGRESS','CHANGES_REQUESTED','SUBMITTED')";
const OPEN_OF_ACTIVE = `c.status IN ${OPEN_STATUSES} AND s.archived_at IS NULL`;
const OF_ACTIVE_PROGRAM =
  "JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active";

/**
 * The open checkpoints of the active program's active systems in the shape My work's rules read
 * (ItemRow), from three flat statements run side by side: the checkpoints, the systems with their
 * people, and the open checkpoints' evidence and reviews. Nested loading instead repeats every
 * system's people inside each of its checkpoints and builds them row by row in Postgres, seconds
 * at 10,000 systems; here each system and person is read and built once.
 */
async function openCheckpointRows(): Promise<OpenRow[]> {
  const client = db();
  const [checkpoints, people, history] = await Promise.all([
    client.$queryRawUnsafe<
      {
        id: string;
        system_id: string;
        status: CheckpointStatus;
        round: number;
        due_on: Date;
        version: number;
        submitted_at: Date | null;
        key: string;
        name: string;
        sequence: number;
        required_approvals: number;
        min_reviewer_seniority: Seniority;
      }[]
    >(
      `SELECT c.id, c.system_id, c.status::text AS status, c.round, c.due_on, c.version, c.submitted_at,
              m.key, m.name, m.sequence, m.required_approvals, m.min_reviewer_seniority::text AS min_reviewer_seniority
         FROM checkpoint c JOIN system s ON s.id = c.system_id ${OF_ACTIVE_PROGRAM}
        WHERE ${OPEN_OF_ACTIVE}
        ORDER BY c.due_on, m.sequence, s.key`,
    ),
    client.$queryRawUnsafe<
      {
        system_id: string;
        key: string;
        name: string;
        tier: Tier;
        ai_assisted: boolean;
        team: string;
        kind: "OWNER" | "REVIEWER" | null;
        user_id: string | null;
        user_name: string;
        email: string;
        role: Role;
        seniority: Seniority;
        active: boolean;
      }[]
    >(
      `SELECT s.id AS system_id, s.key, s.name, s.tier::text AS tier, s.ai_assisted, s.team,
              a.kind::text AS kind, u.id AS user_id, u.name AS user_name, u.email, u.role::text AS role,
              u.seniority::text AS seniority, u.active
         FROM system s LEFT JOIN assignment a ON a.system_id = s.id LEFT JOIN app_user u ON u.id = a.user_id
        WHERE s.archived_at IS NULL
        ORDER BY a.created_at, u.name, u.id`,
    ),
    // Evidence (its author and whether it was withdrawn) and reviews, in one statement: `review`
    // rows carry a decision, evidence rows do not.
    client.$queryRawUnsafe<
      {
        checkpoint_id: string;
        id: string;
        person_id: string;
        withdrawn_at: Date | null;
        round: number | null;
        decision: "APPROVE" | "REQUEST_CHANGES" | null;
        comment: string | null;
        at: Date | null;
        reviewer_name: string | null;
        reviewer_email: string | null;
      }[]
    >(
      `SELECT e.checkpoint_id, e.id, e.submitted_by_id AS person_id, w.at AS withdrawn_at,
              NULL::int AS round, NULL::text AS decision, NULL::text AS comment, NULL::timestamptz AS at,
              NULL::text AS reviewer_name, NULL::text AS reviewer_email
         FROM evidence e JOIN checkpoint c ON c.id = e.checkpoint_id JOIN system s ON s.id = c.system_id
         LEFT JOIN evidence_withdrawal w ON w.evidence_id = e.id
        WHERE ${OPEN_OF_ACTIVE}
       UNION ALL
       SELECT r.checkpoint_id, r.id, r.reviewer_id, NULL, r.round, r.decision::text, r.comment, r.at, u.name, u.email
         FROM review r JOIN checkpoint c ON c.id = r.checkpoint_id JOIN system s ON s.id = c.system_id
         JOIN app_user u ON u.id = r.reviewer_id
        WHERE ${OPEN_OF_ACTIVE}
        ORDER BY at NULLS FIRST`,
    ),
  ]);
  const systems = new Map<string, OpenRow["system"]>();
  for (const p of people) {
    let system = systems.get(p.system_id);
    if (!system) {
      system = { key: p.key, name: p.name, tier: p.tier, aiAssisted: p.ai_assisted, team: p.team, assignments: [] };
      systems.set(p.system_id, system);
    }
    if (p.kind === null || p.user_id === null) continue;
    const user = {
      id: p.user_id,
      name: p.user_name,
      email: p.email,
      role: p.role,
      seniority: p.seniority,
      active: p.active,
    };
    system.assignments.push({ kind: p.kind, user });
  }
  const evidence = new Map<string, OpenRow["evidence"]>();
  const reviews = new Map<string, OpenRow["reviews"]>();
  for (const h of history) {
    if (h.decision === null) {
      const list = evidence.get(h.checkpoint_id) ?? [];
      evidence.set(h.checkpoint_id, list);
      list.push({ id: h.id, submittedById: h.person_id, withdrawal: h.withdrawn_at ? { at: h.withdrawn_at } : null });
    } else {
      const list = reviews.get(h.checkpoint_id) ?? [];
      reviews.set(h.checkpoint_id, list);
      list.push({
        reviewerId: h.person_id,
        round: h.round!,
        decision: h.decision,
        comment: h.comment ?? "",
        at: h.at!,
        reviewer: { name: h.reviewer_name!, email: h.reviewer_email! },
      });
    }
  }
  return checkpoints.map((c) => ({
    status: c.status,
    round: c.round,
    dueOn: c.due_on,
    version: c.version,
    submittedAt: c.submitted_at,
    milestone: {
      key: c.key,
      name: c.name,
      sequence: c.sequence,
      requiredApprovals: c.required_approvals,
      minReviewerSeniority: c.min_reviewer_seniority,
    },
    evidence: evidence.get(c.id) ?? [],
    reviews: reviews.get(c.id) ?? [],
    system: systems.get(c.system_id)!,
  }));
}

/**
 * The open checkpoints of the active program's active systems, each judged by reviewerPool.
 * Linear in the fleet (every open checkpoint is judged), in three flat statements.
 */
async function judgedOpenCheckpoints() {
  const rows = await openCheckpointRows();
  return rows.map((row) => {
    const facts = factsOf(row);
    const ref: QueueCheckpoint = {
      systemKey: row.system.key,
      systemName: row.system.name,
      team: row.system.team,
      tier: row.system.tier,
      milestone: row.milestone.key,
      milestoneName: row.milestone.name,
      status: row.status,
      dueOn: isoDay(row.dueOn),
    };
    return { row, ref, facts, shortfall: reviewerShortfall(facts.context, facts.reviewers) };
  });
}

/** Checkpoint keys ("system/milestone") and system keys that no assigned reviewer can sign. */
export const systemsWithoutEligibleReviewer = cache(async (): Promise<string[]> => {
  const judged = await judgedOpenCheckpoints();
  return [...new Set(judged.filter((j) => j.shortfall !== null).map((j) => j.ref.systemKey))].sort();
});

export const getLeadQueue = cache(async (actor: Actor, now: Date = new Date()): Promise<LeadQueue> => {
  await authorize(actor, "report.read", { type: "program", id: "active" });
  const today = utcDay(now);
  const judged = await judgedOpenCheckpoints();

  const flagged = judged.filter((j) => j.shortfall !== null);
  const submitted = judged
    .filter((j) => j.row.status === "SUBMITTED")
    .sort((a, b) => (a.row.submittedAt?.getTime() ?? 0) - (b.row.submittedAt?.getTime() ?? 0));

  // Overdue by team, and who each late checkpoint waits on: the reviewers who can still sign a
  // submitted one (rule 14), the owners of the rest.
  const teams = new Map<
    string,
    { checkpoints: number; systems: Set<string>; people: Map<string, PersonRef & { as: "owner" | "reviewer" }> }
  >();
  for (const j of judged) {
    if (j.row.dueOn.getTime() >= today.getTime()) continue;
    const team = teams.get(j.ref.team) ?? { checkpoints: 0, systems: new Set(), people: new Map() };
    teams.set(j.ref.team, team);
    team.checkpoints += 1;
    team.systems.add(j.ref.systemKey);
    const as = j.row.status === "SUBMITTED" ? "reviewer" : "owner";
    const ids =
      as === "reviewer"
        ? reviewerPool(j.facts.context, j.facts.reviewers).eligibleIds
        : j.facts.context.system.ownerIds;
    for (const id of ids) {
      const who = j.facts.people.get(id)!;
      if (isPerson(who)) team.people.set(`${as}:${id}`, { ...who, as });
    }
  }
  const overdueByTeam = [...teams.entries()]
    .map(([team, t]) => ({
      team,
      checkpoints: t.checkpoints,
      systems: t.systems.size,
      waitingOn: [...t.people.values()].sort((a, b) => a.name.localeCompare(b.name)),
    }))
    .sort((a, b) => b.checkpoints - a.checkpoints || a.team.localeCompare(b.team));

  const waiverRows = await db().waiver.findMany({
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
  });

  return {
    noEligibleReviewer: {
      total: flagged.length,
      systems: new Set(flagged.map((f) => f.ref.systemKey)).size,
      items: flagged.slice(0, LIST_LIMIT * 2).map((f) => ({ ...f.ref, reason: f.shortfall! })),
    },
    longestReviews: {
      total: submitted.length,
      items: submitted.slice(0, LIST_LIMIT).map((j) => {
        const since = j.row.submittedAt ?? now;
        const pool = reviewerPool(j.facts.context, j.facts.reviewers);
        return {
          ...j.ref,
          submittedAt: since.toISOString(),
          waitingDays: Math.max(0, Math.floor((now.getTime() - since.getTime()) / 86_400_000)),
          canSign: pool.eligibleIds.map((id) => j.facts.people.get(id)!).filter(isPerson),
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

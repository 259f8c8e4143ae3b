// The lead's queue (on My work for leads, and the strip at the top of the dashboard): what needs
// a lead's hand now — checkpoints no assigned reviewer can ever sign (rule 14, decided by
// lib/domain/eligibility.ts), the reviews waiting longest and who can sign them, overdue work by
// team with the people it waits on, and waivers about to lapse. Active systems only (rule 15).
import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { activeSystemWhere } from "@/lib/data/active-systems";
import { authorize } from "@/lib/data/authz";
import { factsOf, type PersonRef } from "@/lib/data/my-work";
import { openCheckpointRows } from "@/lib/data/open-checkpoints";
import { isPerson } from "@/lib/data/people";
import { db } from "@/lib/db";
import { reviewerPool, reviewerShortfall } from "@/lib/domain/eligibility";
import { addDays, isoDay, utcDay, type CheckpointStatus } from "@/lib/domain/schedule";
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

/**
 * The open checkpoints of the active program's active systems, each judged by reviewerPool.
 * Linear in the fleet (every open checkpoint is judged), in three flat statements.
 */
async function judgedOpenCheckpoints() {
  const rows = await openCheckpointRows("open");
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

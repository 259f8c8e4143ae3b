// TEST-ONLY: the lead's queue and the reviewer load as they were computed before the stored
// review pools, by judging every open checkpoint of the program on each read with the domain's
// rules. Kept so that tests can hold the pool-backed reads to exactly the same answers; never
// imported by the application.
import { loadOpenCheckpoints } from "@/lib/data/open-checkpoints";
import { factsOf, type PersonRef } from "@/lib/data/my-work";
import { byWaitingOn, type LeadQueue, type QueueCheckpoint } from "@/lib/data/lead-queue";
import type { ReviewerLoadRow } from "@/lib/data/review-pool";
import { isPerson } from "@/lib/data/people";
import { prismaRunner } from "@/lib/data/rollup";
import { db } from "@/lib/db";
import { eligibility, reviewerPool, reviewerShortfall } from "@/lib/domain/eligibility";
import { isoDay, utcDay } from "@/lib/domain/schedule";

const LIST_LIMIT = 10;

async function judgedOpenCheckpoints() {
  const rows = await db().$transaction((tx) => loadOpenCheckpoints(prismaRunner(tx), null));
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

export async function legacySystemsWithoutEligibleReviewer(): Promise<string[]> {
  const judged = await judgedOpenCheckpoints();
  return [...new Set(judged.filter((j) => j.shortfall !== null).map((j) => j.ref.systemKey))].sort();
}

/** Everything of the queue but the expiring waivers, which never read the judgement. */
export async function legacyLeadQueue(now: Date = new Date()): Promise<Omit<LeadQueue, "expiringWaivers">> {
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
      // The one change from the original: its ties (one name twice) fell in load order.
      waitingOn: [...t.people.values()].sort(byWaitingOn),
    }))
    .sort((a, b) => b.checkpoints - a.checkpoints || a.team.localeCompare(b.team));

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
  };
}

export async function legacyReviewerLoad(): Promise<ReviewerLoadRow[]> {
  const rows = (await judgedOpenCheckpoints()).map((j) => j.row).filter((row) => row.status === "SUBMITTED");
  const load = new Map<string, ReviewerLoadRow>();
  for (const row of rows) {
    const { context } = factsOf(row);
    for (const { kind, user } of row.system.assignments) {
      if (kind !== "REVIEWER" || !user.active || !isPerson(user)) continue;
      if (!eligibility({ ...context, actor: { id: user.id, role: user.role, seniority: user.seniority } }).canAct)
        continue;
      const since = row.submittedAt ?? new Date();
      const entry = load.get(user.id) ?? {
        email: user.email,
        name: user.name,
        seniority: user.seniority,
        waiting: 0,
        oldest: since,
      };
      entry.waiting += 1;
      if (since < entry.oldest) entry.oldest = since;
      load.set(user.id, entry);
    }
  }
  return [...load.values()].sort(
    (a, b) => b.waiting - a.waiting || a.oldest.getTime() - b.oldest.getTime() || a.email.localeCompare(b.email),
  );
}

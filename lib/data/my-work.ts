// "My work": what waits on the signed-in person — as an owner, their open checkpoints (overdue
// first, then by due date, changes requested marked); as a reviewer, the submissions waiting for
// their sign-off, oldest first. Two queries, whatever the number of systems.
import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { db } from "@/lib/db";
import { checkpointHealth, isoDay, utcDay, type CheckpointStatus, type Health } from "@/lib/domain/schedule";

export interface OwnerItem {
  systemKey: string;
  systemName: string;
  milestone: string;
  milestoneName: string;
  status: CheckpointStatus;
  dueOn: string;
  health: Health;
}

export interface ReviewItem {
  systemKey: string;
  systemName: string;
  tier: "TIER_0" | "TIER_1" | "TIER_2";
  milestone: string;
  milestoneName: string;
  submittedAt: string;
  waitingDays: number;
}

export interface MyWork {
  owned: OwnerItem[];
  reviews: ReviewItem[];
  /** What the navigation counts: sign-offs waiting for you and your checkpoints sent back. */
  waiting: number;
}

const OWNER_LIMIT = 100;

export const getMyWork = cache(async (actor: Actor): Promise<MyWork> => {
  if (actor.kind !== "user") return { owned: [], reviews: [], waiting: 0 };
  const today = utcDay(new Date());
  const [owned, submitted] = await Promise.all([
    db().checkpoint.findMany({
      where: {
        status: { in: ["NOT_STARTED", "IN_PROGRESS", "CHANGES_REQUESTED", "SUBMITTED"] },
        milestone: { program: { active: true } },
        system: { assignments: { some: { userId: actor.id, kind: "OWNER" } } },
      },
      orderBy: [{ dueOn: "asc" }, { milestone: { sequence: "asc" } }],
      take: OWNER_LIMIT,
      select: { status: true, dueOn: true, system: { select: { key: true, name: true } }, milestone: { select: { key: true, name: true } } },
    }),
    db().checkpoint.findMany({
      where: {
        status: "SUBMITTED",
        milestone: { program: { active: true } },
        system: { assignments: { some: { userId: actor.id, kind: "REVIEWER" } } },
      },
      orderBy: [{ submittedAt: "asc" }],
      select: {
        round: true,
        submittedAt: true,
        reviews: { where: { reviewerId: actor.id }, select: { round: true } },
        system: { select: { key: true, name: true, tier: true } },
        milestone: { select: { key: true, name: true } },
      },
    }),
  ]);
  const ownedItems = owned
    .map((c) => ({
      systemKey: c.system.key,
      systemName: c.system.name,
      milestone: c.milestone.key,
      milestoneName: c.milestone.name,
      status: c.status,
      dueOn: isoDay(c.dueOn),
      health: checkpointHealth(c, today),
    }))
    // Overdue first; the rest already come by due date.
    .sort((a, b) => Number(b.health === "OVERDUE") - Number(a.health === "OVERDUE"));
  const reviews = submitted
    // Already signed this round: nothing waits on you until the next submission.
    .filter((c) => !c.reviews.some((r) => r.round === c.round))
    .map((c) => {
      const since = c.submittedAt ?? today;
      return {
        systemKey: c.system.key,
        systemName: c.system.name,
        tier: c.system.tier,
        milestone: c.milestone.key,
        milestoneName: c.milestone.name,
        submittedAt: since.toISOString(),
        waitingDays: Math.max(0, Math.floor((Date.now() - since.getTime()) / 86_400_000)),
      };
    });
  return {
    owned: ownedItems,
    reviews,
    waiting: reviews.length + ownedItems.filter((o) => o.status === "CHANGES_REQUESTED").length,
  };
});

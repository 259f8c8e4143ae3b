// "My work", grouped by what to do (docs/RULES.md rule 14): "Needs you now" holds only what the
// person can act on now (lib/domain/eligibility.ts decides, as it does for every queue and
// count); "Waiting on others" names who it waits on; "Later" holds the owner's milestones not
// due soon. At most four statements (the person's assignments, their owned and reviewed
// checkpoints, their changes), each bounded by what the person is assigned to, not by the fleet.
import "server-only";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { activeSystemSql, activeSystemWhere } from "@/lib/data/active-systems";
import { approvalTtlDays, ROLLBACK_MILESTONE_KEY } from "@/lib/data/changes";
import { isPerson } from "@/lib/data/people";
import { db } from "@/lib/db";
import {
  changeReviewEligibility,
  decideChange,
  type ChangeFacts,
  type ChangeReviewFacts,
} from "@/lib/domain/change-gate";
import { checkpointFactsOf, type WorkflowContext } from "@/lib/domain/checkpoint-workflow";
import { eligibility, reviewerPool, type NextAction, type ReviewerFacts } from "@/lib/domain/eligibility";
import {
  checkpointHealth,
  daysBetween,
  isoDay,
  utcDay,
  type CheckpointStatus,
  type Health,
} from "@/lib/domain/schedule";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Seniority, Tier } from "@/lib/generated/prisma/enums";

/** An owner's not-started milestone due further out than this waits in "Later". */
export const LATER_AFTER_DAYS = 14;

export type MyWorkGroup = "now" | "waiting" | "later";

export interface PersonRef {
  name: string;
  email: string;
}

export interface MyWorkItem {
  systemKey: string;
  systemName: string;
  tier: Tier;
  milestone: string;
  milestoneName: string;
  status: CheckpointStatus;
  dueOn: string;
  health: Health;
  version: number;
  /** How the person is assigned to the system. */
  as: "owner" | "reviewer";
  canAct: boolean;
  /** The next step when they can act. */
  action: NextAction | null;
  /** Why not, in the user's words, when they cannot. */
  reason: string | null;
  /** Who it waits on instead (the reviewers who can still sign, or the owners). */
  waitingOn: PersonRef[];
  /** The reviewer's words when changes were requested in the last round. */
  changesRequested: { by: PersonRef; comment: string; at: string } | null;
  /** For submitted checkpoints: when it was submitted and how many whole days it has waited. */
  submittedAt: string | null;
  waitingDays: number | null;
}

/** A production change waiting on the person's approval (docs/RULES.md section 6). */
export interface ChangeWorkItem {
  id: string;
  title: string;
  systemKey: string;
  systemName: string;
  tier: Tier;
  aiAssisted: boolean;
  author: PersonRef;
  /** Always true: only changes the person can move are listed. */
  canAct: true;
  action: "reviewChange";
  /** What the gate still lacks, in its own words. */
  reasons: string[];
  createdAt: string;
  waitingDays: number;
}

export interface MyWork {
  now: MyWorkItem[];
  /** Changes that wait on the person's approval: part of "Needs you now". */
  changes: ChangeWorkItem[];
  waiting: MyWorkItem[];
  later: MyWorkItem[];
  /** What the navigation counts: exactly the items of "Needs you now", checkpoints and changes. */
  count: number;
}

const OPEN: CheckpointStatus[] = ["NOT_STARTED", "IN_PROGRESS", "CHANGES_REQUESTED", "SUBMITTED"];
const LIMIT = 200;

const person = { select: { id: true, name: true, email: true, role: true, seniority: true, active: true } } as const;

/** What factsOf needs of a checkpoint; other queues select it too, so the rules see the same facts. */
export const itemSelect = {
  status: true,
  round: true,
  dueOn: true,
  version: true,
  submittedAt: true,
  milestone: { select: { key: true, name: true, sequence: true, requiredApprovals: true, minReviewerSeniority: true } },
  evidence: { select: { id: true, submittedById: true, withdrawal: { select: { at: true } } } },
  reviews: {
    orderBy: { at: "asc" },
    select: {
      reviewerId: true,
      round: true,
      decision: true,
      comment: true,
      at: true,
      reviewer: { select: { name: true, email: true } },
    },
  },
  system: {
    select: {
      key: true,
      name: true,
      tier: true,
      aiAssisted: true,
      assignments: { select: { kind: true, user: person } },
    },
  },
} satisfies Prisma.CheckpointSelect;

export type ItemRow = Prisma.CheckpointGetPayload<{ select: typeof itemSelect }>;

/** The workflow facts of a loaded checkpoint, and its assigned reviewers as the rules see them. */
export function factsOf(row: ItemRow): {
  context: Omit<WorkflowContext, "actor">;
  reviewers: ReviewerFacts[];
  people: Map<string, PersonRef>;
} {
  const owners = row.system.assignments.filter((a) => a.kind === "OWNER").map((a) => a.user);
  const reviewers = row.system.assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.user);
  return {
    context: {
      system: {
        tier: row.system.tier,
        aiAssisted: row.system.aiAssisted,
        ownerIds: owners.map((u) => u.id),
        reviewerIds: reviewers.map((u) => u.id),
      },
      milestone: row.milestone,
      checkpoint: checkpointFactsOf(row),
    },
    reviewers: reviewers.map((u) => ({
      id: u.id,
      role: u.role,
      seniority: u.seniority as Seniority,
      active: u.active,
    })),
    people: new Map([...owners, ...reviewers].map((u) => [u.id, { name: u.name, email: u.email }])),
  };
}

function toItem(
  row: ItemRow,
  me: { id: string; role: WorkflowContext["actor"]["role"]; seniority: Seniority },
  today: Date,
  now: Date,
): MyWorkItem & { group: MyWorkGroup } {
  const { context, reviewers, people } = factsOf(row);
  const verdict = eligibility({ ...context, actor: me });
  const as = context.system.ownerIds.includes(me.id) ? "owner" : "reviewer";
  const health = checkpointHealth(row, today);
  let waitingOn: PersonRef[] = [];
  if (!verdict.canAct) {
    if (verdict.waitingOn === "reviewers") {
      // The reviewers who can still sign this round, not everyone assigned.
      const pool = reviewerPool(context, reviewers);
      waitingOn = pool.eligibleIds
        .filter((id) => id !== me.id)
        .map((id) => people.get(id)!)
        .filter(isPerson);
    } else if (verdict.waitingOn === "owners") {
      waitingOn = context.system.ownerIds.filter((id) => id !== me.id).map((id) => people.get(id)!);
    }
  }
  const sentBack =
    row.status === "CHANGES_REQUESTED"
      ? row.reviews.filter((r) => r.round === row.round && r.decision === "REQUEST_CHANGES").at(-1)
      : undefined;
  const notUrgent = row.status === "NOT_STARTED" && daysBetween(today, row.dueOn) > LATER_AFTER_DAYS;
  const group: MyWorkGroup = verdict.canAct
    ? notUrgent
      ? "later"
      : "now"
    : as === "owner" && row.status !== "SUBMITTED"
      ? "later"
      : "waiting";
  const submitted = row.status === "SUBMITTED" ? (row.submittedAt ?? now) : null;
  return {
    group,
    systemKey: row.system.key,
    systemName: row.system.name,
    tier: row.system.tier,
    milestone: row.milestone.key,
    milestoneName: row.milestone.name,
    status: row.status,
    dueOn: isoDay(row.dueOn),
    health,
    version: row.version,
    as,
    canAct: verdict.canAct,
    action: verdict.canAct ? verdict.action : null,
    reason: verdict.canAct ? null : verdict.reason,
    waitingOn,
    changesRequested: sentBack
      ? { by: sentBack.reviewer, comment: sentBack.comment, at: sentBack.at.toISOString() }
      : null,
    submittedAt: submitted?.toISOString() ?? null,
    waitingDays: submitted ? Math.max(0, Math.floor((now.getTime() - submitted.getTime()) / 86_400_000)) : null,
  };
}

const rank = (i: MyWorkItem) =>
  i.health === "OVERDUE" ? 0 : i.status === "CHANGES_REQUESTED" ? 1 : i.as === "reviewer" ? 2 : 3;

interface OpenChangeRow {
  id: string;
  title: string;
  ai_assisted: boolean;
  rollback_plan_url: string | null;
  revision: number;
  created_at: Date;
  system_key: string;
  system_name: string;
  tier: Tier;
  author_id: string;
  author_name: string;
  author_email: string;
  author_seniority: Seniority;
  co_author_ids: string[];
  reviewer_ids: string[];
  rollback_status: string | null;
  reviews: (Omit<ChangeReviewFacts, "at"> & { at: string })[];
}

/**
 * The open changes of active systems this person reviews whose gate waits on their approval, as
 * changeReviewEligibility (lib/domain/change-gate.ts) decides: the same rules reviewChange applies.
 * One statement with everything the rule needs (it runs for the navigation's count on every page),
 * where Prisma would make one query per relation.
 */
async function changesWaitingOn(actor: Extract<Actor, { kind: "user" }>, now: Date): Promise<ChangeWorkItem[]> {
  if (actor.role === "EXECUTIVE" || !isPerson(actor)) return [];
  const rows = await db().$queryRaw<OpenChangeRow[]>`
    SELECT c.id, c.title, c.ai_assisted, c.rollback_plan_url, c.revision, c.created_at,
           s.key AS system_key, s.name AS system_name, s.tier::text AS tier,
           a.id AS author_id, a.name AS author_name, a.email AS author_email, a.seniority::text AS author_seniority,
           COALESCE((SELECT json_agg(ca.user_id) FROM change_co_author ca WHERE ca.change_id = c.id), '[]') AS co_author_ids,
           COALESCE((SELECT json_agg(ra.user_id) FROM assignment ra WHERE ra.system_id = s.id AND ra.kind = 'REVIEWER'), '[]') AS reviewer_ids,
           (SELECT cp.status::text FROM checkpoint cp JOIN milestone m ON m.id = cp.milestone_id
              JOIN program p ON p.id = m.program_id AND p.active
             WHERE cp.system_id = s.id AND m.key = ${ROLLBACK_MILESTONE_KEY} LIMIT 1) AS rollback_status,
           COALESCE((SELECT json_agg(json_build_object('reviewerId', r.reviewer_id, 'reviewerName', u.name,
                        'seniority', r.seniority, 'decision', r.decision, 'comment', r.comment,
                        'revision', r.revision, 'at', r.at) ORDER BY r.at)
                       FROM change_review r JOIN app_user u ON u.id = r.reviewer_id WHERE r.change_id = c.id), '[]') AS reviews
      FROM change c
      JOIN system s ON s.id = c.system_id AND ${activeSystemSql}
      JOIN app_user a ON a.id = c.author_id
     WHERE NOT EXISTS (SELECT 1 FROM change_outcome o WHERE o.change_id = c.id)
       AND EXISTS (SELECT 1 FROM assignment x WHERE x.system_id = s.id AND x.user_id = ${actor.id}::uuid AND x.kind = 'REVIEWER')
     ORDER BY c.created_at
     LIMIT ${LIMIT}`;
  const options = { now, approvalTtlDays: approvalTtlDays() };
  const me = { id: actor.id, role: actor.role, seniority: actor.seniority };
  return rows.flatMap((row): ChangeWorkItem[] => {
    const change: ChangeFacts & { state: "OPEN" } = {
      author: { id: row.author_id, name: row.author_name, seniority: row.author_seniority },
      coAuthorIds: row.co_author_ids,
      aiAssisted: row.ai_assisted,
      rollbackPlanUrl: row.rollback_plan_url,
      revision: row.revision,
      // Open changes only: none has shipped.
      shippedAt: null,
      reviews: row.reviews.map((r) => ({ ...r, at: new Date(r.at) })),
      state: "OPEN",
    };
    const system = { tier: row.tier, rollbackStatus: row.rollback_status };
    if (!changeReviewEligibility({ reviewer: me, change, reviewerIds: row.reviewer_ids }, system, options).canAct)
      return [];
    return [
      {
        id: row.id,
        title: row.title,
        systemKey: row.system_key,
        systemName: row.system_name,
        tier: row.tier,
        aiAssisted: row.ai_assisted,
        author: { name: row.author_name, email: row.author_email },
        canAct: true,
        action: "reviewChange",
        reasons: decideChange(change, system, options).reasons,
        createdAt: row.created_at.toISOString(),
        waitingDays: Math.max(0, Math.floor((now.getTime() - row.created_at.getTime()) / 86_400_000)),
      },
    ];
  });
}

/** The caller's work in three groups; a "Later" item with a real next step still says so. */
export const getMyWork = cache(async (actor: Actor, now: Date = new Date()): Promise<MyWork> => {
  if (actor.kind !== "user") return { now: [], changes: [], waiting: [], later: [], count: 0 };
  const today = utcDay(now);
  const base = { status: { in: OPEN }, milestone: { program: { active: true } } } satisfies Prisma.CheckpointWhereInput;
  // The person's systems first, then their checkpoints by system id. Filtering the checkpoints by
  // "the system has an assignment of this person" instead lets Postgres build every open
  // checkpoint's related rows before the filter (seconds at 10,000 systems, on every page's count).
  const assigned = await db().assignment.findMany({
    where: { userId: actor.id, system: activeSystemWhere },
    select: { systemId: true, kind: true },
  });
  const ownerOf = assigned.filter((a) => a.kind === "OWNER").map((a) => a.systemId);
  const reviewerOf = assigned.filter((a) => a.kind === "REVIEWER").map((a) => a.systemId);
  const [owned, reviewing, changes] = await Promise.all([
    ownerOf.length
      ? db().checkpoint.findMany({
          where: { ...base, systemId: { in: ownerOf } },
          orderBy: [{ dueOn: "asc" }, { milestone: { sequence: "asc" } }],
          take: LIMIT,
          select: itemSelect,
        })
      : [],
    reviewerOf.length
      ? db().checkpoint.findMany({
          where: { ...base, status: "SUBMITTED", systemId: { in: reviewerOf } },
          orderBy: [{ submittedAt: "asc" }],
          take: LIMIT,
          select: itemSelect,
        })
      : [],
    // Only a system's reviewers approve its changes.
    reviewerOf.length ? changesWaitingOn(actor, now) : [],
  ]);
  const me = { id: actor.id, role: actor.role, seniority: actor.seniority };
  const items = [...owned, ...reviewing].map((row) => toItem(row, me, today, now));
  const byGroup = (group: MyWorkGroup) =>
    items
      .filter((i) => i.group === group)
      .sort((a, b) => rank(a) - rank(b) || a.dueOn.localeCompare(b.dueOn) || a.systemKey.localeCompare(b.systemKey))
      .map(({ group: _group, ...item }) => item);
  const result = { now: byGroup("now"), changes, waiting: byGroup("waiting"), later: byGroup("later") };
  return { ...result, count: result.now.length + changes.length };
});

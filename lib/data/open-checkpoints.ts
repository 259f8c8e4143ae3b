// The open checkpoints of active systems in the shape My work's rules read (ItemRow), loaded flat
// for the stored reviewer pools (lib/data/review-pool.ts), which judge them: every system and
// person read once, not once per checkpoint.
import "server-only";
import type { ItemRow } from "@/lib/data/my-work";
import type { SqlRunner } from "@/lib/data/rollup";
import { activeSystemSql } from "@/lib/data/active-systems";
import { CHECKPOINT_STATUSES } from "@/lib/data/systems-columns";
import { isDone, type CheckpointStatus } from "@/lib/domain/schedule";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Role, Seniority, Tier } from "@/lib/generated/prisma/enums";

/** What My work's rules read of a checkpoint (ItemRow), its ids, and the team the queue groups by. */
export type OpenRow = ItemRow & { id: string; systemId: string; system: ItemRow["system"] & { team: string } };

/** The statuses of an open checkpoint (not approved, not waived). */
export const OPEN_STATUSES = CHECKPOINT_STATUSES.filter((status) => !isDone(status));

async function query<T>(run: SqlRunner, sql: Prisma.Sql): Promise<T[]> {
  return (await run(sql.text, sql.values)) as T[];
}

/**
 * The open checkpoints of the active program's active systems — of `systemIds` only, or of the
 * whole fleet when null — from three flat statements run in turn on the caller's connection (so
 * that a transaction sees them together): the checkpoints, their systems with their people, and
 * the checkpoints' evidence and reviews. Nested loading instead repeats every system's people
 * inside each of its checkpoints and builds them row by row in Postgres, seconds at 10,000
 * systems; here each system and person is read and built once. People come in assignment order,
 * which is the order the queues name them in.
 */
export async function loadOpenCheckpoints(run: SqlRunner, systemIds: readonly string[] | null): Promise<OpenRow[]> {
  const ids = systemIds === null ? null : [...systemIds];
  if (ids?.length === 0) return [];
  // The checkpoints of the set, on active systems (`s`), as every statement below selects them.
  const ofSystems = ids === null ? Prisma.empty : Prisma.sql`AND s.id = ANY(${ids}::uuid[])`;
  const selected = Prisma.sql`c.status = ANY(${OPEN_STATUSES}::checkpoint_status[]) AND ${activeSystemSql} ${ofSystems}`;
  const checkpoints = await query<{
    id: string;
    system_id: string;
    status: CheckpointStatus;
    round: number;
    due_on: string;
    version: number;
    submitted_at: Date | null;
    key: string;
    name: string;
    sequence: number;
    required_approvals: number;
    min_reviewer_seniority: Seniority;
  }>(
    run,
    Prisma.sql`SELECT c.id, c.system_id, c.status::text AS status, c.round, c.due_on::text AS due_on, c.version, c.submitted_at,
              m.key, m.name, m.sequence, m.required_approvals, m.min_reviewer_seniority::text AS min_reviewer_seniority
         FROM checkpoint c JOIN system s ON s.id = c.system_id
         JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active
        WHERE ${selected}
        ORDER BY c.due_on, m.sequence, s.key`,
  );
  if (checkpoints.length === 0) return [];
  const people = await query<{
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
  }>(
    run,
    Prisma.sql`SELECT s.id AS system_id, s.key, s.name, s.tier::text AS tier, s.ai_assisted, s.team,
              a.kind::text AS kind, u.id AS user_id, u.name AS user_name, u.email, u.role::text AS role,
              u.seniority::text AS seniority, u.active
         FROM system s LEFT JOIN assignment a ON a.system_id = s.id LEFT JOIN app_user u ON u.id = a.user_id
        WHERE ${activeSystemSql} ${ofSystems}
          AND EXISTS (SELECT 1 FROM checkpoint c WHERE c.system_id = s.id AND ${selected})
        ORDER BY a.created_at, u.name, u.id`,
  );
  // Evidence (its author and whether it was withdrawn) and reviews, in one statement: `review`
  // rows carry a decision, evidence rows do not.
  const history = await query<{
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
  }>(
    run,
    Prisma.sql`SELECT e.checkpoint_id, e.id, e.submitted_by_id AS person_id, w.at AS withdrawn_at,
              NULL::int AS round, NULL::text AS decision, NULL::text AS comment, NULL::timestamptz AS at,
              NULL::text AS reviewer_name, NULL::text AS reviewer_email
         FROM evidence e JOIN checkpoint c ON c.id = e.checkpoint_id JOIN system s ON s.id = c.system_id
         LEFT JOIN evidence_withdrawal w ON w.evidence_id = e.id
        WHERE ${selected}
       UNION ALL
       SELECT r.checkpoint_id, r.id, r.reviewer_id, NULL, r.round, r.decision::text, r.comment, r.at, u.name, u.email
         FROM review r JOIN checkpoint c ON c.id = r.checkpoint_id JOIN system s ON s.id = c.system_id
         JOIN app_user u ON u.id = r.reviewer_id
        WHERE ${selected}
        ORDER BY at NULLS FIRST`,
  );
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
        at: new Date(h.at!),
        reviewer: { name: h.reviewer_name!, email: h.reviewer_email! },
      });
    }
  }
  return checkpoints.map((c) => ({
    id: c.id,
    systemId: c.system_id,
    status: c.status,
    round: c.round,
    // As text: a plain `pg` client (the seed) would read a date as local midnight.
    dueOn: new Date(`${c.due_on}T00:00:00Z`),
    version: c.version,
    submittedAt: c.submitted_at === null ? null : new Date(c.submitted_at),
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

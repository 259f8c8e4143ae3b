// GET /api/v1/systems/{key} and the system page: the system, its people and every checkpoint of
// the active program in ONE statement. The commands load their facts through the same read.
import "server-only";
import type { Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import {
  toCheckpointDto,
  type CheckpointRow,
  type ContextFacts,
  type SystemDetailDto,
  type UserRef,
} from "@/lib/data/checkpoints/dto";
import { lapseExpiredWaivers } from "@/lib/data/checkpoints/waiver-lapse";
import { slugSchema } from "@/lib/data/checkpoints.schema";
import { db } from "@/lib/db";
import type { WorkflowContext } from "@/lib/domain/checkpoint-workflow";
import type { ReviewerFacts } from "@/lib/domain/eligibility";
import { isDone, isoDay, progressOf, systemHealth, utcDay } from "@/lib/domain/schedule";
import { NotFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

type Tx = Prisma.TransactionClient;

const userJson = (alias: string) =>
  Prisma.raw(
    `json_build_object('email', ${alias}.email, 'name', ${alias}.name, 'role', ${alias}.role, 'seniority', ${alias}.seniority)`,
  );

export interface DetailRow {
  id: string;
  key: string;
  name: string;
  team: string;
  tier: WorkflowContext["system"]["tier"];
  ai_assisted: boolean;
  description: string;
  repo_url: string | null;
  runbook_url: string | null;
  joined_on: string | null;
  archived_at: string | null;
  archived_reason: string | null;
  assignments_version: number;
  assignments: { kind: "OWNER" | "REVIEWER"; userId: string; active: boolean; user: UserRef }[];
  ends_on: Date | null;
  lapse_due: boolean;
  checkpoints: (Omit<CheckpointRow, "dueOn" | "evidence" | "reviews" | "waivers"> & {
    dueOn: string;
    evidence: (Omit<CheckpointRow["evidence"][number], "submittedAt" | "withdrawal"> & {
      submittedAt: string;
      withdrawal: { at: string } | null;
    })[];
    reviews: (Omit<CheckpointRow["reviews"][number], "at"> & { at: string })[];
    waivers: (Omit<CheckpointRow["waivers"][number], "at" | "expiresOn"> & { at: string; expiresOn: string })[];
  })[];
}

/**
 * The system page's facts in ONE statement (instead of a query per relation): the system, its
 * people, whether a waiver of it has expired, and every checkpoint of the active program with its
 * milestone, evidence, reviews and waiver, nested as JSON in milestone order.
 */
export async function readSystemDetail(
  client: Pick<Tx, "$queryRaw">,
  key: string,
  today: Date,
): Promise<DetailRow | null> {
  const [row] = await client.$queryRaw<DetailRow[]>`
    SELECT s.id, s.key, s.name, s.team, s.tier::text AS tier, s.ai_assisted, s.description, s.repo_url, s.runbook_url,
           s.joined_on::text AS joined_on, s.archived_at, s.archived_reason, s.assignments_version,
           coalesce((SELECT json_agg(json_build_object('kind', a.kind, 'userId', a.user_id, 'active', u.active, 'user', ${userJson("u")}) ORDER BY u.name)
                       FROM assignment a JOIN app_user u ON u.id = a.user_id WHERE a.system_id = s.id), '[]'::json) AS assignments,
           (SELECT p.starts_on + p.duration_days FROM program p WHERE p.active) AS ends_on,
           EXISTS (SELECT 1 FROM waiver w JOIN checkpoint wc ON wc.id = w.checkpoint_id
                    WHERE wc.system_id = s.id AND w.revoked_at IS NULL AND w.lapsed_at IS NULL AND w.expires_on < ${isoDay(today)}::date) AS lapse_due,
           coalesce((
             SELECT json_agg(json_build_object(
                      'id', c.id, 'status', c.status, 'dueOn', c.due_on, 'dueOnOverrideReason', c.due_on_override_reason,
                      'dueOnOverriddenBy', (SELECT ${userJson("ou")} FROM app_user ou WHERE ou.id = c.due_on_overridden_by_id),
                      'version', c.version, 'round', c.round,
                      'milestone', json_build_object('key', m.key, 'name', m.name, 'description', m.description, 'evidenceHint', m.evidence_hint,
                                                     'sequence', m.sequence, 'requiredApprovals', m.required_approvals, 'minReviewerSeniority', m.min_reviewer_seniority),
                      'evidence', coalesce((
                        SELECT json_agg(json_build_object('id', e.id, 'url', e.url, 'title', e.title, 'kind', e.kind, 'note', e.note, 'submittedAt', e.submitted_at,
                                                          'submittedById', e.submitted_by_id, 'submittedBy', ${userJson("eu")},
                                                          'withdrawal', CASE WHEN ew.id IS NULL THEN NULL ELSE json_build_object('at', ew.at) END)
                                        ORDER BY e.submitted_at, e.id)
                          FROM evidence e JOIN app_user eu ON eu.id = e.submitted_by_id LEFT JOIN evidence_withdrawal ew ON ew.evidence_id = e.id
                         WHERE e.checkpoint_id = c.id), '[]'::json),
                      'reviews', coalesce((
                        SELECT json_agg(json_build_object('id', r.id, 'reviewerId', r.reviewer_id, 'round', r.round, 'decision', r.decision, 'comment', r.comment,
                                                          'seniority', r.seniority, 'at', r.at, 'reviewer', ${userJson("ru")})
                                        ORDER BY r.at, r.id)
                          FROM review r JOIN app_user ru ON ru.id = r.reviewer_id WHERE r.checkpoint_id = c.id), '[]'::json),
                      'waivers', coalesce((
                        SELECT json_agg(json_build_object('id', w.id, 'reason', w.reason, 'expiresOn', w.expires_on, 'priorStatus', w.prior_status, 'at', w.at,
                                                          'grantedBy', ${userJson("wu")})
                                        ORDER BY w.at)
                          FROM waiver w JOIN app_user wu ON wu.id = w.granted_by_id
                         WHERE w.checkpoint_id = c.id AND w.revoked_at IS NULL AND w.lapsed_at IS NULL), '[]'::json))
                    ORDER BY m.sequence)
               FROM checkpoint c JOIN milestone m ON m.id = c.milestone_id JOIN program p ON p.id = m.program_id AND p.active
              WHERE c.system_id = s.id), '[]'::json) AS checkpoints
      FROM system s
     WHERE s.key = ${key}`;
  return row ?? null;
}

/** The assigned reviewers as the eligibility rule (rule 14) sees them. */
export function reviewerFactsOf(system: Pick<DetailRow, "assignments">): ReviewerFacts[] {
  return system.assignments
    .filter((a) => a.kind === "REVIEWER")
    .map((a) => ({ id: a.userId, role: a.user.role, seniority: a.user.seniority, active: a.active }));
}

/** The JSON's dates and instants back as Dates, in the shape the commands load (CheckpointRow). */
export function checkpointRowOf(c: DetailRow["checkpoints"][number]): CheckpointRow {
  return {
    ...c,
    dueOn: new Date(c.dueOn),
    evidence: c.evidence.map((e) => ({
      ...e,
      submittedAt: new Date(e.submittedAt),
      withdrawal: e.withdrawal ? { at: new Date(e.withdrawal.at) } : null,
    })),
    reviews: c.reviews.map((r) => ({ ...r, at: new Date(r.at) })),
    waivers: c.waivers.map((w) => ({ ...w, at: new Date(w.at), expiresOn: new Date(w.expiresOn) })),
  };
}

/** GET /api/v1/systems/{key}: the system, its people and every checkpoint in milestone order. */
export async function getSystemDetail(actor: Actor, rawKey: string): Promise<SystemDetailDto> {
  await authorize(actor, "system.read", { type: "system", id: rawKey, systemKey: rawKey });
  const key = slugSchema.safeParse(rawKey);
  if (!key.success) throw new NotFound(`There is no system with the key “${rawKey}”.`);
  const today = utcDay(new Date());
  let system = await readSystemDetail(db(), key.data, today);
  if (!system) throw new NotFound(`There is no system with the key “${key.data}”.`);
  if (system.lapse_due) {
    // Rule 8: an expired waiver ends before the page shows the checkpoint (rare: read again after).
    const systemId = system.id;
    await db().$transaction((tx) => lapseExpiredWaivers(tx, { systemId }, today));
    system = await readSystemDetail(db(), key.data, today);
    if (!system) throw new NotFound(`There is no system with the key “${key.data}”.`);
  }
  const checkpoints = system.checkpoints.map(checkpointRowOf);
  const nextDue = checkpoints.filter((c) => !isDone(c.status)).sort((a, b) => a.dueOn.getTime() - b.dueOn.getTime())[0];
  // Whether an account can still sign in matters to rule 14, not to the DTO's people.
  const assignments = system.assignments.map(({ active: _active, ...a }) => a);
  const facts = {
    ...contextFacts(system, actor),
    programEndsOn: system.ends_on ?? today,
    reviewers: reviewerFactsOf(system),
  };
  const traits = { tier: system.tier, aiAssisted: system.ai_assisted };
  return {
    key: system.key,
    name: system.name,
    team: system.team,
    tier: system.tier,
    aiAssisted: system.ai_assisted,
    description: system.description,
    repoUrl: system.repo_url,
    runbookUrl: system.runbook_url,
    assignmentsVersion: system.assignments_version,
    owners: assignments.filter((a) => a.kind === "OWNER").map((a) => a.user),
    reviewers: assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.user),
    progress: progressOf(checkpoints),
    health: systemHealth(checkpoints, today),
    nextDue: nextDue ? { milestone: nextDue.milestone.key, dueOn: isoDay(nextDue.dueOn) } : null,
    joinedOn: system.joined_on ? isoDay(new Date(system.joined_on)) : null,
    archived:
      system.archived_at && system.archived_reason !== null
        ? { at: new Date(system.archived_at).toISOString(), reason: system.archived_reason }
        : null,
    checkpoints: checkpoints.map((c) => toCheckpointDto(c, traits, today, facts)),
  };
}

function personOf(actor: Actor): WorkflowContext["actor"] {
  return actor.kind === "user"
    ? { id: actor.id, role: actor.role, seniority: actor.seniority }
    : // The operator's CLI acts with a lead's rights on owner actions; it never signs off.
      { id: "system", role: "LEAD", seniority: "PRINCIPAL" };
}

/** Who acts and on what system, as the decide functions see it: the same for the page and the commands. */
export function contextFacts(
  system: Pick<DetailRow, "tier" | "ai_assisted" | "assignments">,
  actor: Actor,
): ContextFacts {
  return {
    actor: personOf(actor),
    system: {
      tier: system.tier,
      aiAssisted: system.ai_assisted,
      ownerIds: system.assignments.filter((a) => a.kind === "OWNER").map((a) => a.userId),
      reviewerIds: system.assignments.filter((a) => a.kind === "REVIEWER").map((a) => a.userId),
    },
  };
}

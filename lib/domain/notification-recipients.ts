// Who is nudged about what, as pure decisions: the facts of a checkpoint in, the people to notify
// out. Only people who can act are notified (docs/RULES.md, eligibility): a reviewer hears of a
// submission only when the sign-off rules would let them approve it.
import { decideReview, type Person, type WorkflowContext } from "@/lib/domain/checkpoint-workflow";
import { addDays, checkpointHealth, daysBetween, isDone, isoDay, type CheckpointStatus } from "@/lib/domain/schedule";
import type { NotificationEvent } from "@/lib/generated/prisma/enums";

/** The checkpoint after the change, and the people around it. */
export interface CheckpointNotificationFacts {
  context: Omit<WorkflowContext, "actor">;
  /** The system's assigned reviewers with what the sign-off rules need to know about them. */
  reviewers: readonly Person[];
  /** Active program leads. */
  leadIds: readonly string[];
  /** Who made the change; nobody is notified of their own action. */
  actorId: string | null;
}

export type CheckpointEvent = Extract<
  NotificationEvent,
  "EVIDENCE_SUBMITTED" | "CHANGES_REQUESTED" | "REVIEW_APPROVED" | "QUORUM_REACHED"
>;

/** The reviewers who could sign this checkpoint off now (rules 3–6). */
export function eligibleReviewers(facts: Pick<CheckpointNotificationFacts, "context" | "reviewers">): string[] {
  return facts.reviewers
    .filter((reviewer) => decideReview({ ...facts.context, actor: reviewer }, "APPROVE", "").ok)
    .map((r) => r.id);
}

/**
 * The one place that decides who hears of a checkpoint event: a submission goes to the reviewers
 * who may sign it off, the outcome of a review to the owners.
 */
export function recipientsFor(event: CheckpointEvent, facts: CheckpointNotificationFacts): string[] {
  const ids = event === "EVIDENCE_SUBMITTED" ? eligibleReviewers(facts) : [...facts.context.system.ownerIds];
  return [...new Set(ids)].filter((id) => id !== facts.actorId);
}

export interface PlannedNotification {
  event: NotificationEvent;
  recipientId: string;
  /** What the notification is about; with the event, recipient and day it forms the dedup key. */
  subject: string;
  /** The day that makes the key: the day of the change, or the day a condition began. */
  day: string;
}

/**
 * Everything one checkpoint event produces. A submission that no assigned reviewer could ever
 * sign off goes to the leads instead, so it does not wait in silence.
 */
export function planCheckpointNotifications(
  event: CheckpointEvent,
  facts: CheckpointNotificationFacts,
  checkpointId: string,
  now: Date,
): PlannedNotification[] {
  const day = isoDay(now);
  // A submission round is the subject: a resubmission the same day is a new thing to review.
  const subject = `checkpoint:${checkpointId}:round:${facts.context.checkpoint.round}`;
  const recipients = recipientsFor(event, facts);
  const planned: PlannedNotification[] = recipients.map((recipientId) => ({ event, recipientId, subject, day }));
  if (event === "EVIDENCE_SUBMITTED" && eligibleReviewers(facts).length === 0) {
    for (const leadId of facts.leadIds)
      if (leadId !== facts.actorId) planned.push({ event: "NO_ELIGIBLE_REVIEWER", recipientId: leadId, subject, day });
  }
  return planned;
}

/** One checkpoint as the daily sweep sees it. */
export interface SweepCheckpoint {
  id: string;
  status: CheckpointStatus;
  dueOn: Date;
  round: number;
  submittedAt: Date | null;
  ownerIds: readonly string[];
  /** Reviewers who could sign it off now (empty unless it is submitted). */
  eligibleReviewerIds: readonly string[];
}

export interface SweepWaiver {
  id: string;
  expiresOn: Date;
  grantedById: string;
}

export const REVIEW_REMINDER_DAYS = 3;
export const REVIEW_ESCALATION_DAYS = 7;
export const OVERDUE_ESCALATION_DAYS = 7;
export const WAIVER_WARNING_DAYS = 7;

/**
 * The scheduled nudges due today. Each is keyed on the day its condition began (the day a
 * checkpoint turned at risk, went overdue, or a review passed three days), so running the sweep
 * again, or on several instances, makes the same keys and the outbox keeps one of each.
 */
export function scheduledNotifications(
  checkpoints: readonly SweepCheckpoint[],
  waivers: readonly SweepWaiver[],
  leadIds: readonly string[],
  today: Date,
): PlannedNotification[] {
  const out: PlannedNotification[] = [];
  const push = (event: NotificationEvent, ids: readonly string[], subject: string, since: Date) => {
    for (const recipientId of new Set(ids)) out.push({ event, recipientId, subject, day: isoDay(since) });
  };
  for (const c of checkpoints) {
    if (isDone(c.status)) continue;
    const health = checkpointHealth(c, today);
    const subject = `checkpoint:${c.id}:due:${isoDay(c.dueOn)}`;
    if (health === "AT_RISK") push("AT_RISK", c.ownerIds, subject, addDays(c.dueOn, -7));
    if (health === "OVERDUE") {
      push("OVERDUE", c.ownerIds, subject, addDays(c.dueOn, 1));
      if (daysBetween(c.dueOn, today) >= OVERDUE_ESCALATION_DAYS)
        push("OVERDUE_ESCALATION", leadIds, subject, addDays(c.dueOn, OVERDUE_ESCALATION_DAYS));
    }
    if (c.status === "SUBMITTED" && c.submittedAt) {
      const waited = daysBetween(c.submittedAt, today);
      const round = `checkpoint:${c.id}:round:${c.round}`;
      if (waited > REVIEW_REMINDER_DAYS)
        push("REVIEW_WAITING", c.eligibleReviewerIds, round, addDays(c.submittedAt, REVIEW_REMINDER_DAYS + 1));
      if (waited > REVIEW_ESCALATION_DAYS)
        push("REVIEW_ESCALATION", leadIds, round, addDays(c.submittedAt, REVIEW_ESCALATION_DAYS + 1));
    }
  }
  for (const w of waivers) {
    const left = daysBetween(today, w.expiresOn);
    if (left >= 0 && left <= WAIVER_WARNING_DAYS)
      push("WAIVER_EXPIRING", [w.grantedById], `waiver:${w.id}`, addDays(w.expiresOn, -WAIVER_WARNING_DAYS));
  }
  return out;
}

export function dedupKey(n: Pick<PlannedNotification, "event" | "subject" | "day">, recipient: string): string {
  return `${n.event}|${n.subject}|${recipient}|${n.day}`;
}

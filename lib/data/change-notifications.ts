// The change gate's notifications (docs/RULES.md, section 7), written into the outbox inside the
// command's transaction, like a checkpoint's: a registered change asks each reviewer whose
// approval it needs (changeReviewEligibility decides, the rule My work uses); a change whose
// decision turns from blocked to allowed tells its author, and the system's team webhooks hear
// of it with the change's id, so a deploy pipeline listening there can go ahead.
import "server-only";
import { approvalTtlDays, factsOf, systemFactsOf, type ChangeRow, type Tx } from "@/lib/data/changes";
import { isPerson } from "@/lib/data/people";
import { changeReviewEligibility } from "@/lib/domain/change-gate";
import type { PlannedNotification } from "@/lib/domain/notification-recipients";
import { isoDay } from "@/lib/domain/schedule";
import { writeNotifications } from "@/lib/notifications/outbox";
import type { NotificationContext } from "@/lib/notifications/render";

function contextOf(row: ChangeRow, actorName: string | null): NotificationContext {
  return {
    systemKey: row.system.key,
    systemName: row.system.name,
    milestoneKey: "",
    milestoneName: "",
    dueOn: "",
    ownerNames: [],
    actorName,
    change: { id: row.id, title: row.title, aiAssisted: row.aiAssisted, authorName: row.author.name },
  };
}

/** After a change is registered (or its links edited into a new revision): the reviewers it waits on. */
export async function notifyChangeReviewers(
  tx: Tx,
  row: ChangeRow,
  rollback: Map<string, string>,
  now = new Date(),
): Promise<number> {
  const reviewers = await tx.assignment.findMany({
    where: { systemId: row.system.id, kind: "REVIEWER", user: { active: true } },
    select: { user: { select: { id: true, email: true, role: true, seniority: true } } },
  });
  const change = factsOf(row);
  const system = systemFactsOf(row, rollback);
  const options = { now, approvalTtlDays: approvalTtlDays() };
  const reviewerIds = reviewers.map((r) => r.user.id);
  const planned: PlannedNotification[] = reviewers
    .map((r) => r.user)
    .filter(
      (user) =>
        isPerson(user) &&
        changeReviewEligibility(
          { reviewer: { id: user.id, role: user.role, seniority: user.seniority }, change, reviewerIds },
          system,
          options,
        ).canAct,
    )
    .map((user) => ({
      event: "CHANGE_REVIEW_REQUESTED",
      recipientId: user.id,
      subject: `change:${row.id}:r${row.revision}`,
      day: isoDay(now),
    }));
  return writeNotifications(tx, planned, contextOf(row, null), row.system.team, now);
}

/** When a review turned the decision from blocked to allowed: the author, and the team's webhooks. */
export async function notifyChangeAllowed(
  tx: Tx,
  row: ChangeRow,
  actorName: string | null,
  now = new Date(),
): Promise<number> {
  const planned: PlannedNotification[] = [
    // Once per revision: a link edit blocks it again, and its next "allowed" is news again.
    { event: "CHANGE_ALLOWED", recipientId: row.author.id, subject: `change:${row.id}:r${row.revision}`, day: "any" },
  ];
  return writeNotifications(tx, planned, contextOf(row, actorName), row.system.team, now);
}

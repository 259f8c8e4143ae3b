// The demo's notification centre: a few unread notifications for each demo account, made from
// the seeded state by the same rules the app uses (reviews only to reviewers who may sign off,
// at risk and overdue to owners, a week overdue to leads), with the app's words and dedup keys,
// so the scheduled sweep later finds them already made and adds no copies.
import type pg from "pg";
import { dedupKey } from "@/lib/domain/notification-recipients";
import { addDays, isoDay, utcDay } from "@/lib/domain/schedule";
import type { NotificationEvent } from "@/lib/generated/prisma/enums";
import { renderNotification } from "@/lib/notifications/render";

const PER_KIND = 3;

interface Row {
  recipient_id: string;
  checkpoint_id: string;
  system_key: string;
  system_name: string;
  milestone_key: string;
  milestone_name: string;
  due_on: Date;
  round: number;
  submitted_at: Date | null;
  owners: string[];
}

const COMMON = `c.id AS checkpoint_id, s.key AS system_key, s.name AS system_name, m.key AS milestone_key, m.name AS milestone_name,
  c.due_on, c.round, c.submitted_at,
  ARRAY(SELECT o.name FROM assignment oa JOIN app_user o ON o.id = oa.user_id WHERE oa.system_id = s.id AND oa.kind = 'OWNER' ORDER BY o.name) AS owners`;

export async function seedDemoNotifications(
  client: pg.Client,
  demoEmails: readonly string[],
  now: Date,
): Promise<number> {
  const today = utcDay(now);
  const planned: { event: NotificationEvent; subject: string; day: string; row: Row; at: Date }[] = [];
  // Submissions a demo reviewer can sign off (rules 3–6 in SQL: assigned, not an owner, not an
  // evidence author, senior enough, not yet reviewed this round); seniority compares in enum order.
  const reviews = await client.query<Row>(
    `SELECT * FROM (
       SELECT u.id AS recipient_id, ${COMMON}, row_number() OVER (PARTITION BY u.id ORDER BY c.submitted_at DESC) AS n
         FROM app_user u JOIN assignment a ON a.user_id = u.id AND a.kind = 'REVIEWER'
         JOIN system s ON s.id = a.system_id JOIN checkpoint c ON c.system_id = s.id AND c.status = 'SUBMITTED'
         JOIN milestone m ON m.id = c.milestone_id
        WHERE u.email = ANY($1) AND u.seniority >= m.min_reviewer_seniority AND (NOT s.ai_assisted OR u.seniority >= 'SENIOR')
          AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.checkpoint_id = c.id AND e.submitted_by_id = u.id AND NOT EXISTS (SELECT 1 FROM evidence_withdrawal w WHERE w.evidence_id = e.id))
          AND NOT EXISTS (SELECT 1 FROM review r WHERE r.checkpoint_id = c.id AND r.round = c.round AND r.reviewer_id = u.id)) x
      WHERE n <= $2`,
    [demoEmails, PER_KIND],
  );
  for (const row of reviews.rows) {
    planned.push({
      event: "EVIDENCE_SUBMITTED",
      subject: `checkpoint:${row.checkpoint_id}:round:${row.round}`,
      day: isoDay(row.submitted_at!),
      row,
      at: row.submitted_at!,
    });
  }
  // Owners: their checkpoints that are overdue or due within a week and not submitted.
  const owned = await client.query<Row>(
    `SELECT * FROM (
       SELECT u.id AS recipient_id, ${COMMON}, row_number() OVER (PARTITION BY u.id ORDER BY c.due_on) AS n
         FROM app_user u JOIN assignment a ON a.user_id = u.id AND a.kind = 'OWNER'
         JOIN system s ON s.id = a.system_id JOIN checkpoint c ON c.system_id = s.id
         JOIN milestone m ON m.id = c.milestone_id
        WHERE u.email = ANY($1) AND c.status NOT IN ('APPROVED', 'WAIVED', 'SUBMITTED') AND c.due_on <= $3::date + 7) x
      WHERE n <= $2`,
    [demoEmails, PER_KIND, isoDay(today)],
  );
  for (const row of owned.rows) {
    const overdue = row.due_on.getTime() < today.getTime();
    const day = overdue ? addDays(row.due_on, 1) : addDays(row.due_on, -7);
    planned.push({
      event: overdue ? "OVERDUE" : "AT_RISK",
      subject: `checkpoint:${row.checkpoint_id}:due:${isoDay(row.due_on)}`,
      day: isoDay(day),
      row,
      at: day,
    });
  }
  // Leads: checkpoints a week or more overdue, with their owners named.
  const escalated = await client.query<Row>(
    `SELECT * FROM (
       SELECT u.id AS recipient_id, ${COMMON}, row_number() OVER (PARTITION BY u.id ORDER BY c.due_on, s.key) AS n
         FROM app_user u CROSS JOIN checkpoint c JOIN system s ON s.id = c.system_id JOIN milestone m ON m.id = c.milestone_id
        WHERE u.email = ANY($1) AND u.role = 'LEAD' AND c.status NOT IN ('APPROVED', 'WAIVED') AND c.due_on <= $3::date - 7) x
      WHERE n <= $2`,
    [demoEmails, PER_KIND, isoDay(today)],
  );
  for (const row of escalated.rows) {
    const day = addDays(row.due_on, 7);
    planned.push({
      event: "OVERDUE_ESCALATION",
      subject: `checkpoint:${row.checkpoint_id}:due:${isoDay(row.due_on)}`,
      day: isoDay(day),
      row,
      at: day,
    });
  }
  let created = 0;
  for (const p of planned) {
    const r = p.row;
    const rendered = renderNotification(p.event, {
      systemKey: r.system_key,
      systemName: r.system_name,
      milestoneKey: r.milestone_key,
      milestoneName: r.milestone_name,
      dueOn: isoDay(r.due_on),
      ownerNames: r.owners,
      actorName: null,
    });
    // Never in the future: the seed's "today" may be before the condition's first day.
    const at = new Date(Math.min(p.at.getTime(), now.getTime()));
    const result = await client.query(
      `INSERT INTO notification (recipient_id, event, dedup_key, system_key, milestone, title, body, url, created_at)
       VALUES ($1, $2::notification_event, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (dedup_key) DO NOTHING`,
      [
        r.recipient_id,
        p.event,
        dedupKey(p, r.recipient_id),
        r.system_key,
        r.milestone_key,
        rendered.title,
        rendered.body,
        rendered.url,
        at,
      ],
    );
    created += result.rowCount ?? 0;
  }
  return created;
}

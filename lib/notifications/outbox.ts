// Writes notifications into the outbox inside the caller's transaction: the in-app row, and one
// delivery per channel (e-mail when SMTP is configured, each active webhook of the system's team).
// Every row carries a unique deduplication key, so writing the same plan twice adds nothing.
// No "server-only" here: the scheduled sweep runs this from the app's instrumentation hook too.
import { notificationConfig } from "@/lib/env";
import {
  dedupKey,
  planCheckpointNotifications,
  type CheckpointEvent,
  type CheckpointNotificationFacts,
  type PlannedNotification,
} from "@/lib/domain/notification-recipients";
import {
  channelsFor,
  DEFAULT_SETTINGS,
  immediateSendAt,
  type ChannelChoice,
  type EmailSettings,
} from "@/lib/domain/notification-preferences";
import { checkpointFactsOf } from "@/lib/domain/checkpoint-workflow";
import { isoDay } from "@/lib/domain/schedule";
import { DEFAULT_TIME_ZONE, localDay } from "@/lib/domain/time-zone";
import type { NotificationEvent } from "@/lib/generated/prisma/enums";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  genericBody,
  renderEmail,
  renderNotification,
  slackBody,
  type NotificationContext,
} from "@/lib/notifications/render";
import { unsubscribeUrl } from "@/lib/notifications/unsubscribe-token";

type Tx = Prisma.TransactionClient;

const person = { select: { id: true, name: true, email: true, role: true, seniority: true, active: true } } as const;

/** Everything about one checkpoint that deciding and rendering its notifications needs. */
const checkpointFacts = {
  id: true,
  status: true,
  round: true,
  dueOn: true,
  submittedAt: true,
  milestone: { select: { key: true, name: true, requiredApprovals: true, minReviewerSeniority: true } },
  system: {
    select: {
      key: true,
      name: true,
      team: true,
      tier: true,
      aiAssisted: true,
      assignments: { select: { kind: true, user: person } },
    },
  },
  evidence: { select: { id: true, submittedById: true, withdrawal: { select: { id: true } } } },
  reviews: { select: { reviewerId: true, round: true, decision: true } },
} satisfies Prisma.CheckpointSelect;

export type CheckpointFactsRow = Prisma.CheckpointGetPayload<{ select: typeof checkpointFacts }>;

export async function loadCheckpointFacts(tx: Tx, where: Prisma.CheckpointWhereInput) {
  return tx.checkpoint.findMany({ where, select: checkpointFacts });
}

/** The active program's time zone: the wall clock of digests and quiet weekends (docs/RULES.md, section 7). */
export async function programTimeZone(tx: Pick<Tx, "program">): Promise<string> {
  const program = await tx.program.findFirst({ where: { active: true }, select: { timeZone: true } });
  return program?.timeZone ?? DEFAULT_TIME_ZONE;
}

export async function activeLeads(tx: Tx) {
  return tx.user
    .findMany({ where: { role: "LEAD", active: true }, select: { id: true } })
    .then((rows) => rows.map((r) => r.id));
}

/** What planning and rendering a checkpoint's event reads: the facts row without the reminders' submission time. */
export type EventFactsRow = Omit<CheckpointFactsRow, "submittedAt" | "evidence"> & {
  evidence: { id: string; submittedById: string; withdrawal: object | null }[];
};

export function notificationFacts(
  row: EventFactsRow,
  leadIds: readonly string[],
  actorId: string | null,
): CheckpointNotificationFacts {
  const active = row.system.assignments.filter((a) => a.user.active);
  return {
    context: {
      system: {
        tier: row.system.tier,
        aiAssisted: row.system.aiAssisted,
        ownerIds: active.filter((a) => a.kind === "OWNER").map((a) => a.user.id),
        reviewerIds: active.filter((a) => a.kind === "REVIEWER").map((a) => a.user.id),
      },
      milestone: row.milestone,
      checkpoint: checkpointFactsOf(row),
    },
    reviewers: active.filter((a) => a.kind === "REVIEWER").map((a) => a.user),
    leadIds,
    actorId,
  };
}

/**
 * Called by a workflow command after its change, in the same transaction: the notifications the
 * change causes become outbox rows that commit (or roll back) with it. `row` is the checkpoint as
 * the change left it, read by the command inside its transaction.
 */
export async function notifyCheckpointEvent(
  tx: Tx,
  event: CheckpointEvent,
  row: EventFactsRow,
  actorId: string | null,
  now = new Date(),
): Promise<number> {
  // Everyone the event could reach (the system's people and every lead), read with their delivery
  // settings and the actor's name in one statement, before the plan picks among them.
  const delivery = await deliveryFacts(
    tx,
    row.system.assignments.map((a) => a.user.id),
    row.system.team,
    {
      leads: true,
      actorId,
    },
  );
  const planned = planCheckpointNotifications(event, notificationFacts(row, delivery.leads, actorId), row.id, now);
  return writePlanned(tx, planned, contextOf(row, delivery.actorName), delivery, now);
}

export function contextOf(row: EventFactsRow, actorName: string | null, dueOn = row.dueOn): NotificationContext {
  return {
    systemKey: row.system.key,
    systemName: row.system.name,
    milestoneKey: row.milestone.key,
    milestoneName: row.milestone.name,
    dueOn: isoDay(dueOn),
    ownerNames: row.system.assignments.filter((a) => a.kind === "OWNER").map((a) => a.user.name),
    actorName,
  };
}

/**
 * Writes the planned notifications for one checkpoint; returns how many were new. `team` names
 * the team whose webhooks hear of the event; null for a personal one (a mention).
 */
export async function writeNotifications(
  tx: Tx,
  planned: readonly PlannedNotification[],
  context: NotificationContext,
  team: string | null,
  now = new Date(),
): Promise<number> {
  if (planned.length === 0) return 0;
  return writePlanned(
    tx,
    planned,
    context,
    await deliveryFacts(
      tx,
      planned.map((p) => p.recipientId),
      team,
    ),
    now,
  );
}

async function writePlanned(
  tx: Tx,
  planned: readonly PlannedNotification[],
  context: NotificationContext,
  facts: DeliveryFacts,
  now: Date,
): Promise<number> {
  if (planned.length === 0) return 0;
  const config = notificationConfig();
  const byId = new Map(facts.recipients.map((r) => [r.id, r]));
  const prefs = preferencesFrom(facts.preferences, facts.settings);
  const timeZone = facts.timeZone;
  const rows = planned
    .filter((p) => byId.has(p.recipientId))
    .map((p) => {
      const rendered = renderNotification(p.event, context);
      const choice = prefs.channels(p.recipientId, p.event);
      const settings = prefs.settings(p.recipientId);
      const email = Boolean(config.smtpUrl) && choice.email;
      return {
        choice: { ...choice, email },
        settings,
        row: {
          recipientId: p.recipientId,
          event: p.event,
          dedupKey: dedupKey(p, p.recipientId),
          systemKey: context.systemKey,
          milestone: context.milestoneKey || null,
          title: rendered.title,
          body: rendered.body,
          url: rendered.url,
          inApp: choice.inApp,
          // The program's calendar day: a digest holds what one local day produced.
          digestDay: email && settings.mode === "DAILY_DIGEST" ? localDay(now, timeZone) : null,
          createdAt: now,
        },
      };
    })
    // A person who turned an event off on every channel is not sent it at all.
    .filter((r) => r.choice.inApp || r.choice.email);
  const plan = new Map(rows.map((r) => [r.row.dedupKey, r]));
  // Rows another transaction (or an earlier sweep) already made are skipped by the unique key.
  const created = await tx.notification.createManyAndReturn({
    data: rows.map((r) => r.row),
    skipDuplicates: true,
    select: { id: true, recipientId: true, dedupKey: true, title: true, body: true, url: true },
  });
  // Immediate e-mail now (or on Monday, for a quiet weekend); digest e-mail waits for the sweep.
  const immediate = created.filter((n) => {
    const r = plan.get(n.dedupKey)!;
    return r.choice.email && r.settings.mode === "IMMEDIATE";
  });
  if (immediate.length > 0) {
    await tx.notificationDelivery.createMany({
      data: immediate.map((n) => {
        const { row, settings } = plan.get(n.dedupKey)!;
        const oneClick = unsubscribeUrl(config.baseUrl, n.recipientId, [row.event]);
        return {
          notificationId: n.id,
          channel: "EMAIL" as const,
          dedupKey: `email|${n.id}`,
          payload: { ...renderEmail(byId.get(n.recipientId)!, n, config.baseUrl, oneClick) },
          nextAttemptAt: immediateSendAt(now, settings, timeZone),
        };
      }),
      skipDuplicates: true,
    });
  }
  const webhooks = facts.webhooks;
  if (webhooks.length > 0) {
    // A team channel hears of each event once, however many people it notified.
    const events = new Map(planned.map((p) => [`${p.event}|${p.subject}|${p.day}`, p]));
    await tx.notificationDelivery.createMany({
      data: [...events.values()].flatMap((p) => {
        const rendered = renderNotification(p.event, context);
        const content = {
          event: p.event,
          systemKey: context.systemKey,
          milestone: context.milestoneKey,
          ...(context.change ? { changeId: context.change.id } : {}),
          title: rendered.title,
          text: rendered.body,
          url: `${config.baseUrl}${rendered.url}`,
          at: now.toISOString(),
        };
        return webhooks.map((w) => ({
          webhookId: w.id,
          channel: "WEBHOOK" as const,
          dedupKey: `webhook|${w.id}|${dedupKey(p, "team")}`,
          payload: { body: w.format === "SLACK" ? slackBody(content) : genericBody(content) } as Prisma.InputJsonObject,
          nextAttemptAt: now,
        }));
      }),
      skipDuplicates: true,
    });
  }
  return created.length;
}

type PreferenceRow = { userId: string | null; event: NotificationEvent; inApp: boolean; email: boolean };
type SettingRow = { userId: string; emailMode: EmailSettings["mode"]; digestHour: number; quietWeekends: boolean };

interface DeliveryFacts {
  recipients: { id: string; name: string; email: string }[];
  preferences: PreferenceRow[];
  settings: SettingRow[];
  timeZone: string;
  webhooks: { id: string; format: "SLACK" | "GENERIC" }[];
  /** Every active lead, when asked for (`leads`); they are among the people read too. */
  leads: string[];
  actorName: string | null;
}

/**
 * Everything writing a batch reads besides the plan, in one statement: the people who are
 * active, their preferences and the lead's defaults, their e-mail settings, the program's time
 * zone, and the active webhooks of `team` (none for a personal notification). With `leads`, every
 * active lead is read as one of the people and listed; with `actorId`, the actor's name.
 */
async function deliveryFacts(
  tx: Tx,
  userIds: readonly string[],
  team: string | null,
  extra: { leads?: boolean; actorId?: string | null } = {},
): Promise<DeliveryFacts> {
  const ids = [...new Set(userIds)];
  const leads = extra.leads ?? false;
  const [row] = await tx.$queryRaw<
    [
      {
        recipients: DeliveryFacts["recipients"];
        preferences: PreferenceRow[];
        settings: SettingRow[];
        time_zone: string | null;
        webhooks: DeliveryFacts["webhooks"];
        leads: string[];
        actor_name: string | null;
      },
    ]
  >`
    WITH people AS (
      SELECT u.id, u.name, u.email, u.role = 'LEAD' AS lead FROM app_user u
       WHERE u.active AND (u.id = ANY(${ids}::uuid[]) OR (${leads} AND u.role = 'LEAD'))
    )
    SELECT coalesce((SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email)) FROM people u), '[]') AS recipients,
           coalesce((SELECT json_agg(json_build_object('userId', p.user_id, 'event', p.event, 'inApp', p.in_app, 'email', p.email))
                       FROM notification_preference p WHERE p.user_id IS NULL OR p.user_id IN (SELECT id FROM people)), '[]') AS preferences,
           coalesce((SELECT json_agg(json_build_object('userId', s.user_id, 'emailMode', s.email_mode, 'digestHour', s.digest_hour,
                                                       'quietWeekends', s.quiet_weekends))
                       FROM notification_setting s WHERE s.user_id IN (SELECT id FROM people)), '[]') AS settings,
           (SELECT p.time_zone FROM program p WHERE p.active LIMIT 1) AS time_zone,
           coalesce((SELECT json_agg(json_build_object('id', w.id, 'format', w.format))
                       FROM team_webhook w WHERE w.team = ${team} AND w.active), '[]') AS webhooks,
           coalesce((SELECT array_agg(u.id::text ORDER BY u.id) FROM people u WHERE ${leads} AND u.lead), '{}') AS leads,
           (SELECT u.name FROM app_user u WHERE u.id = ${extra.actorId ?? null}::uuid) AS actor_name`;
  return {
    recipients: row.recipients,
    preferences: row.preferences,
    settings: row.settings,
    timeZone: row.time_zone ?? DEFAULT_TIME_ZONE,
    webhooks: row.webhooks,
    leads: row.leads,
    actorName: row.actor_name,
  };
}

/** The recipients' preferences and the lead's defaults, read once for a batch of notifications. */
export async function preferencesOf(tx: Tx, userIds: readonly string[]) {
  const [rows, settings] = await Promise.all([
    tx.notificationPreference.findMany({
      where: { OR: [{ userId: null }, { userId: { in: [...userIds] } }] },
      select: { userId: true, event: true, inApp: true, email: true },
    }),
    tx.notificationSetting.findMany({
      where: { userId: { in: [...userIds] } },
      select: { userId: true, emailMode: true, digestHour: true, quietWeekends: true },
    }),
  ]);
  return preferencesFrom(rows, settings);
}

function preferencesFrom(rows: readonly PreferenceRow[], settings: readonly SettingRow[]) {
  const defaults = new Map<NotificationEvent, ChannelChoice>();
  const own = new Map<string, Map<NotificationEvent, ChannelChoice>>();
  for (const r of rows) {
    const choice = { inApp: r.inApp, email: r.email };
    if (r.userId === null) defaults.set(r.event, choice);
    else (own.get(r.userId) ?? own.set(r.userId, new Map()).get(r.userId)!).set(r.event, choice);
  }
  const bySettings = new Map<string, EmailSettings>(
    settings.map((s) => [s.userId, { mode: s.emailMode, digestHour: s.digestHour, quietWeekends: s.quietWeekends }]),
  );
  return {
    channels: (userId: string, event: NotificationEvent) => channelsFor(event, own.get(userId) ?? new Map(), defaults),
    settings: (userId: string) => bySettings.get(userId) ?? DEFAULT_SETTINGS,
  };
}

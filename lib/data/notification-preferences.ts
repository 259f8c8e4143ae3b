// Notification preferences: each person's own (channels per event, immediate or daily digest,
// quiet weekends) and the defaults a lead sets for everyone who has not chosen.
import "server-only";
import { parse } from "@/lib/data/parse";
import { appendAuditEvent } from "@/lib/audit/append";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { channelPreferencesSchema, emailSettingsSchema } from "@/lib/data/notification-preferences.schema";
import { db } from "@/lib/db";
import { DEFAULT_SETTINGS, type EmailSettings } from "@/lib/domain/notification-preferences";
import { RuleViolation } from "@/lib/errors";
import { NotificationEvent } from "@/lib/generated/prisma/enums";

export const EVENT_LABEL: Record<NotificationEvent, string> = {
  EVIDENCE_SUBMITTED: "A submission you can sign off",
  CHANGES_REQUESTED: "Changes requested on your checkpoint",
  REVIEW_APPROVED: "An approval on your checkpoint",
  QUORUM_REACHED: "Your checkpoint approved",
  AT_RISK: "Your checkpoint at risk",
  OVERDUE: "Your checkpoint overdue",
  OVERDUE_ESCALATION: "A checkpoint a week overdue (leads)",
  REVIEW_WAITING: "A review waiting on you for 3 days",
  REVIEW_ESCALATION: "A review waiting a week (leads)",
  WAIVER_EXPIRING: "A waiver you granted expiring",
  NO_ELIGIBLE_REVIEWER: "A submission nobody can sign off (leads)",
  MENTION: "Someone mentions you in a checkpoint discussion",
  CHANGE_REVIEW_REQUESTED: "A production change waiting on your approval",
  CHANGE_ALLOWED: "Your production change allowed to ship",
  WEEKLY_SUMMARY: "The weekly executive summary, Monday 08:00 (executives and leads)",
};

export interface PreferencesDto {
  events: { event: NotificationEvent; label: string; inApp: boolean; email: boolean }[];
  settings: EmailSettings;
}

async function read(userId: string | null): Promise<PreferencesDto> {
  const client = db();
  const [defaults, own, setting] = await Promise.all([
    client.notificationPreference.findMany({
      where: { userId: null },
      select: { event: true, inApp: true, email: true },
    }),
    userId
      ? client.notificationPreference.findMany({ where: { userId }, select: { event: true, inApp: true, email: true } })
      : [],
    userId
      ? client.notificationSetting.findUnique({
          where: { userId },
          select: { emailMode: true, digestHour: true, quietWeekends: true },
        })
      : null,
  ]);
  const pick = (event: NotificationEvent) =>
    own.find((p) => p.event === event) ?? defaults.find((p) => p.event === event) ?? { inApp: true, email: true };
  return {
    events: Object.values(NotificationEvent).map((event) => ({
      event,
      label: EVENT_LABEL[event],
      inApp: pick(event).inApp,
      email: pick(event).email,
    })),
    settings: setting
      ? { mode: setting.emailMode, digestHour: setting.digestHour, quietWeekends: setting.quietWeekends }
      : DEFAULT_SETTINGS,
  };
}

export async function getMyNotificationPreferences(actor: Actor): Promise<PreferencesDto> {
  if (actor.kind !== "user") throw new RuleViolation("Preferences belong to a signed-in person.");
  return read(actor.id);
}

export async function getDefaultNotificationPreferences(actor: Actor): Promise<PreferencesDto> {
  await authorize(actor, "program.manage", { type: "notification_defaults", id: "defaults" });
  return read(null);
}

function choices(input: unknown) {
  const data = parse(channelPreferencesSchema, input);
  return Object.values(NotificationEvent).map((event) => ({
    event,
    inApp: Boolean(data[`inApp.${event}`]),
    email: Boolean(data[`email.${event}`]),
  }));
}

/** Saves the caller's own preferences: every event's channels, and how e-mail arrives. */
export async function saveMyNotificationPreferences(actor: Actor, input: Record<string, unknown>): Promise<void> {
  if (actor.kind !== "user") throw new RuleViolation("Preferences belong to a signed-in person.");
  const events = choices(input);
  const settings = parse(emailSettingsSchema, input);
  await db().$transaction(async (tx) => {
    await tx.notificationPreference.deleteMany({ where: { userId: actor.id } });
    await tx.notificationPreference.createMany({ data: events.map((e) => ({ userId: actor.id, ...e })) });
    await tx.notificationSetting.upsert({
      where: { userId: actor.id },
      create: { userId: actor.id, ...settings },
      update: settings,
    });
    const off = events.filter((e) => !e.inApp && !e.email).map((e) => e.event);
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "notification_preferences.update",
      subjectType: "user",
      subjectId: actor.id,
      systemKey: null,
      data: { ...settings, off },
    });
  });
}

/** A lead's defaults for everyone who has not chosen for themself. */
export async function saveDefaultNotificationPreferences(actor: Actor, input: Record<string, unknown>): Promise<void> {
  await authorize(actor, "program.manage", { type: "notification_defaults", id: "defaults" });
  const events = choices(input);
  await db().$transaction(async (tx) => {
    await tx.notificationPreference.deleteMany({ where: { userId: null } });
    await tx.notificationPreference.createMany({ data: events.map((e) => ({ userId: null, ...e })) });
    const off = events.filter((e) => !e.inApp && !e.email).map((e) => e.event);
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "notification_defaults.update",
      subjectType: "program",
      subjectId: "defaults",
      systemKey: null,
      data: { off },
    });
  });
}

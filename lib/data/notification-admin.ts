// The lead's side of notifications: team chat webhooks, and the outbox's failed deliveries with
// a retry. Leads only (the program's settings permission); every change is audited.
import "server-only";
import { parse } from "@/lib/data/parse";
import { appendAuditEvent } from "@/lib/audit/append";
import { auditActor, type Actor } from "@/lib/data/actor";
import { authorize } from "@/lib/data/authz";
import { idSchema, webhookInputSchema } from "@/lib/data/notification-admin.schema";
import { db } from "@/lib/db";
import { Conflict, NotFound, isUniqueViolation } from "@/lib/errors";
import type { DeliveryChannel, WebhookFormat } from "@/lib/generated/prisma/enums";

export interface WebhookDto {
  id: string;
  team: string;
  format: WebhookFormat;
  url: string;
  signed: boolean;
  active: boolean;
}

export interface FailedDeliveryDto {
  id: string;
  channel: DeliveryChannel;
  target: string;
  title: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

const subject = (id: string) => ({ type: "notification_settings", id });

export async function listWebhooks(actor: Actor): Promise<WebhookDto[]> {
  await authorize(actor, "program.manage", subject("webhooks"));
  const rows = await db().teamWebhook.findMany({
    orderBy: [{ team: "asc" }, { createdAt: "asc" }],
    select: { id: true, team: true, format: true, url: true, secret: true, active: true },
  });
  // The secret never leaves the server; the page only says whether one is set.
  return rows.map(({ secret, ...w }) => ({ ...w, signed: Boolean(secret) }));
}

export async function listFailedDeliveries(actor: Actor, limit = 100): Promise<FailedDeliveryDto[]> {
  await authorize(actor, "program.manage", subject("outbox"));
  const rows = await db().notificationDelivery.findMany({
    where: { status: "FAILED" },
    orderBy: { updatedAt: "desc" },
    take: limit,
    select: {
      id: true,
      channel: true,
      attempts: true,
      lastError: true,
      updatedAt: true,
      payload: true,
      notification: { select: { title: true, recipient: { select: { email: true } } } },
      webhook: { select: { team: true, url: true } },
    },
  });
  return rows.map((d) => ({
    id: d.id,
    channel: d.channel,
    target:
      d.channel === "EMAIL"
        ? (d.notification?.recipient.email ?? "")
        : `${d.webhook?.team ?? ""} (${d.webhook?.url ?? "removed"})`,
    title:
      d.notification?.title ??
      String(
        (d.payload as { body?: { title?: string; text?: string } }).body?.title ??
          (d.payload as { body?: { text?: string } }).body?.text ??
          "",
      ),
    attempts: d.attempts,
    lastError: d.lastError,
    updatedAt: d.updatedAt.toISOString(),
  }));
}

export async function createWebhook(actor: Actor, input: unknown): Promise<WebhookDto> {
  await authorize(actor, "program.manage", subject("webhooks"));
  const data = parse(webhookInputSchema, input);
  try {
    return await db().$transaction(async (tx) => {
      const w = await tx.teamWebhook.create({
        data: {
          team: data.team,
          format: data.format,
          url: data.url,
          secret: data.format === "GENERIC" ? data.secret : null,
        },
        select: { id: true, team: true, format: true, url: true, secret: true, active: true },
      });
      await appendAuditEvent(tx, {
        ...auditActor(actor),
        action: "webhook.create",
        subjectType: "team_webhook",
        subjectId: w.id,
        systemKey: null,
        data: { team: w.team, format: w.format, url: w.url },
      });
      const { secret, ...rest } = w;
      return { ...rest, signed: Boolean(secret) };
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new Conflict("This team already has a webhook with that URL.", {
        url: ["already configured for this team"],
      });
    throw error;
  }
}

/** Turns a webhook off (kept, with its delivery history); nothing more is sent to it. */
export async function deactivateWebhook(actor: Actor, input: unknown): Promise<void> {
  await authorize(actor, "program.manage", subject("webhooks"));
  const { id } = parse(idSchema, input);
  await db().$transaction(async (tx) => {
    const { count } = await tx.teamWebhook.updateMany({ where: { id, active: true }, data: { active: false } });
    if (count === 0) throw new NotFound("There is no active webhook with that id.");
    await tx.notificationDelivery.updateMany({
      where: { webhookId: id, status: "PENDING" },
      data: { status: "FAILED", lastError: "The webhook was turned off" },
    });
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "webhook.deactivate",
      subjectType: "team_webhook",
      subjectId: id,
      systemKey: null,
      data: {},
    });
  });
}

/** Gives a failed delivery a fresh set of attempts; the attempt log keeps the earlier ones. */
export async function retryDelivery(actor: Actor, input: unknown): Promise<void> {
  await authorize(actor, "program.manage", subject("outbox"));
  const { id } = parse(idSchema, input);
  await db().$transaction(async (tx) => {
    const { count } = await tx.notificationDelivery.updateMany({
      where: { id, status: "FAILED" },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date(), lockedUntil: null },
    });
    if (count === 0) throw new Conflict("This delivery is not failed (it may have been retried already).");
    await appendAuditEvent(tx, {
      ...auditActor(actor),
      action: "delivery.retry",
      subjectType: "notification_delivery",
      subjectId: id,
      systemKey: null,
      data: {},
    });
  });
}

/** The teams that have systems, for the webhook form. */
export async function listTeams(actor: Actor): Promise<string[]> {
  await authorize(actor, "program.manage", subject("webhooks"));
  const rows = await db().system.findMany({ distinct: ["team"], orderBy: { team: "asc" }, select: { team: true } });
  return rows.map((r) => r.team);
}

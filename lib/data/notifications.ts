// The caller's in-app notifications: list, unread count, mark read. A person only ever sees and
// changes their own, so every query is scoped by the caller's id, whatever ids a request names.
import "server-only";
import { parse } from "@/lib/data/parse";
import { cache } from "react";
import type { Actor } from "@/lib/data/actor";
import { listNotificationsSchema, markReadSchema } from "@/lib/data/notifications.schema";
import { db } from "@/lib/db";
import type { NotificationEvent } from "@/lib/generated/prisma/enums";

export interface NotificationDto {
  id: string;
  event: NotificationEvent;
  systemKey: string | null;
  milestone: string | null;
  title: string;
  body: string;
  url: string;
  createdAt: string;
  readAt: string | null;
}

export async function listNotifications(
  actor: Actor,
  input: unknown,
): Promise<{ items: NotificationDto[]; unread: number }> {
  const query = parse(listNotificationsSchema, input);
  // The operator's CLI is nobody's inbox.
  if (actor.kind !== "user") return { items: [], unread: 0 };
  const [rows, unread] = await Promise.all([
    db().notification.findMany({
      where: { recipientId: actor.id, inApp: true, ...(query.unread === "true" ? { readAt: null } : {}) },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      take: query.limit,
      select: {
        id: true,
        event: true,
        systemKey: true,
        milestone: true,
        title: true,
        body: true,
        url: true,
        createdAt: true,
        readAt: true,
      },
    }),
    unreadCount(actor),
  ]);
  return {
    items: rows.map((n) => ({ ...n, createdAt: n.createdAt.toISOString(), readAt: n.readAt?.toISOString() ?? null })),
    unread,
  };
}

/** The bell's number; cached per request because the layout and a page may both ask. */
export const unreadCount = cache(async (actor: Actor): Promise<number> => {
  if (actor.kind !== "user") return 0;
  return db().notification.count({ where: { recipientId: actor.id, inApp: true, readAt: null } });
});

/** Marks the named (or all) unread notifications of the caller read; returns how many changed. */
export async function markNotificationsRead(
  actor: Actor,
  input: unknown,
): Promise<{ updated: number; unread: number }> {
  const data = parse(markReadSchema, input);
  if (actor.kind !== "user") return { updated: 0, unread: 0 };
  const { count } = await db().notification.updateMany({
    where: { recipientId: actor.id, readAt: null, ...("ids" in data ? { id: { in: data.ids } } : {}) },
    data: { readAt: new Date() },
  });
  return {
    updated: count,
    unread: await db().notification.count({ where: { recipientId: actor.id, inApp: true, readAt: null } }),
  };
}

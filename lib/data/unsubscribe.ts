// One-click unsubscribe (RFC 8058; docs/RULES.md, section 7): the signed token in a mail's
// List-Unsubscribe link names a person and events; a POST turns those events' e-mail off for
// that person, with no session — the token is the credential — and is audited as that person's
// own preference change. Reading (GET) changes nothing: mail scanners follow links.
import "server-only";
import { appendAuditEvent } from "@/lib/audit/append";
import { oneClickBodySchema, unsubscribeQuerySchema } from "@/lib/data/unsubscribe.schema";
import { EVENT_LABEL } from "@/lib/data/notification-preferences";
import { db } from "@/lib/db";
import { NotFound, ValidationError } from "@/lib/errors";
import type { NotificationEvent } from "@/lib/generated/prisma/enums";
import type { Prisma } from "@/lib/generated/prisma/client";
import { readUnsubscribeToken } from "@/lib/notifications/unsubscribe-token";
import type { z } from "zod";

const INVALID =
  "This unsubscribe link is not valid: it may have been cut short or altered. Choose what you are sent under Settings → Notifications instead.";

export interface UnsubscribeDto {
  name: string;
  events: { event: NotificationEvent; label: string; email: boolean }[];
}

export interface UnsubscribeResult extends UnsubscribeDto {
  /** False when every named event's e-mail was already off (nothing was written). */
  changed: boolean;
}

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw ValidationError.fromZod(parsed.error);
  return parsed.data;
}

/** The person and events a token names, with each event's current e-mail choice. */
async function load(tx: Prisma.TransactionClient, input: unknown) {
  const { token } = parse(unsubscribeQuerySchema, input);
  const reading = readUnsubscribeToken(token);
  if (!reading.ok && reading.reason === "not_configured")
    throw new NotFound("One-click unsubscribe is not set up on this server (NEXTAUTH_SECRET is not set).");
  if (!reading.ok) throw new ValidationError(INVALID, { token: [INVALID] });
  const person = await tx.user.findUnique({
    where: { id: reading.userId },
    select: { id: true, name: true, email: true },
  });
  if (!person) throw new ValidationError(INVALID, { token: [INVALID] });
  const rows = await tx.notificationPreference.findMany({
    where: { event: { in: reading.events }, OR: [{ userId: person.id }, { userId: null }] },
    select: { userId: true, event: true, inApp: true, email: true },
  });
  // The person's own choice, else the lead's default, else every channel (channelsFor).
  const choice = (event: NotificationEvent) =>
    rows.find((r) => r.userId === person.id && r.event === event) ??
    rows.find((r) => r.userId === null && r.event === event) ?? { inApp: true, email: true };
  return {
    person,
    events: reading.events.map((event) => ({ event, label: EVENT_LABEL[event], ...choice(event) })),
  };
}

/** GET: what the link would turn off. Writes nothing. */
export async function describeUnsubscribe(input: unknown): Promise<UnsubscribeDto> {
  const { person, events } = await db().$transaction((tx) => load(tx, input));
  return { name: person.name, events: events.map(({ event, label, email }) => ({ event, label, email })) };
}

/** POST with `List-Unsubscribe=One-Click`: the named events' e-mail off, in-app left as it was. */
export async function unsubscribeOneClick(input: unknown, body: unknown): Promise<UnsubscribeResult> {
  parse(oneClickBodySchema, body);
  return db().$transaction(async (tx) => {
    const { person, events } = await load(tx, input);
    const turningOff = events.filter((e) => e.email);
    for (const e of turningOff) {
      await tx.notificationPreference.upsert({
        where: { userId_event: { userId: person.id, event: e.event } },
        create: { userId: person.id, event: e.event, inApp: e.inApp, email: false },
        update: { email: false },
      });
    }
    if (turningOff.length > 0)
      await appendAuditEvent(tx, {
        actorId: person.id,
        actorEmail: person.email,
        action: "notification_preferences.update",
        subjectType: "user",
        subjectId: person.id,
        systemKey: null,
        data: { via: "one-click unsubscribe", emailOff: turningOff.map((e) => e.event) },
      });
    return {
      name: person.name,
      changed: turningOff.length > 0,
      events: events.map(({ event, label }) => ({ event, label, email: false })),
    };
  });
}

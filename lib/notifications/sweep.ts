// The scheduled nudges: at risk and overdue to owners, a week overdue to the leads, reviews
// waiting to reviewers and then leads, expiring waivers to the lead who granted them. Run by a
// pg-boss schedule; safe to run again or on several instances at once, because every nudge's
// deduplication key is fixed by the day its condition began.
import { db, type Db } from "@/lib/db";
import {
  dedupKey,
  eligibleReviewers,
  scheduledNotifications,
  type PlannedNotification,
} from "@/lib/domain/notification-recipients";
import { digestDueAt } from "@/lib/domain/notification-preferences";
import { addDays, isoDay, utcDay } from "@/lib/domain/schedule";
import { localDay } from "@/lib/domain/time-zone";
import { notificationConfig } from "@/lib/env";
import { renderDigest, type NotificationContext } from "@/lib/notifications/render";
import {
  activeLeads,
  contextOf,
  loadCheckpointFacts,
  notificationFacts,
  preferencesOf,
  programTimeZone,
  writeNotifications,
} from "@/lib/notifications/outbox";
import { unsubscribeUrl } from "@/lib/notifications/unsubscribe-token";

// A background job is not a request someone waits on: on a busy database its reads may take
// longer than a request's 5-second transaction budget, and failing them only delays every nudge.
const BACKGROUND_TRANSACTION = { timeout: 30_000 };

export async function sweepScheduledNotifications(client: Db = db(), now = new Date()): Promise<number> {
  const today = utcDay(now);
  // One consistent read of everything due, then a short transaction per checkpoint to write.
  const { leads, rows, waivers, waived } = await client.$transaction(async (tx) => {
    const leads = await activeLeads(tx);
    const rows = await loadCheckpointFacts(tx, {
      milestone: { program: { active: true } },
      status: { notIn: ["APPROVED", "WAIVED"] },
      OR: [{ dueOn: { lte: addDays(today, 7) } }, { status: "SUBMITTED", submittedAt: { lte: addDays(today, -3) } }],
    });
    const waivers = await tx.waiver.findMany({
      where: {
        revokedAt: null,
        lapsedAt: null,
        expiresOn: { gte: today, lte: addDays(today, 7) },
        checkpoint: { milestone: { program: { active: true } } },
      },
      select: { id: true, expiresOn: true, grantedById: true, checkpointId: true },
    });
    const waived = waivers.length
      ? await loadCheckpointFacts(tx, { id: { in: waivers.map((w) => w.checkpointId) } })
      : [];
    return { leads, rows, waivers, waived };
  }, BACKGROUND_TRANSACTION);
  const work: { planned: PlannedNotification[]; context: NotificationContext; team: string }[] = [];
  for (const row of rows) {
    const facts = notificationFacts(row, leads, null);
    const checkpoint = {
      id: row.id,
      status: row.status,
      dueOn: row.dueOn,
      round: row.round,
      submittedAt: row.submittedAt,
      ownerIds: facts.context.system.ownerIds,
      eligibleReviewerIds: eligibleReviewers(facts),
    };
    work.push({
      planned: scheduledNotifications([checkpoint], [], leads, today),
      context: contextOf(row, null),
      team: row.system.team,
    });
  }
  for (const row of waived) {
    const own = waivers.filter((w) => w.checkpointId === row.id);
    // The waiver's expiry, not the checkpoint's due date, is the date its nudge names.
    work.push({
      planned: scheduledNotifications([], own, leads, today),
      context: contextOf(row, null, own[0]!.expiresOn),
      team: row.system.team,
    });
  }
  // Most of what a sweep plans was made by an earlier one: one read of the keys that exist
  // leaves only the new nudges to write, so a quiet sweep costs a few queries, not thousands.
  const keys = work.flatMap((w) => w.planned.map((p) => dedupKey(p, p.recipientId)));
  const existing = new Set<string>();
  for (let i = 0; i < keys.length; i += 1000) {
    const found = await client.notification.findMany({
      where: { dedupKey: { in: keys.slice(i, i + 1000) } },
      select: { dedupKey: true },
    });
    for (const f of found) existing.add(f.dedupKey);
  }
  // Written in chunks: a first sweep over a large fleet makes many nudges, and one transaction
  // per checkpoint would be thousands of round trips competing with requests.
  const pending = work
    .map((w) => ({ ...w, planned: w.planned.filter((p) => !existing.has(dedupKey(p, p.recipientId))) }))
    .filter((w) => w.planned.length > 0);
  let created = 0;
  for (let i = 0; i < pending.length; i += 50) {
    const chunk = pending.slice(i, i + 50);
    created += await client.$transaction(async (tx) => {
      let made = 0;
      for (const w of chunk) made += await writeNotifications(tx, w.planned, w.context, w.team, now);
      return made;
    }, BACKGROUND_TRANSACTION);
  }
  return created;
}

/**
 * Daily digests: one e-mail per person and day, holding every notification that day produced for
 * the digest, made once its hour has come. The dedup key (person, day) makes it exactly one. Days
 * and hours are the program's wall clock (docs/RULES.md, section 7).
 */
export async function sendDueDigests(client: Db = db(), now = new Date()): Promise<number> {
  const { baseUrl } = notificationConfig();
  const timeZone = await programTimeZone(client);
  const today = localDay(now, timeZone);
  const since = addDays(today, -7);
  const groups = await client.notification.groupBy({
    by: ["recipientId", "digestDay"],
    where: { digestDay: { gte: since, lt: today } },
  });
  let made = 0;
  for (const group of groups) {
    const day = group.digestDay!;
    const key = `digest|${group.recipientId}|${isoDay(day)}`;
    made += await client.$transaction(async (tx) => {
      if (await tx.notificationDelivery.findUnique({ where: { dedupKey: key }, select: { id: true } })) return 0;
      const prefs = await preferencesOf(tx, [group.recipientId]);
      if (now < digestDueAt(day, prefs.settings(group.recipientId), timeZone)) return 0;
      const person = await tx.user.findUnique({
        where: { id: group.recipientId },
        select: { email: true, name: true, active: true },
      });
      if (!person?.active) return 0;
      const items = await tx.notification.findMany({
        where: { recipientId: group.recipientId, digestDay: day },
        orderBy: { createdAt: "asc" },
        select: { title: true, body: true, url: true, event: true },
      });
      // The digest's one-click link turns off e-mail for the events it holds, and only those.
      const oneClick = unsubscribeUrl(baseUrl, group.recipientId, [...new Set(items.map((i) => i.event))]);
      const { count } = await tx.notificationDelivery.createMany({
        data: [
          {
            recipientId: group.recipientId,
            channel: "EMAIL",
            dedupKey: key,
            payload: { ...renderDigest(person, isoDay(day), items, baseUrl, oneClick) },
          },
        ],
        skipDuplicates: true,
      });
      return count;
    });
  }
  return made;
}

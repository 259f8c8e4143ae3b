// The weekly executive summary (docs/RULES.md, section 7): on Monday 08:00 of the program's time
// zone, every active executive and lead (never a service account) is told the week's figures
// against last week's frozen ones, the forecast, the top risks and — with AUDIT_ANCHOR_KEY — the
// signed head of the audit chain, so that the chain's head leaves the database every week. Run by
// the pg-boss sweep with the other scheduled notifications; `weekly_summary`'s primary key (the
// ISO week) and each notification's dedup key make it exactly once however many instances sweep.
import { createAnchor } from "@/lib/audit/anchor";
import { personWhere } from "@/lib/data/people";
import { computeProgress, weekOverWeekChange } from "@/lib/data/progress";
import { db, type Db } from "@/lib/db";
import { FORECAST_LEVEL_WORD, forecastOfReport, forecastSentence } from "@/lib/domain/forecast";
import { dedupKey } from "@/lib/domain/notification-recipients";
import { immediateSendAt } from "@/lib/domain/notification-preferences";
import { isoDay } from "@/lib/domain/schedule";
import { weeklySummaryDue } from "@/lib/domain/weekly-summary";
import { env, notificationConfig } from "@/lib/env";
import { preferencesOf } from "@/lib/notifications/outbox";
import {
  renderWeeklySummary,
  renderWeeklySummaryNotification,
  type WeeklySummaryContent,
} from "@/lib/notifications/render";
import { unsubscribeUrl } from "@/lib/notifications/unsubscribe-token";

/** As on the printed report: the few risks an executive reads; the registry has the rest. */
const TOP_RISKS = 5;
const FIGURES = ["approved", "systemsDone", "overdueCheckpoints"] as const;
const LABELS: Record<(typeof FIGURES)[number], string> = {
  approved: "Checkpoints approved",
  systemsDone: "Systems fully reset",
  overdueCheckpoints: "Checkpoints overdue",
};

/** Makes this week's summary when it is due; returns how many people it was made for. */
export async function sendWeeklySummary(client: Db = db(), now = new Date()): Promise<number> {
  const program = await client.program.findFirst({
    where: { active: true },
    select: { id: true, name: true, timeZone: true },
  });
  if (!program) return 0;
  const last = await client.weeklySummary.findFirst({ orderBy: { week: "desc" }, select: { week: true } });
  const decision = weeklySummaryDue(now, program.timeZone, last?.week ?? null);
  if (!decision.due) return 0;

  // The figures are read before the transaction: the same reads the report makes, and they freeze
  // last week's snapshot if no one has looked at the report since the week ended.
  const report = await computeProgress(now);
  if (!report) return 0;
  const change = await weekOverWeekChange(report, now);
  const forecast = forecastOfReport(report);
  const { baseUrl, smtpUrl } = notificationConfig();
  const anchorKey = env().AUDIT_ANCHOR_KEY;

  return client.$transaction(
    async (tx) => {
      const people = await tx.user.findMany({
        where: { ...personWhere, active: true, role: { in: ["EXECUTIVE", "LEAD"] } },
        select: { id: true, name: true, email: true },
        orderBy: { email: "asc" },
      });
      // The week is claimed first: a second instance (or a second sweep) waits here for this
      // transaction and then finds the week taken.
      const claimed = await tx.$executeRaw`
        INSERT INTO weekly_summary (week, program_id, time_zone, recipients)
        VALUES (${decision.week}, ${program.id}::uuid, ${program.timeZone}, ${people.length})
        ON CONFLICT (week) DO NOTHING`;
      if (claimed === 0) return 0;
      // The head as of this transaction: what the mail anchors is in the chain when it commits.
      const head = anchorKey
        ? await tx.auditEvent.findFirst({ orderBy: { seq: "desc" }, select: { seq: true, hash: true, at: true } })
        : null;
      const anchor = head && anchorKey ? createAnchor(head, anchorKey, now) : null;
      const content: WeeklySummaryContent = {
        programName: program.name,
        week: decision.week,
        monday: isoDay(decision.monday),
        timeZone: program.timeZone,
        asOf: now,
        forecast: { word: FORECAST_LEVEL_WORD[forecast.level], sentence: forecastSentence(forecast) },
        since: change.since,
        figures: FIGURES.map((figure) => {
          const moved = change.changes.find((c) => c.figure === figure);
          return {
            label: LABELS[figure],
            now: report.figures[figure],
            lastWeek: change.since && moved ? moved.from : null,
            words: moved?.words ?? "",
          };
        }),
        risks: report.atRisk.items.slice(0, TOP_RISKS).map((r) => ({
          systemName: r.systemName,
          systemKey: r.systemKey,
          milestoneName: r.milestoneName,
          daysLate: r.daysLate,
          waitingOn: r.waitingOn,
          people: r.people.map((p) => p.name),
        })),
        anchor: anchor ? { seq: anchor.seq, line: JSON.stringify(anchor) } : null,
      };
      const rendered = renderWeeklySummaryNotification(content);
      const prefs = await preferencesOf(
        tx,
        people.map((p) => p.id),
      );
      const rows = people
        .map((person) => ({ person, choice: prefs.channels(person.id, "WEEKLY_SUMMARY") }))
        // Turned off on every channel: nothing is made for that person, as for every event.
        .filter(({ choice }) => choice.inApp || choice.email);
      const created = await tx.notification.createManyAndReturn({
        data: rows.map(({ person, choice }) => ({
          recipientId: person.id,
          event: "WEEKLY_SUMMARY" as const,
          dedupKey: dedupKey({ event: "WEEKLY_SUMMARY", subject: "weekly-summary", day: decision.week }, person.id),
          systemKey: null,
          milestone: null,
          ...rendered,
          inApp: choice.inApp,
          createdAt: now,
        })),
        skipDuplicates: true,
        select: { id: true, recipientId: true },
      });
      const byId = new Map(rows.map((r) => [r.person.id, r]));
      // The summary is its own e-mail even for people on a daily digest: it is a digest already.
      const mails = smtpUrl ? created.filter((n) => byId.get(n.recipientId)!.choice.email) : [];
      if (mails.length > 0)
        await tx.notificationDelivery.createMany({
          data: mails.map((n) => {
            const { person } = byId.get(n.recipientId)!;
            const oneClick = unsubscribeUrl(baseUrl, person.id, ["WEEKLY_SUMMARY"]);
            return {
              notificationId: n.id,
              channel: "EMAIL" as const,
              dedupKey: `email|${n.id}`,
              payload: { ...renderWeeklySummary(person, content, baseUrl, oneClick) },
              nextAttemptAt: immediateSendAt(now, prefs.settings(person.id), program.timeZone),
            };
          }),
          skipDuplicates: true,
        });
      return created.length;
    },
    { timeout: 30_000 },
  );
}

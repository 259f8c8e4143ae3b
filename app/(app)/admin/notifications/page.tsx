import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { can } from "@/lib/domain/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { listFailedDeliveries, listTeams, listWebhooks } from "@/lib/data/notification-admin";
import { NotificationPreferencesForm } from "@/components/notification-preferences-form";
import { getDefaultNotificationPreferences } from "@/lib/data/notification-preferences";
import { notificationConfig } from "@/lib/env";
import { saveNotificationDefaultsAction } from "./actions";
import { Retry, TurnOff, WebhookForm } from "./forms";

export const metadata: Metadata = { title: "Notifications · Admin" };

export default async function NotificationAdminPage() {
  const user = await requirePageUser();
  if (!can(user, "program.manage")) forbidden();
  const actor = actorOf(user);
  const [webhooks, failures, teams, defaults] = await Promise.all([
    listWebhooks(actor),
    listFailedDeliveries(actor),
    listTeams(actor),
    getDefaultNotificationPreferences(actor),
  ]);
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <h1 className="text-xl font-semibold tracking-tight">Notifications</h1>
      <section aria-labelledby="webhooks" className="surface border-base space-y-4 rounded-lg border p-4">
        <div>
          <h2 id="webhooks" className="font-medium">
            Team chat webhooks
          </h2>
          <p className="text-sm text-muted">
            Each team&apos;s channel hears of its systems&apos; submissions, sign-offs and deadlines, once per event.
          </p>
        </div>
        {webhooks.length === 0 ? (
          <p className="text-sm text-muted">No webhooks yet.</p>
        ) : (
          <ul aria-label="Webhooks" className="divide-y divide-[var(--border)] text-sm">
            {webhooks.map((w) => (
              <li key={w.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <span className="font-medium">{w.team}</span> · {w.format === "SLACK" ? "Slack" : "signed JSON"} ·{" "}
                  <span className="break-all text-muted">{w.url}</span>
                  {w.active ? null : <span className="ml-2 text-muted">(off)</span>}
                </span>
                {w.active ? <TurnOff id={w.id} label={w.team} /> : null}
              </li>
            ))}
          </ul>
        )}
        <WebhookForm teams={teams} />
      </section>
      <section aria-labelledby="defaults" className="surface border-base space-y-3 rounded-lg border p-4">
        <div>
          <h2 id="defaults" className="font-medium">
            Defaults for everyone
          </h2>
          <p className="text-sm text-muted">What people are sent until they choose for themselves under Settings.</p>
        </div>
        <NotificationPreferencesForm
          events={defaults.events}
          emailOn={notificationConfig().smtpUrl !== null}
          save={saveNotificationDefaultsAction}
          submitLabel="Save defaults"
        />
      </section>
      <section aria-labelledby="failures" className="surface border-base relative overflow-x-auto rounded-lg border">
        <h2 id="failures" className="px-4 pt-4 font-medium">
          Failed deliveries <span className="text-sm font-normal text-muted tabular-nums">({failures.length})</span>
        </h2>
        {failures.length === 0 ? (
          <p className="px-4 pb-4 pt-1 text-sm text-muted">
            Nothing failed: every notification was delivered or is still being retried.
          </p>
        ) : (
          <table className="mt-2 w-full text-sm">
            <caption className="sr-only">Deliveries that ran out of attempts, newest first</caption>
            <thead>
              <tr className="text-left text-xs text-muted">
                <th className="px-4 py-2 font-medium">To</th>
                <th className="px-4 py-2 font-medium">Notification</th>
                <th className="px-4 py-2 text-right font-medium">Attempts</th>
                <th className="px-4 py-2 font-medium">Last error</th>
                <th className="px-4 py-2 font-medium">
                  <span className="sr-only">Retry</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {failures.map((f) => (
                <tr key={f.id} className="border-base border-t align-top">
                  <td className="px-4 py-2">
                    <span className="text-xs text-muted">{f.channel === "EMAIL" ? "E-mail" : "Webhook"}</span>
                    <br />
                    <span className="break-all">{f.target}</span>
                  </td>
                  <td className="px-4 py-2">{f.title}</td>
                  <td className="px-4 py-2 text-right tabular-nums">{f.attempts}</td>
                  <td className="px-4 py-2 break-words text-muted">{f.lastError}</td>
                  <td className="px-4 py-2">
                    <Retry id={f.id} label={f.target} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

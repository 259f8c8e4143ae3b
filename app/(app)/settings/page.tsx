import type { Metadata } from "next";
import { ROLE_LABEL, SENIORITY_LABEL } from "@/lib/domain/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { Row, TableHead } from "@/components/ui/table";
import { listApiTokens } from "@/lib/data/tokens";
import { formatDateTime } from "@/lib/format";
import { CreateTokenForm, RevokeOwnToken, SignOutEverywhere } from "./tokens";
import { NotificationPreferencesForm } from "@/components/notification-preferences-form";
import { getMyNotificationPreferences } from "@/lib/data/notification-preferences";
import { getActiveProgram } from "@/lib/data/program";
import { notificationConfig } from "@/lib/env";
import { saveNotificationPreferencesAction } from "./notification-actions";

export const metadata: Metadata = { title: "Settings" };

const COLUMNS = [
  { label: "Name" },
  { label: "Created" },
  { label: "Last used" },
  { label: "Expires" },
  { label: "Status" },
  { label: "Actions", hidden: true },
] as const;

export default async function SettingsPage() {
  const user = await requirePageUser();
  const tokens = await listApiTokens(actorOf(user), "mine");
  const preferences = await getMyNotificationPreferences(actorOf(user));
  // The digest hour is read on the program's clock.
  const program = await getActiveProgram();
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Settings</h1>
        <p className="text-sm text-muted">
          {user.name} · {user.email} · {ROLE_LABEL[user.role]}, {SENIORITY_LABEL[user.seniority]}
        </p>
      </div>
      <section
        id="notifications"
        aria-labelledby="notifications-heading"
        className="surface border-base rounded-lg border p-4"
      >
        <h2 id="notifications-heading" className="font-medium">
          Notifications
        </h2>
        <p className="mb-3 text-sm text-muted">
          What you are told about, and where. Turn both channels off and you are not sent that kind at all.
        </p>
        <NotificationPreferencesForm
          events={preferences.events}
          settings={preferences.settings}
          timeZone={program?.timeZone}
          emailOn={notificationConfig().smtpUrl !== null}
          save={saveNotificationPreferencesAction}
          submitLabel="Save notification preferences"
        />
      </section>
      <section aria-labelledby="api-tokens" className="surface border-base rounded-lg border p-4">
        <h2 id="api-tokens" className="font-medium">
          API tokens
        </h2>
        <p className="mb-3 text-sm text-muted">
          For scripts and automation against the <code>/api/v1</code> API. A token acts as you, with exactly your
          permissions; it is shown once and stored only as a hash.
        </p>
        <CreateTokenForm />
        {tokens.length === 0 ? (
          <p className="mt-4 text-sm text-muted">You have no API tokens yet.</p>
        ) : (
          <div className="relative mt-4 overflow-x-auto">
            {/* relative: the hidden "Actions" header label is absolutely placed and must stay inside the scroll box. */}
            <table className="w-full text-sm">
              <TableHead columns={COLUMNS} />
              <tbody>
                {tokens.map((t) => (
                  <Row key={t.id}>
                    <td className="px-3 py-2">
                      {t.name} <span className="font-mono text-xs text-muted">{t.prefix}…</span>
                    </td>
                    <td className="px-3 py-2 tabular-nums">{formatDateTime(t.createdAt)}</td>
                    <td className="px-3 py-2 tabular-nums">{t.lastUsedAt ? formatDateTime(t.lastUsedAt) : "Never"}</td>
                    <td className="px-3 py-2 tabular-nums">{t.expiresAt ? formatDateTime(t.expiresAt) : "Never"}</td>
                    <td className="px-3 py-2">
                      {t.revokedAt ? `Revoked ${formatDateTime(t.revokedAt)}` : t.expired ? "Expired" : "Active"}
                    </td>
                    <td className="px-3 py-2">
                      {t.revokedAt ? null : <RevokeOwnToken tokenId={t.id} name={t.name} />}
                    </td>
                  </Row>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="sessions" className="surface border-base rounded-lg border p-4">
        <h2 id="sessions" className="font-medium">
          Sessions
        </h2>
        <p className="mb-3 text-sm text-muted">
          Ends your sessions in every browser, this one included (for a lost or shared device). API tokens keep working
          until you revoke them or they expire.
        </p>
        <SignOutEverywhere />
      </section>
    </div>
  );
}

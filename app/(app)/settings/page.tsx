import type { Metadata } from "next";
import { ROLE_LABEL, SENIORITY_LABEL } from "@/lib/auth/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { listApiTokens } from "@/lib/data/tokens";
import { formatDateTime } from "@/lib/format";
import { CreateTokenForm, RevokeOwnToken } from "./tokens";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requirePageUser();
  const tokens = await listApiTokens(actorOf(user), "mine");
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Settings</h1>
        <p className="text-sm text-muted">
          {user.name} · {user.email} · {ROLE_LABEL[user.role]}, {SENIORITY_LABEL[user.seniority]}
        </p>
      </div>
      <section aria-labelledby="api-tokens" className="surface border-base rounded-lg border p-4">
        <h2 id="api-tokens" className="font-medium">
          API tokens
        </h2>
        <p className="mb-3 text-sm text-muted">
          For scripts and automation against the <code>/api/v1</code> API. A token acts as you, with exactly your permissions;
          it is shown once and stored only as a hash.
        </p>
        <CreateTokenForm />
        {tokens.length === 0 ? (
          <p className="mt-4 text-sm text-muted">You have no API tokens yet.</p>
        ) : (
          <table className="mt-4 w-full text-sm">
            <thead>
              <tr className="border-base border-b text-left text-xs uppercase tracking-wide text-muted">
                <th scope="col" className="py-2 pr-3 font-medium">Name</th>
                <th scope="col" className="py-2 pr-3 font-medium">Created</th>
                <th scope="col" className="py-2 pr-3 font-medium">Last used</th>
                <th scope="col" className="py-2 pr-3 font-medium">Status</th>
                <th scope="col" className="py-2 font-medium"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} className="border-base border-b last:border-b-0">
                  <td className="py-2 pr-3">
                    {t.name} <span className="font-mono text-xs text-muted">{t.prefix}…</span>
                  </td>
                  <td className="py-2 pr-3 tabular-nums">{formatDateTime(t.createdAt)}</td>
                  <td className="py-2 pr-3 tabular-nums">{formatDateTime(t.lastUsedAt)}</td>
                  <td className="py-2 pr-3">{t.revokedAt ? `Revoked ${formatDateTime(t.revokedAt)}` : "Active"}</td>
                  <td className="py-2">{t.revokedAt ? null : <RevokeOwnToken tokenId={t.id} name={t.name} />}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

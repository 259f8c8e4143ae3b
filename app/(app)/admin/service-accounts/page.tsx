import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { Row, TableHead } from "@/components/ui/table";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { listServiceAccounts } from "@/lib/data/service-accounts";
import { Forbidden } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { CreateServiceAccountForm, RevokeServiceAccountButton } from "./service-account-forms";

export const metadata: Metadata = { title: "Service accounts" };

const COLUMNS = [
  { label: "Name" },
  { label: "Scope" },
  { label: "Token" },
  { label: "Last used" },
  { label: "Created" },
  { label: "Actions", hidden: true },
] as const;

export default async function ServiceAccountsPage() {
  const user = await requirePageUser();
  const accounts = await listServiceAccounts(actorOf(user)).catch((error: unknown) => {
    if (error instanceof Forbidden) forbidden();
    throw error;
  });
  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Service accounts</h1>
        <p className="text-sm text-muted">
          Identities for deploy pipelines. A service account&apos;s token may only register changes for the systems and
          teams it is scoped to, record what happened to them, and read the change gate&apos;s decision. It never signs
          off and never reads the audit log; every use is in the audit trail.
        </p>
      </div>
      <section className="surface border-base rounded-lg border p-4">
        <CreateServiceAccountForm />
      </section>
      {accounts.length ? (
        <div className="surface border-base relative overflow-x-auto rounded-lg border">
          <table className="w-full text-sm">
            <caption className="sr-only">Service accounts</caption>
            <TableHead columns={COLUMNS} />
            <tbody>
              {accounts.map((a) => (
                <Row key={a.id}>
                  <td className="px-3 py-2">
                    <span className="font-medium">{a.name}</span>
                    {a.revokedAt ? (
                      <span className="ml-2 text-xs text-muted">revoked {formatDateTime(new Date(a.revokedAt))}</span>
                    ) : null}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {[...a.systems.map((s) => `system ${s}`), ...a.teams.map((t) => `team ${t}`)].join(", ")}
                  </td>
                  <td className="px-3 py-2 font-mono text-xs">{a.tokenPrefix ? `${a.tokenPrefix}…` : "—"}</td>
                  <td className="px-3 py-2 text-xs tabular-nums">
                    {a.lastUsedAt ? formatDateTime(new Date(a.lastUsedAt)) : "Never"}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    {formatDateTime(new Date(a.createdAt))} by {a.createdBy}
                  </td>
                  <td className="px-3 py-2">
                    {a.revokedAt ? null : <RevokeServiceAccountButton id={a.id} name={a.name} />}
                  </td>
                </Row>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p className="surface border-base rounded-lg border p-4 text-sm text-muted">
          No service accounts yet. Create one for each pipeline that deploys a system in the reset.
        </p>
      )}
    </div>
  );
}

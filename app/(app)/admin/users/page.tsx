import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { Row, TableHead } from "@/components/ui/table";
import { listApiTokens } from "@/lib/data/tokens";
import { listUsers } from "@/lib/data/users";
import { Forbidden } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { AddUserForm, RevokeTokenButton, TransferForm } from "./users-admin";
import { UsersTable } from "./users-table";

export const metadata: Metadata = { title: "Users" };

const TOKEN_COLUMNS = [
  { label: "Token" },
  { label: "Owner" },
  { label: "Created" },
  { label: "Last used" },
  { label: "Actions", hidden: true },
] as const;

export default async function UsersAdminPage() {
  const user = await requirePageUser();
  const actor = actorOf(user);
  // listUsers authorizes (and records a refusal in the audit trail); a refusal renders the 403 page.
  const users = await listUsers(actor).catch((error: unknown) => {
    if (error instanceof Forbidden) forbidden();
    throw error;
  });
  const tokens = await listApiTokens(actor, "all");

  return (
    <div className="mx-auto max-w-7xl space-y-6">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Users</h1>
        <p className="text-sm text-muted">
          Who takes part in the reset, with which role and seniority. Deactivating someone signs them out and stops
          their API tokens at once.
        </p>
      </div>

      <section aria-labelledby="add-user" className="surface border-base rounded-lg border p-4">
        <h2 id="add-user" className="mb-3 font-medium">
          Add a user
        </h2>
        <AddUserForm />
      </section>

      <section aria-labelledby="people" className="surface border-base rounded-lg border">
        <h2 id="people" className="px-3 pb-2 pt-3 font-medium">
          People <span className="text-sm font-normal text-muted tabular-nums">({users.length})</span>
        </h2>
        <UsersTable
          selfId={user.id}
          users={users.map((u) => ({
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role,
            seniority: u.seniority,
            active: u.active,
            owns: u.owns,
            reviews: u.reviews,
          }))}
        />
      </section>

      <section aria-labelledby="transfer" className="surface border-base rounded-lg border p-4">
        <h2 id="transfer" className="font-medium">
          Transfer assignments
        </h2>
        <p className="mb-3 text-sm text-muted">
          When someone leaves, hand every system they own or review to one person in a single step. Systems where the
          successor already holds the other role are left in place and listed, since nobody may own and review the same
          system.
        </p>
        <TransferForm
          users={users.map((u) => ({
            id: u.id,
            name: u.name,
            email: u.email,
            active: u.active && u.role !== "EXECUTIVE",
            assignments: u.owns + u.reviews,
          }))}
        />
      </section>

      <section aria-labelledby="tokens" className="surface border-base relative overflow-x-auto rounded-lg border">
        <h2 id="tokens" className="px-3 pt-3 font-medium">
          Active API tokens <span className="text-sm font-normal text-muted tabular-nums">({tokens.length})</span>
        </h2>
        {tokens.length === 0 ? (
          <p className="px-3 pb-3 pt-1 text-sm text-muted">Nobody has an active API token.</p>
        ) : (
          <table className="mt-2 w-full text-sm">
            <TableHead columns={TOKEN_COLUMNS} />
            <tbody>
              {tokens.map((t) => (
                <Row key={t.id}>
                  <td className="px-3 py-2">
                    {t.name} <span className="font-mono text-xs text-muted">{t.prefix}…</span>
                  </td>
                  <td className="px-3 py-2">{t.user.name}</td>
                  <td className="px-3 py-2 tabular-nums">{formatDateTime(t.createdAt)}</td>
                  <td className="px-3 py-2 tabular-nums">{formatDateTime(t.lastUsedAt)}</td>
                  <td className="px-3 py-2">
                    <RevokeTokenButton tokenId={t.id} label={`${t.user.name}'s token ${t.name}`} />
                  </td>
                </Row>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

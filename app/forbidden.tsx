import Link from "next/link";
import { ShieldAlert } from "lucide-react";
import { ROLE_LABEL, SENIORITY_LABEL } from "@/lib/domain/permissions";
import { getSessionUser } from "@/lib/auth/session";

// Rendered with status 403 when a page calls forbidden(): it says who you are and what is missing.
export default async function Forbidden() {
  const user = await getSessionUser();
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="surface border-base max-w-md rounded-xl border p-6">
        <div className="flex items-center gap-2">
          <ShieldAlert aria-hidden className="size-5" style={{ color: "var(--color-health-overdue)" }} />
          <h1 className="text-lg font-semibold">You do not have access to this page</h1>
        </div>
        <p className="mt-3 text-sm text-muted">
          {user
            ? `You are signed in as ${user.name} (${ROLE_LABEL[user.role]}, ${SENIORITY_LABEL[user.seniority]}). Your role does not give access to this page; ask a program lead if you need it.`
            : "Sign in with an account that has access."}
        </p>
        <Link href="/" className="mt-4 inline-block text-sm font-medium underline">
          Back to Resetboard
        </Link>
      </div>
    </main>
  );
}

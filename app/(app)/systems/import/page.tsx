import type { Metadata } from "next";
import Link from "next/link";
import { forbidden } from "next/navigation";
import { ArrowLeft } from "lucide-react";
import { ImportSystems } from "@/components/import-systems";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { authorizeImport, IMPORT_COLUMNS } from "@/lib/data/import";
import { Forbidden } from "@/lib/errors";

export const metadata: Metadata = { title: "Import systems" };

export default async function ImportPage() {
  const user = await requirePageUser();
  await authorizeImport(actorOf(user)).catch((error: unknown) => {
    if (error instanceof Forbidden) forbidden();
    throw error;
  });
  return (
    <div className="mx-auto max-w-4xl space-y-5">
      <Link href="/systems" className="inline-flex items-center gap-1 text-sm text-muted hover:underline">
        <ArrowLeft aria-hidden className="size-4" /> All systems
      </Link>
      <div className="space-y-1">
        <h1 className="text-xl font-semibold tracking-tight">Import systems</h1>
        <p className="text-sm text-muted">
          Create or update systems and their owners and reviewers from a CSV file. The preview checks every row first;
          applying writes all rows or none. Rows that match the registry change nothing.
        </p>
      </div>
      <section className="surface border-base rounded-lg border p-4">
        <ImportSystems />
      </section>
      <details className="surface border-base rounded-lg border p-4 text-sm">
        <summary className="cursor-pointer font-medium">The file format</summary>
        <div className="mt-2 space-y-2">
          <p>A header row naming these columns (any order), then one system per row:</p>
          <pre className="overflow-x-auto rounded bg-[var(--surface-muted)] p-2 font-mono text-xs">
            {IMPORT_COLUMNS.join(",")}
          </pre>
          <ul className="list-disc space-y-1 pl-5">
            <li>
              <code>key</code> lower-case letters, digits and hyphens; an existing key updates that system.
            </li>
            <li>
              <code>tier</code> TIER_0, TIER_1 or TIER_2; <code>ai_assisted</code> true or false.
            </li>
            <li>
              <code>repo_url</code>, <code>runbook_url</code> http(s) links or empty.
            </li>
            <li>
              <code>owners</code>, <code>reviewers</code> emails of active people separated by <code>;</code>. They
              replace the system&apos;s current assignments (empty means none); nobody may be both.
            </li>
          </ul>
          <p>
            A sample lives in the repository at <code>docs/sample-systems.csv</code>.
          </p>
        </div>
      </details>
    </div>
  );
}

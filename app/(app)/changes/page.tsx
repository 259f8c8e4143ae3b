import type { Metadata } from "next";
import Link from "next/link";
import { Bot } from "lucide-react";
import { ChangeStatusBadge, CHANGE_STATUS } from "@/components/changes/change-status-badge";
import { Row, TableHead } from "@/components/ui/table";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { authorableSystems, listChanges } from "@/lib/data/changes";
import { CHANGE_STATUSES, listChangesSchema } from "@/lib/data/changes.schema";
import { ValidationError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { seniorityWord } from "@/lib/labels";
import { RegisterChangeForm } from "./change-forms";

export const metadata: Metadata = { title: "Changes" };

const PAGE_SIZE = 50;

const COLUMNS = [
  { label: "Change" },
  { label: "System" },
  { label: "Author" },
  { label: "Status" },
  { label: "Why" },
  { label: "Registered" },
] as const;

type Search = Promise<Record<string, string | string[] | undefined>>;

export default async function ChangesPage({ searchParams }: { searchParams: Search }) {
  const user = await requirePageUser();
  const actor = actorOf(user);
  const raw = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
  const parsed = listChangesSchema.safeParse({
    system: first(raw.system),
    status: first(raw.status),
    before: first(raw.before),
    limit: PAGE_SIZE + 1,
  });
  const query = parsed.success ? parsed.data : { limit: PAGE_SIZE + 1 };
  // A page link whose change no longer matches (or never existed) starts again from the newest.
  const list = (q: typeof query) =>
    listChanges(actor, q).catch((error: unknown) => {
      if (error instanceof ValidationError && q.before) return listChanges(actor, { ...q, before: undefined });
      throw error;
    });
  const [fetched, systems] = await Promise.all([list(query), authorableSystems(actor)]);
  // One more than a page is read so that "Older changes" shows only when there are some.
  const changes = fetched.slice(0, PAGE_SIZE);
  const pageLink = (before?: string) => {
    const params = new URLSearchParams();
    if (query.system) params.set("system", query.system);
    if (query.status) params.set("status", query.status);
    if (before) params.set("before", before);
    const search = params.toString();
    return search ? `/changes?${search}` : "/changes";
  };

  return (
    <div className="mx-auto max-w-7xl space-y-5">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Changes</h1>
        <p className="text-sm text-muted">
          Every production change passes the change gate: an approval from someone other than its author, a senior
          sign-off when AI-assisted work comes from a junior or mid engineer, a rollback plan, and a principal while the
          system&apos;s rollback is untested. Pipelines ask with{" "}
          <code className="font-mono text-xs">npm run cli -- gate check ID</code> or the API.
        </p>
      </div>

      {systems.length ? (
        <section className="surface border-base rounded-lg border p-4">
          <RegisterChangeForm systems={systems} defaultSystem={query.system} />
        </section>
      ) : null}

      <form method="get" className="flex flex-wrap items-end gap-3" aria-label="Filter changes">
        <div>
          <label htmlFor="filter-system" className="block text-xs font-medium text-muted">
            System key
          </label>
          <input
            id="filter-system"
            name="system"
            defaultValue={query.system ?? ""}
            className="border-base mt-1 block rounded-md border bg-transparent px-2.5 py-1.5 text-sm"
          />
        </div>
        <div>
          <label htmlFor="filter-status" className="block text-xs font-medium text-muted">
            Status
          </label>
          <select
            id="filter-status"
            name="status"
            defaultValue={query.status ?? ""}
            className="border-base mt-1 block rounded-md border bg-transparent px-2.5 py-1.5 text-sm"
          >
            <option value="">Any</option>
            {CHANGE_STATUSES.map((s) => (
              <option key={s} value={s}>
                {CHANGE_STATUS[s].label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="submit"
          className="border-base h-8 rounded-md border px-3 text-sm font-medium hover:bg-[var(--surface-muted)]"
        >
          Filter
        </button>
        {!parsed.success ? (
          <p role="alert" className="text-sm">
            Those filters are not valid; showing every change.
          </p>
        ) : null}
      </form>

      {changes.length ? (
        <div className="surface border-base relative overflow-x-auto rounded-lg border">
          {/* On a phone each change becomes a card of "label  value" lines (stack-table in globals.css). */}
          <table className="stack-table w-full text-sm">
            <caption className="sr-only">Changes, newest first</caption>
            <TableHead columns={COLUMNS} />
            <tbody>
              {changes.map((c) => (
                <Row key={c.id}>
                  <td data-label="Change" className="px-3 py-2">
                    <span>
                      <Link href={`/changes/${c.id}`} className="font-medium underline">
                        {c.title}
                      </Link>
                      {c.aiAssisted ? (
                        <span className="ml-2 inline-flex items-center gap-1 text-xs text-muted">
                          <Bot aria-hidden className="size-3.5" /> AI-assisted
                        </span>
                      ) : null}
                    </span>
                  </td>
                  <td data-label="System" className="px-3 py-2">
                    <Link href={`/systems/${c.system.key}`} className="hover:underline">
                      {c.system.name}
                    </Link>
                  </td>
                  <td data-label="Author" className="px-3 py-2">
                    <span>
                      {c.author.name} <span className="text-xs text-muted">({seniorityWord(c.author.seniority)})</span>
                    </span>
                  </td>
                  <td data-label="Status" className="px-3 py-2">
                    <ChangeStatusBadge status={c.status} />
                  </td>
                  <td data-label="Why" className="max-w-md px-3 py-2 text-xs">
                    {c.status === "blocked"
                      ? c.decision.reasons[0]
                      : c.status === "allowed"
                        ? c.decision.reasons[0]
                        : c.outcomes.at(-1)?.allowed === false
                          ? "Shipped without an allowed decision."
                          : ""}
                  </td>
                  <td data-label="Registered" className="whitespace-nowrap px-3 py-2 text-xs tabular-nums text-muted">
                    {formatDateTime(new Date(c.createdAt))}
                  </td>
                </Row>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {query.before || fetched.length > PAGE_SIZE ? (
        <nav aria-label="Pages of changes" className="flex items-center gap-4 text-sm">
          {query.before ? (
            <Link href={pageLink()} className="underline">
              ← Newest changes
            </Link>
          ) : null}
          {fetched.length > PAGE_SIZE ? (
            <Link href={pageLink(changes.at(-1)!.id)} className="underline">
              Older changes →
            </Link>
          ) : null}
        </nav>
      ) : null}
      {changes.length ? null : (
        <p className="surface border-base rounded-lg border p-4 text-sm text-muted">
          No changes match.{" "}
          {systems.length
            ? "Register one above, or have your pipeline register it through the API."
            : "Changes appear here once authors or pipelines register them."}
        </p>
      )}
    </div>
  );
}

import type { Metadata } from "next";
import Link from "next/link";
import { Bot, Search } from "lucide-react";
import { HealthBadge } from "@/components/health-badge";
import { ProgressBar } from "@/components/progress-bar";
import { tierLabel } from "@/components/tier-label";
import { Row, TableHead } from "@/components/ui/table";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { listSystems } from "@/lib/data/systems";

export const metadata: Metadata = { title: "Systems" };

const COLUMNS = [
  { label: "System" },
  { label: "Team" },
  { label: "Tier" },
  { label: "Owners" },
  { label: "Progress" },
  { label: "Health" },
];

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function pageHref(q: string, page: number) {
  const params = new URLSearchParams();
  if (q) params.set("q", q);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return query ? `/systems?${query}` : "/systems";
}

export default async function SystemsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await requirePageUser();
  const result = await listSystems(actorOf(user), { q: first(params.q), page: first(params.page) });
  const { items, total, page, pageCount, pageSize, q } = result;
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);

  return (
    <div className="mx-auto max-w-7xl">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Systems</h1>
          <p className="text-sm text-muted">Every critical system in the reset, with its progress through the milestones.</p>
        </div>
        <form role="search" action="/systems" className="flex items-center gap-2">
          <label htmlFor="systems-q" className="sr-only">
            Search systems
          </label>
          <div className="surface border-base flex items-center gap-2 rounded-md border px-2">
            <Search aria-hidden className="size-4 text-muted" />
            <input
              id="systems-q"
              name="q"
              type="search"
              defaultValue={q}
              placeholder="Name, key or team"
              maxLength={100}
              className="h-8 w-56 bg-transparent text-sm outline-none"
            />
          </div>
          <button type="submit" className="surface border-base h-8 rounded-md border px-3 text-sm font-medium">
            Search
          </button>
        </form>
      </div>

      {items.length === 0 ? (
        <div className="surface border-base rounded-lg border p-10 text-center">
          <h2 className="font-medium">{q ? `No systems match “${q}”` : "No systems yet"}</h2>
          <p className="mt-1 text-sm text-muted">
            {q ? (
              <>
                Try another name, key or team, or <Link className="underline" href="/systems">show all systems</Link>.
              </>
            ) : (
              "Systems appear here once a lead adds them (npm run cli, or the seed for the demo)."
            )}
          </p>
        </div>
      ) : (
        <div className="surface border-base overflow-x-auto rounded-lg border">
          <table className="w-full border-collapse text-sm">
            <caption className="sr-only">
              Systems {from} to {to} of {total}
              {q ? ` matching “${q}”` : ""}
            </caption>
            <TableHead columns={COLUMNS} />
            <tbody>
              {items.map((system) => (
                <Row key={system.key}>
                  <td className="px-3 py-2">
                    <div className="flex items-center gap-1.5 font-medium">
                      <Link href={`/systems/${system.key}`} className="hover:underline">
                        {system.name}
                      </Link>
                      {system.aiAssisted ? (
                        <span title="Ships AI-assisted changes" className="inline-flex items-center gap-0.5 text-xs font-normal text-muted">
                          <Bot aria-hidden className="size-3.5" />
                          <span className="sr-only">(</span>AI-assisted<span className="sr-only">)</span>
                        </span>
                      ) : null}
                    </div>
                    <div className="font-mono text-xs text-muted">{system.key}</div>
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">{system.team}</td>
                  <td className="px-3 py-2 whitespace-nowrap">{tierLabel(system.tier)}</td>
                  <td className="px-3 py-2 text-muted">
                    {system.owners.length ? system.owners.map((o) => o.name).join(", ") : <span>Unassigned</span>}
                  </td>
                  <td className="px-3 py-2">
                    <ProgressBar progress={system.progress} />
                  </td>
                  <td className="px-3 py-2">
                    <HealthBadge health={system.health} />
                  </td>
                </Row>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {total > 0 ? (
        <nav aria-label="Pages" className="mt-3 flex items-center justify-between text-sm">
          <p className="tabular-nums text-muted" aria-live="polite">
            {from}–{to} of {total} systems
          </p>
          <div className="flex items-center gap-2">
            {page > 1 ? (
              <Link className="surface border-base rounded-md border px-3 py-1" href={pageHref(q, page - 1)} rel="prev">
                Previous
              </Link>
            ) : null}
            <span className="tabular-nums text-muted">
              Page {page} of {pageCount}
            </span>
            {page < pageCount ? (
              <Link className="surface border-base rounded-md border px-3 py-1" href={pageHref(q, page + 1)} rel="next">
                Next
              </Link>
            ) : null}
          </div>
        </nav>
      ) : null}
    </div>
  );
}

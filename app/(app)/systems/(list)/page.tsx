import type { Metadata } from "next";
import Link from "next/link";
import { Download, FileUp, Plus } from "lucide-react";
import { can } from "@/lib/domain/permissions";
import { actorOf, requirePageUser } from "@/lib/auth/session";
import { listSystems, systemFilterOptions, type SystemListItem } from "@/lib/data/systems";
import {
  DEFAULT_COLUMNS,
  PAGE_SIZES,
  columnsSchema,
  lenientSystemsQuery,
  systemsQueryString,
  type SystemColumn,
  type SystemsQuery,
} from "@/lib/data/systems.schema";
import { utcDay } from "@/lib/domain/schedule";
import { STATUS_LABEL } from "@/lib/labels";
import { SystemsFilters } from "./filters";
import { SystemsTable, type SystemTableRow } from "./systems-table";

/**
 * A listed system without what the table does not show. Every prop of the (client) table is
 * serialised into the page for hydration; the descriptions alone were a fifth of that payload.
 */
function tableRow({ description: _description, joinedOn: _joinedOn, ...row }: SystemListItem): SystemTableRow {
  return row;
}

export const metadata: Metadata = { title: "Systems" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const linkButton =
  "surface border-base inline-flex h-8 items-center gap-1.5 rounded-md border px-3 text-sm font-medium hover:bg-[var(--surface-muted)]";

export default async function SystemsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await requirePageUser();
  const actor = actorOf(user);
  // With no sort in the URL, the registry opens on what needs attention: worst health first, then
  // the soonest due (the API's default order stays by name).
  const parsed = lenientSystemsQuery(params);
  const query: SystemsQuery = parsed.sort ? parsed : { ...parsed, sort: "health", dir: parsed.dir ?? "desc" };
  const cols = columnsSchema.safeParse(params.cols);
  const columns: readonly SystemColumn[] = (cols.success && cols.data) || DEFAULT_COLUMNS;
  const [result, options] = await Promise.all([listSystems(actor, query), systemFilterOptions(actor)]);
  const { items, total, page, pageCount, pageSize } = result;
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);
  const view = { ...query, cols: cols.success ? cols.data : undefined };
  const href = (change: Partial<SystemsQuery>) => {
    const qs = systemsQueryString({ ...view, ...change });
    return qs ? `/systems?${qs}` : "/systems";
  };
  const filtered = Boolean(
    query.q ||
    query.team ||
    query.tier ||
    query.health ||
    query.owner ||
    query.reviewer ||
    query.milestone ||
    query.flag ||
    query.status ||
    query.archived,
  );
  const isLead = can(user, "system.manage");
  const exportQuery = systemsQueryString({ ...query, page: undefined, pageSize: undefined });
  const milestoneName = options.milestones.find((m) => m.key === query.milestone)?.name ?? null;

  return (
    <div className="mx-auto max-w-7xl">
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold tracking-tight">Systems</h1>
          <p className="text-sm text-muted">
            Every critical system in the reset, with its progress through the milestones.
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {isLead ? (
            <>
              <Link href="/systems/new" className={linkButton}>
                <Plus aria-hidden className="size-4" />
                New system
              </Link>
              <Link href="/systems/import" className={linkButton}>
                <FileUp aria-hidden className="size-4" />
                Import CSV
              </Link>
            </>
          ) : null}
          <a href={`/api/export/systems${exportQuery ? `?${exportQuery}` : ""}`} className={linkButton} download>
            <Download aria-hidden className="size-4" />
            Export view (CSV)
          </a>
          <a href="/api/export/program" className={linkButton} download>
            <Download aria-hidden className="size-4" />
            Audit export (CSV)
          </a>
        </div>
      </div>

      <SystemsFilters
        query={query}
        options={options}
        hidden={{
          sort: query.sort,
          dir: query.dir,
          pageSize: query.pageSize,
          cols: cols.success ? cols.data : undefined,
          status: query.status,
        }}
        clearHref={href({
          q: undefined,
          team: undefined,
          tier: undefined,
          health: undefined,
          owner: undefined,
          reviewer: undefined,
          milestone: undefined,
          mstatus: undefined,
          flag: undefined,
          status: undefined,
          archived: undefined,
          page: undefined,
        })}
        filtered={filtered}
      />

      <p className="mb-3 flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
        <Link
          aria-current={query.flag ? "true" : undefined}
          className={query.flag ? "font-medium underline" : "text-muted underline"}
          href={href({ flag: query.flag ? undefined : "no-eligible-reviewer", page: undefined })}
        >
          {query.flag ? "Showing systems without an eligible reviewer (show all)" : "No eligible reviewer"}
        </Link>
        {query.status ? (
          // Set by the dashboard's tiles: systems with a checkpoint in these statuses.
          <Link
            aria-current="true"
            className="font-medium underline"
            href={href({ status: undefined, page: undefined })}
          >
            Showing systems with a checkpoint {query.status.map((s) => STATUS_LABEL[s].toLowerCase()).join(" or ")}{" "}
            (show all)
          </Link>
        ) : null}
        <Link
          aria-current={query.archived ? "true" : undefined}
          className={query.archived ? "font-medium underline" : "text-muted underline"}
          href={href({ archived: query.archived ? undefined : "only", page: undefined })}
        >
          {query.archived ? "Showing archived systems (show active)" : "Archived systems"}
        </Link>
      </p>

      <SystemsTable
        items={items.map(tableRow)}
        today={utcDay(new Date()).toISOString()}
        caption={`Systems ${from} to ${to} of ${total}`}
        sort={query.sort ?? "health"}
        dir={query.dir ?? "desc"}
        columns={columns}
        milestone={query.milestone && milestoneName ? { key: query.milestone, name: milestoneName } : null}
        isLead={isLead}
        teams={options.teams}
        empty={
          filtered ? (
            <>
              Try fewer filters, or{" "}
              <Link
                className="underline"
                href={href({
                  q: undefined,
                  team: undefined,
                  tier: undefined,
                  health: undefined,
                  owner: undefined,
                  reviewer: undefined,
                  milestone: undefined,
                  mstatus: undefined,
                  page: undefined,
                })}
              >
                clear filters
              </Link>
              .
            </>
          ) : (
            "Systems appear here once a lead adds them (New system, Import CSV, or npm run cli)."
          )
        }
        emptyTitle={filtered ? "No systems match these filters" : "No systems yet"}
      />

      {total > 0 ? (
        <nav aria-label="Pages" className="mt-3 flex flex-wrap items-center justify-between gap-2 text-sm">
          <p className="tabular-nums text-muted" aria-live="polite">
            {from}–{to} of {total} systems
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <span className="text-muted">Rows per page</span>
            {PAGE_SIZES.map((size) =>
              size === pageSize ? (
                <span
                  key={size}
                  aria-current="true"
                  className="rounded-md border border-[var(--foreground)] px-2 py-0.5 tabular-nums"
                >
                  {size}
                </span>
              ) : (
                <Link
                  key={size}
                  href={href({ pageSize: size, page: undefined })}
                  className="border-base rounded-md border px-2 py-0.5 tabular-nums"
                  aria-label={`${size} rows per page`}
                >
                  {size}
                </Link>
              ),
            )}
          </div>
          <div className="flex items-center gap-2">
            {page > 1 ? (
              <Link
                className="surface border-base rounded-md border px-3 py-1"
                href={href({ page: page - 1 })}
                rel="prev"
              >
                Previous
              </Link>
            ) : null}
            <span className="tabular-nums text-muted">
              Page {page} of {pageCount}
            </span>
            {page < pageCount ? (
              <Link
                className="surface border-base rounded-md border px-3 py-1"
                href={href({ page: page + 1 })}
                rel="next"
              >
                Next
              </Link>
            ) : null}
          </div>
        </nav>
      ) : null}
    </div>
  );
}

"use client";
// The registry table: DataTable with the systems' columns. Sorting and column visibility write
// the URL (router.push/replace), so the server renders the view and it survives a reload; row
// selection is local and feeds the leads' bulk actions.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useActionState, useMemo, useState, useTransition, type ReactNode } from "react";
import { Bot } from "lucide-react";
import { HealthBadge } from "@/components/health-badge";
import { PersonField } from "@/components/person-field";
import { ProgressBar } from "@/components/progress-bar";
import { StatusBadge } from "@/components/status-badge";
import { tierLabel } from "@/components/tier-label";
import { FormMessage } from "@/components/ui/field";
import {
  ColumnVisibilityMenu,
  DataTable,
  DataTableEmpty,
  dataTableColumns,
  type ColumnVisibilityState,
  type DataTableColumn,
  type RowSelectionState,
  type SortingState,
} from "@/components/ui/data-table";
import type { ActionResult } from "@/lib/action-result";
import type { SystemListItem } from "@/lib/data/systems";

/** A listed system as the table shows it: what it does not show never reaches the browser. */
export type SystemTableRow = Omit<SystemListItem, "description" | "joinedOn">;
import type { BulkResult } from "@/lib/data/systems-bulk";
import { SYSTEM_COLUMNS, TIERS, type SystemColumn } from "@/lib/data/systems-columns";
import { formatDateTime, formatDue } from "@/lib/format";
import { bulkAssignReviewerAction, bulkSetTeamAction, bulkSetTierAction } from "./actions";

export const COLUMN_LABEL: Record<SystemColumn, string> = {
  key: "Key",
  name: "System",
  team: "Team",
  tier: "Tier",
  aiAssisted: "AI-assisted",
  owners: "Owners",
  reviewers: "Reviewers",
  progress: "Progress",
  milestone: "Current milestone",
  nextDue: "Next due",
  health: "Health",
  lastActivity: "Last activity",
};

const names = (people: { name: string }[]) =>
  people.length ? people.map((p) => p.name).join(", ") : <span className="text-muted">Unassigned</span>;

function buildColumns(today: Date, milestone: { key: string; name: string } | null): DataTableColumn<SystemTableRow>[] {
  const c = dataTableColumns<SystemTableRow>();
  const columns = [
    c.accessor("key", {
      id: "key",
      header: COLUMN_LABEL.key,
      cell: (info) => <span className="whitespace-nowrap font-mono text-xs">{info.getValue()}</span>,
    }),
    c.accessor("name", {
      id: "name",
      header: COLUMN_LABEL.name,
      cell: ({ row }) => (
        <div className="min-w-36">
          <div className="flex items-center gap-1.5">
            <Link href={`/systems/${row.original.key}`} className="font-medium hover:underline">
              {row.original.name}
            </Link>
            {row.original.aiAssisted ? (
              <span title="Ships AI-assisted changes" className="inline-flex items-center text-muted">
                <Bot aria-hidden className="size-3.5" />
                <span className="sr-only">(AI-assisted)</span>
              </span>
            ) : null}
          </div>
          {/* The key may wrap: unbroken, a long one alone made the table wider than a 1280-px screen. */}
          <div className="break-all font-mono text-xs text-muted">
            {row.original.key}
            {row.original.archivedAt ? (
              <span className="ml-1.5 rounded border border-[var(--border)] px-1 font-sans">archived</span>
            ) : null}
            {row.original.joinedDay ? (
              <span className="ml-1.5 whitespace-nowrap font-sans">joined day {row.original.joinedDay}</span>
            ) : null}
          </div>
        </div>
      ),
    }),
    c.accessor("team", {
      id: "team",
      header: COLUMN_LABEL.team,
      cell: (info) => <span className="whitespace-nowrap">{info.getValue()}</span>,
    }),
    c.accessor("tier", {
      id: "tier",
      header: COLUMN_LABEL.tier,
      cell: (info) => <span className="whitespace-nowrap">{tierLabel(info.getValue())}</span>,
    }),
    c.accessor("aiAssisted", {
      id: "aiAssisted",
      header: COLUMN_LABEL.aiAssisted,
      cell: (info) =>
        info.getValue() ? (
          <span className="inline-flex items-center gap-1 text-xs">
            <Bot aria-hidden className="size-3.5" />
            Yes
          </span>
        ) : (
          <span className="text-xs text-muted">No</span>
        ),
    }),
    c.accessor("owners", {
      id: "owners",
      header: COLUMN_LABEL.owners,
      cell: (info) => <span className="text-muted">{names(info.getValue())}</span>,
    }),
    c.accessor("reviewers", {
      id: "reviewers",
      header: COLUMN_LABEL.reviewers,
      cell: (info) => <span className="text-muted">{names(info.getValue())}</span>,
    }),
    c.accessor("progress", {
      id: "progress",
      header: COLUMN_LABEL.progress,
      cell: (info) => <ProgressBar progress={info.getValue()} />,
    }),
    c.accessor("currentMilestone", {
      id: "milestone",
      header: COLUMN_LABEL.milestone,
      cell: (info) => (
        <span className="block min-w-32 text-xs">
          {info.getValue()?.name ?? <span className="text-muted">All done</span>}
        </span>
      ),
    }),
    c.accessor("nextDue", {
      id: "nextDue",
      header: COLUMN_LABEL.nextDue,
      cell: (info) => {
        const due = info.getValue();
        return due ? (
          <span className="whitespace-nowrap tabular-nums">{formatDue(due.dueOn, today, false)}</span>
        ) : (
          <span className="text-muted">—</span>
        );
      },
    }),
    c.accessor("health", {
      id: "health",
      header: COLUMN_LABEL.health,
      cell: (info) => <HealthBadge health={info.getValue()} />,
    }),
    c.accessor("lastActivity", {
      id: "lastActivity",
      header: COLUMN_LABEL.lastActivity,
      cell: (info) => (
        <span className="whitespace-nowrap text-xs tabular-nums text-muted">
          {formatDateTime(info.getValue() ? new Date(info.getValue()!) : null)}
        </span>
      ),
    }),
  ] as DataTableColumn<SystemTableRow>[];
  if (milestone) {
    columns.splice(
      8,
      0,
      c.accessor("milestoneStatus", {
        id: "milestoneStatus",
        header: milestone.name,
        enableSorting: false,
        enableHiding: false,
        cell: (info) =>
          info.getValue() ? <StatusBadge status={info.getValue()!} /> : <span className="text-muted">—</span>,
      }) as DataTableColumn<SystemTableRow>,
    );
  }
  return columns;
}

interface Props {
  items: SystemTableRow[];
  today: string;
  caption: string;
  sort: SystemColumn;
  dir: "asc" | "desc";
  columns: readonly SystemColumn[];
  milestone: { key: string; name: string } | null;
  isLead: boolean;
  teams: string[];
  emptyTitle: string;
  empty: ReactNode;
}

export function SystemsTable(props: Props) {
  const { items, sort, dir, isLead } = props;
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, startTransition] = useTransition();
  const [selection, setSelection] = useState<RowSelectionState>({});
  const today = useMemo(() => new Date(props.today), [props.today]);
  const columns = useMemo(() => buildColumns(today, props.milestone), [today, props.milestone]);
  const sorting = useMemo<SortingState>(() => [{ id: sort, desc: dir === "desc" }], [sort, dir]);
  const visibility = useMemo<ColumnVisibilityState>(
    () => Object.fromEntries(SYSTEM_COLUMNS.map((id) => [id, props.columns.includes(id)])),
    [props.columns],
  );

  const navigate = (change: Record<string, string | null>, mode: "push" | "replace" = "push") => {
    const params = new URLSearchParams(searchParams.toString());
    for (const [key, value] of Object.entries(change)) {
      if (value === null) params.delete(key);
      else params.set(key, value);
    }
    const qs = params.toString();
    startTransition(() => router[mode](qs ? `${pathname}?${qs}` : pathname, { scroll: false }));
  };

  const onSortingChange = (next: SortingState) => {
    const first = next[0];
    if (first) navigate({ sort: first.id, dir: first.desc ? "desc" : "asc", page: null });
  };
  const onVisibilityChange = (next: ColumnVisibilityState) => {
    const shown = SYSTEM_COLUMNS.filter((id) => next[id] !== false);
    navigate({ cols: shown.join(",") || "name" }, "replace");
  };

  const [notice, setNotice] = useState<ActionResult<BulkResult> | null>(null);
  const onBulkResult = (result: ActionResult<BulkResult>) => {
    setNotice(result);
    if (result.ok) setSelection({});
  };

  const selected = items.filter((i) => selection[i.key]).map((i) => ({ key: i.key, updatedAt: i.updatedAt }));

  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center justify-end gap-2">
        <ColumnVisibilityMenu
          columns={SYSTEM_COLUMNS.map((id) => [id, COLUMN_LABEL[id]] as const)}
          visibility={visibility}
          onChange={onVisibilityChange}
          locked={["name"]}
        />
      </div>
      {isLead && selected.length ? <BulkBar selected={selected} teams={props.teams} onResult={onBulkResult} /> : null}
      {notice ? (
        <div className="mb-2">
          <FormMessage result={notice} />
        </div>
      ) : null}
      {items.length === 0 ? (
        <DataTableEmpty title={props.emptyTitle}>{props.empty}</DataTableEmpty>
      ) : (
        <DataTable
          caption={props.caption}
          data={items}
          columns={columns}
          getRowId={(row) => row.key}
          sorting={sorting}
          onSortingChange={onSortingChange}
          columnVisibility={visibility}
          onColumnVisibilityChange={onVisibilityChange}
          rowSelection={isLead ? selection : undefined}
          onRowSelectionChange={isLead ? setSelection : undefined}
          rowLabel={(row) => `Select ${row.name} (${row.key})`}
          busy={pending}
          stackOnPhone
        />
      )}
      {items.length ? (
        <p className="mt-2 flex flex-wrap items-center gap-x-4 gap-y-1 text-xs text-muted">
          <span className="font-medium">Key:</span>
          <span>
            <span className="tabular-nums">3/8</span> milestones approved of all
          </span>
          <span>
            <span className="tabular-nums" style={{ color: "var(--color-status-waived)" }}>
              +1w
            </span>{" "}
            and more waived (waived never counts as approved)
          </span>
          <span className="inline-flex items-center gap-1">
            <Bot aria-hidden className="size-3.5" /> ships AI-assisted changes (every sign-off needs a senior reviewer)
          </span>
          <span>Health: the worst of the system’s open milestones</span>
        </p>
      ) : null}
    </div>
  );
}

type BulkState = ActionResult<BulkResult> | null;
type BulkAction = (prev: BulkState, form: FormData) => Promise<ActionResult<BulkResult>>;

/** A bulk action's form state; every result goes up to the table, which keeps it in sight. */
function useBulkAction(action: BulkAction, onResult: (result: ActionResult<BulkResult>) => void) {
  return useActionState<BulkState, FormData>(async (prev, form) => {
    const result = await action(prev, form);
    onResult(result);
    return result;
  }, null);
}

function BulkBar({
  selected,
  teams,
  onResult,
}: {
  selected: { key: string; updatedAt: string }[];
  teams: string[];
  onResult: (result: ActionResult<BulkResult>) => void;
}) {
  const [, assignReviewer, assigning] = useBulkAction(bulkAssignReviewerAction, onResult);
  const [, setTeam, movingTeam] = useBulkAction(bulkSetTeamAction, onResult);
  const [, setTier, settingTier] = useBulkAction(bulkSetTierAction, onResult);
  const hidden = selected.map(({ key, updatedAt }) => (
    <span key={key} hidden>
      <input type="hidden" name="systems" value={key} />
      <input type="hidden" name="seen" value={`${key}@${updatedAt}`} />
    </span>
  ));
  const input = "border-base surface h-8 min-w-0 rounded-md border px-2 text-sm";
  const button =
    "surface border-base h-8 whitespace-nowrap rounded-md border px-3 text-sm font-medium hover:bg-[var(--surface-muted)] disabled:opacity-60";
  return (
    <section aria-label="Bulk actions" className="surface border-base mb-2 rounded-lg border p-3">
      <p className="mb-2 text-sm font-medium" aria-live="polite">
        {selected.length} selected
      </p>
      <div className="flex flex-wrap items-end gap-4">
        <form action={assignReviewer} className="flex flex-wrap items-end gap-2">
          {hidden}
          <label className="text-xs font-medium text-muted">
            Reviewer to assign
            <PersonField
              name="reviewer"
              required
              placeholder="Name or e-mail"
              className={`${input} mt-1 block w-56 max-w-full`}
            />
          </label>
          <button type="submit" className={button} disabled={assigning}>
            Assign reviewer
          </button>
        </form>
        <form action={setTeam} className="flex flex-wrap items-end gap-2">
          {hidden}
          <label className="text-xs font-medium text-muted">
            New team
            <input name="team" required list="bulk-teams" maxLength={100} className={`${input} mt-1 block w-40`} />
          </label>
          <datalist id="bulk-teams">
            {teams.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
          <button type="submit" className={button} disabled={movingTeam}>
            Set team
          </button>
        </form>
        <form action={setTier} className="flex flex-wrap items-end gap-2">
          {hidden}
          <label className="text-xs font-medium text-muted">
            New tier
            <select name="tier" required className={`${input} mt-1 block w-28`} defaultValue="">
              <option value="" disabled>
                Choose
              </option>
              {TIERS.map((t) => (
                <option key={t} value={t}>
                  {tierLabel(t)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={button} disabled={settingTier}>
            Set tier
          </button>
        </form>
      </div>
    </section>
  );
}

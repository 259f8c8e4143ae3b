"use client";
// The one interactive table of the app (docs/ARCHITECTURE.md, section 9), around @tanstack/react-table
// v9: sortable headers (buttons, with aria-sort on the header cell), a column visibility menu and
// row selection with labelled checkboxes. Table state is controlled by the caller, which keeps it
// where it belongs (the URL for the registry). Sorting is the data source's job (manualSorting):
// at 10,000 systems the server sorts faster than shipping every row to the browser.
import { useId, type ReactNode } from "react";
import {
  columnVisibilityFeature,
  createColumnHelper,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type ColumnDef,
  type RowData,
  type ColumnVisibilityState,
  type RowSelectionState,
  type SortingState,
  type Updater,
} from "@tanstack/react-table";
import { ArrowDown, ArrowUp, ArrowUpDown, Columns3 } from "lucide-react";

export const dataTableFeatures = tableFeatures({ rowSortingFeature, columnVisibilityFeature, rowSelectionFeature });
export type DataTableFeatures = typeof dataTableFeatures;
export type DataTableColumn<T extends RowData> = ColumnDef<DataTableFeatures, T, unknown>;
export type { ColumnVisibilityState, RowSelectionState, SortingState };

/** The column helper for DataTable's features. */
export const dataTableColumns = <T extends RowData>() => createColumnHelper<DataTableFeatures, T>();

const apply = <S,>(updater: Updater<S>, current: S): S =>
  typeof updater === "function" ? (updater as (old: S) => S)(current) : updater;

export interface DataTableProps<T extends RowData> {
  /** Read by screen readers as the table's name, e.g. "Systems 1 to 50 of 335". */
  caption: string;
  data: T[];
  /** Keep stable (module scope or memo): a new array rebuilds the table's models. */
  columns: DataTableColumn<T>[];
  getRowId: (row: T) => string;
  sorting: SortingState;
  onSortingChange: (sorting: SortingState) => void;
  columnVisibility: ColumnVisibilityState;
  onColumnVisibilityChange?: (visibility: ColumnVisibilityState) => void;
  /** Selection appears (a checkbox column) when both are given. */
  rowSelection?: RowSelectionState;
  onRowSelectionChange?: (selection: RowSelectionState) => void;
  /** The accessible name of a row's checkbox, e.g. "Select Payments API". */
  rowLabel?: (row: T) => string;
  /** Columns whose figures are right-aligned with tabular numbers. */
  numericColumns?: readonly string[];
  /** A request for new rows is under way: the table dims and says so. */
  busy?: boolean;
  /** Under 640 px each row becomes a card of "label: value" lines instead of a sideways scroll. */
  stackOnPhone?: boolean;
}

export function DataTable<T extends RowData>(props: DataTableProps<T>) {
  const {
    caption,
    data,
    columns,
    getRowId,
    sorting,
    columnVisibility,
    rowSelection,
    numericColumns = [],
    busy,
    stackOnPhone,
  } = props;
  const selectable = Boolean(rowSelection && props.onRowSelectionChange);
  const table = useTable({
    features: dataTableFeatures,
    columns,
    data,
    getRowId,
    manualSorting: true,
    enableSortingRemoval: false,
    // Every column starts ascending on its first click, whatever its values' type.
    sortDescFirst: false,
    enableMultiSort: false,
    enableRowSelection: selectable,
    state: { sorting, columnVisibility, rowSelection: rowSelection ?? {} },
    onSortingChange: (updater) => props.onSortingChange(apply(updater, sorting)),
    onColumnVisibilityChange: (updater) => props.onColumnVisibilityChange?.(apply(updater, columnVisibility)),
    onRowSelectionChange: (updater) => props.onRowSelectionChange?.(apply(updater, rowSelection ?? {})),
  });
  const rows = table.getRowModel().rows;
  const allSelected = selectable && rows.length > 0 && table.getIsAllPageRowsSelected();
  const someSelected = selectable && table.getIsSomePageRowsSelected() && !allSelected;
  const numeric = (id: string) => numericColumns.includes(id);

  return (
    <div
      className={`surface border-base relative overflow-x-auto rounded-lg border transition-opacity ${busy ? "opacity-60" : ""}`}
      aria-busy={busy || undefined}
    >
      <table className={`w-full border-collapse text-sm ${stackOnPhone ? "stack-table" : ""}`}>
        <caption className="sr-only">{caption}</caption>
        <thead>
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="border-base border-b text-left text-xs uppercase tracking-wide text-muted">
              {selectable ? (
                <th scope="col" className="w-8 px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label="Select all rows on this page"
                    className="size-4 align-middle"
                    checked={allSelected}
                    ref={(el) => {
                      if (el) el.indeterminate = someSelected;
                    }}
                    onChange={table.getToggleAllPageRowsSelectedHandler()}
                  />
                </th>
              ) : null}
              {group.headers.map((header) => {
                const column = header.column;
                const label = headerLabel(column.columnDef.header, column.id);
                const sorted = column.getIsSorted();
                const canSort = column.getCanSort();
                return (
                  <th
                    key={header.id}
                    scope="col"
                    aria-sort={
                      canSort ? (sorted === "asc" ? "ascending" : sorted === "desc" ? "descending" : "none") : undefined
                    }
                    className={`whitespace-nowrap px-2.5 py-2 font-medium ${numeric(column.id) ? "text-right" : ""}`}
                  >
                    {canSort ? (
                      <button
                        type="button"
                        onClick={column.getToggleSortingHandler()}
                        className={`-mx-1 inline-flex items-center gap-1 rounded px-1 uppercase tracking-wide hover:text-[var(--foreground)] ${sorted ? "text-[var(--foreground)]" : ""}`}
                      >
                        {label}
                        {sorted === "asc" ? (
                          <ArrowUp aria-hidden className="size-3.5" />
                        ) : sorted === "desc" ? (
                          <ArrowDown aria-hidden className="size-3.5" />
                        ) : (
                          <ArrowUpDown aria-hidden className="size-3.5 opacity-40" />
                        )}
                      </button>
                    ) : (
                      label
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr
              key={row.id}
              className={`border-base border-b last:border-b-0 hover:bg-[var(--surface-muted)] ${row.getIsSelected() ? "bg-[var(--surface-muted)]" : ""}`}
            >
              {selectable ? (
                <td className="w-8 px-3 py-2" data-label="Select">
                  <input
                    type="checkbox"
                    aria-label={props.rowLabel ? props.rowLabel(row.original) : `Select row ${row.id}`}
                    className="size-4 align-middle"
                    checked={row.getIsSelected()}
                    onChange={row.getToggleSelectedHandler()}
                  />
                </td>
              ) : null}
              {row.getVisibleCells().map((cell) => (
                <td
                  key={cell.id}
                  data-label={headerLabel(cell.column.columnDef.header, cell.column.id)}
                  className={`px-2.5 py-2 align-middle ${numeric(cell.column.id) ? "text-right tabular-nums" : ""}`}
                >
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function headerLabel(header: unknown, id: string): string {
  return typeof header === "string" ? header : id;
}

/**
 * Which columns show: a disclosure (<details>) of labelled checkboxes, keyboard operable without
 * script tricks. `columns` are [id, label] pairs; `locked` ones cannot be hidden.
 */
export function ColumnVisibilityMenu({
  columns,
  visibility,
  onChange,
  locked = [],
}: {
  columns: readonly (readonly [string, string])[];
  visibility: ColumnVisibilityState;
  onChange: (visibility: ColumnVisibilityState) => void;
  locked?: readonly string[];
}) {
  const id = useId();
  return (
    <details className="relative">
      <summary className="surface border-base inline-flex h-8 cursor-pointer list-none items-center gap-1.5 rounded-md border px-3 text-sm font-medium hover:bg-[var(--surface-muted)]">
        <Columns3 aria-hidden className="size-4" />
        Columns
      </summary>
      <fieldset className="surface border-base absolute right-0 z-20 mt-1 w-56 rounded-md border p-2 shadow-lg">
        <legend className="sr-only">Visible columns</legend>
        {columns.map(([column, label]) => (
          <label
            key={column}
            htmlFor={`${id}-${column}`}
            className="flex items-center gap-2 rounded px-1.5 py-1 text-sm hover:bg-[var(--surface-muted)]"
          >
            <input
              id={`${id}-${column}`}
              type="checkbox"
              className="size-4"
              checked={visibility[column] !== false}
              disabled={locked.includes(column)}
              onChange={(event) => onChange({ ...visibility, [column]: event.target.checked })}
            />
            {label}
          </label>
        ))}
      </fieldset>
    </details>
  );
}

/** Empty state inside the table's frame: what happened and what to do. */
export function DataTableEmpty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="surface border-base rounded-lg border p-10 text-center">
      <h2 className="font-medium">{title}</h2>
      {children ? <div className="mt-1 text-sm text-muted">{children}</div> : null}
    </div>
  );
}

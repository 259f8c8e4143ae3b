// The static table primitives: one look for column headers and rows everywhere. (The interactive
// registry table around @tanstack/react-table will build on these.)
import type { ReactNode } from "react";

export interface Column {
  label: string;
  align?: "left" | "right";
  /** Visually hidden but read by screen readers (an actions column). */
  hidden?: boolean;
}

export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr className="border-base border-b text-left text-xs uppercase tracking-wide text-muted">
        {columns.map((column) => (
          <th
            key={column.label}
            scope="col"
            className={`px-3 py-2 font-medium ${column.align === "right" ? "text-right" : ""}`}
          >
            {column.hidden ? <span className="sr-only">{column.label}</span> : column.label}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function Row({ children }: { children: ReactNode }) {
  return <tr className="border-base border-b last:border-b-0 hover:bg-[var(--surface-muted)]">{children}</tr>;
}

// Every chart sits in the same frame: a heading, the picture, and the same figures as a table
// behind "Show the data" for screen readers and for people who would rather read numbers.
import type { ReactNode } from "react";

export function ChartFrame({
  id,
  title,
  description,
  children,
  table,
  className = "",
}: {
  id: string;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  table?: ReactNode;
  className?: string;
}) {
  return (
    <section aria-labelledby={id} className={`surface border-base min-w-0 rounded-lg border p-4 ${className}`}>
      <h2 id={id} className="font-medium">
        {title}
      </h2>
      {description ? <div className="mt-0.5 text-sm text-muted">{description}</div> : null}
      <div className="mt-3">{children}</div>
      {table ? (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-muted hover:text-[var(--text)]">Show the data as a table</summary>
          <div className="mt-2 relative overflow-x-auto">{table}</div>
        </details>
      ) : null}
    </section>
  );
}

export function Legend({ items }: { items: { label: string; color: string; dashed?: boolean }[] }) {
  return (
    <ul className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-muted" aria-label="Legend">
      {items.map((item) => (
        <li key={item.label} className="flex items-center gap-1.5">
          {item.dashed ? (
            <svg aria-hidden width="16" height="4" className="shrink-0">
              <line x1="0" y1="2" x2="16" y2="2" stroke={item.color} strokeWidth="2" strokeDasharray="4 3" />
            </svg>
          ) : (
            <span
              aria-hidden
              className="inline-block size-2.5 shrink-0 rounded-sm"
              style={{ background: item.color }}
            />
          )}
          {item.label}
        </li>
      ))}
    </ul>
  );
}

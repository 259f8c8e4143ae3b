// Skeleton of the audit log while its events load (docs/ARCHITECTURE.md, section 9: skeletons, not spinners).
export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl space-y-4" aria-busy="true" aria-label="Loading the audit log">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="h-7 w-36 animate-pulse rounded bg-[var(--border)]" />
        <div className="h-6 w-48 animate-pulse rounded-full bg-[var(--border)]" />
      </div>
      <div className="surface border-base grid gap-3 rounded-lg border p-3 sm:grid-cols-[1fr_1fr_1fr_auto]">
        {Array.from({ length: 3 }, (_, i) => (
          <div key={i} className="h-12 animate-pulse rounded bg-[var(--border)]" />
        ))}
        <div className="h-8 w-16 animate-pulse self-end rounded bg-[var(--border)]" />
      </div>
      <div className="surface border-base rounded-lg border">
        {Array.from({ length: 12 }, (_, i) => (
          <div key={i} className="border-base flex gap-4 border-b px-3 py-3 last:border-b-0">
            <div className="h-4 w-12 animate-pulse rounded bg-[var(--border)]" />
            <div className="h-4 w-28 animate-pulse rounded bg-[var(--border)]" />
            <div className="h-4 w-1/6 animate-pulse rounded bg-[var(--border)]" />
            <div className="h-4 w-1/8 animate-pulse rounded bg-[var(--border)]" />
            <div className="h-4 w-1/3 animate-pulse rounded bg-[var(--border)]" />
          </div>
        ))}
      </div>
    </div>
  );
}

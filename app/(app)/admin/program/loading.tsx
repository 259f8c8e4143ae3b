// Skeleton of the program settings while they load (docs/ARCHITECTURE.md, section 9: skeletons, not spinners).
export default function Loading() {
  return (
    <div className="mx-auto max-w-5xl space-y-4" aria-busy="true" aria-label="Loading the program settings">
      <div className="h-7 w-48 animate-pulse rounded bg-[var(--border)]" />
      <div className="surface border-base grid gap-3 rounded-lg border p-4 sm:grid-cols-2">
        <div className="h-12 animate-pulse rounded bg-[var(--border)]" />
        <div className="h-12 animate-pulse rounded bg-[var(--border)]" />
      </div>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="surface border-base space-y-3 rounded-lg border p-4">
          <div className="h-5 w-1/3 animate-pulse rounded bg-[var(--border)]" />
          <div className="grid gap-3 sm:grid-cols-4">
            {Array.from({ length: 4 }, (_, j) => (
              <div key={j} className="h-12 animate-pulse rounded bg-[var(--border)]" />
            ))}
          </div>
        </div>
      ))}
    </div>
  );
}

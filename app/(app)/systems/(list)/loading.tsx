// In the (list) group so this skeleton does not wrap /systems/[key]: a response that has begun
// streaming can no longer answer 404 for an unknown system.
// Skeleton rows while the systems load (docs/ARCHITECTURE.md, section 9: skeletons, not spinners, for tables).
export default function Loading() {
  return (
    <div className="mx-auto max-w-7xl" aria-busy="true" aria-label="Loading systems">
      <div className="mb-4 h-7 w-32 animate-pulse rounded bg-[var(--border)]" />
      <div className="surface border-base rounded-lg border">
        {Array.from({ length: 10 }, (_, i) => (
          <div key={i} className="border-base flex gap-4 border-b px-3 py-3 last:border-b-0">
            <div className="h-4 w-1/4 animate-pulse rounded bg-[var(--border)]" />
            <div className="h-4 w-1/6 animate-pulse rounded bg-[var(--border)]" />
            <div className="h-4 w-1/12 animate-pulse rounded bg-[var(--border)]" />
            <div className="h-4 w-1/5 animate-pulse rounded bg-[var(--border)]" />
          </div>
        ))}
      </div>
    </div>
  );
}

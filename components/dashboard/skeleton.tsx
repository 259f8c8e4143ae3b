// Skeletons in the shape of the dashboard and the report while their figures load.
export function ProgressSkeleton({ label, wide }: { label: string; wide: boolean }) {
  const block = "animate-pulse rounded-lg bg-[var(--border)]";
  return (
    <div className={`mx-auto space-y-4 ${wide ? "max-w-7xl" : "max-w-5xl"}`} aria-busy="true" aria-label={label}>
      <div className={`${block} h-10 w-64`} />
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5">
        {Array.from({ length: 10 }, (_, i) => (
          <div key={i} className={`${block} h-20`} />
        ))}
      </div>
      <div className={`${block} h-72`} />
      <div className="grid gap-4 lg:grid-cols-2">
        <div className={`${block} h-64`} />
        <div className={`${block} h-64`} />
      </div>
    </div>
  );
}

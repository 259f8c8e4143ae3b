// Skeletons in the report's shape while the figures load.
export default function Loading() {
  const block = "animate-pulse rounded-lg bg-[var(--border)]";
  return (
    <div className="mx-auto max-w-5xl space-y-4" aria-busy="true" aria-label="Loading the report">
      <div className={`${block} h-14 w-72`} />
      <div className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-5">
        {Array.from({ length: 10 }, (_, i) => (
          <div key={i} className={`${block} h-20`} />
        ))}
      </div>
      <div className={`${block} h-72`} />
    </div>
  );
}

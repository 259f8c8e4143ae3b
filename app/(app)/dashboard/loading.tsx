// Skeletons in the dashboard's own shape while the figures load.
export default function Loading() {
  const block = "animate-pulse rounded-lg bg-[var(--border)]";
  return (
    <div className="mx-auto max-w-7xl space-y-4" aria-busy="true" aria-label="Loading the dashboard">
      <div className={`${block} h-8 w-48`} />
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

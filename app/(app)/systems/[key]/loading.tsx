// Skeleton of the system page while it loads.
export default function Loading() {
  return (
    <div className="mx-auto max-w-5xl space-y-4" aria-busy="true" aria-label="Loading the system">
      <div className="surface border-base h-32 animate-pulse rounded-lg border" />
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="surface border-base h-20 animate-pulse rounded-lg border" />
      ))}
    </div>
  );
}

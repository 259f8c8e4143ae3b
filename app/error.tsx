"use client";
// Shown when a page fails unexpectedly; the details stay in the server log.
export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="surface border-base mx-auto mt-10 max-w-lg rounded-lg border p-6">
      <h1 className="text-lg font-semibold">This page could not be loaded</h1>
      <p className="mt-2 text-sm text-muted">
        Something went wrong on our side, often because the database is unreachable. Try again in a moment; if it keeps
        happening, check that the server and its database are running (<code>GET /api/health</code>).
      </p>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md border border-[var(--border)] px-3 py-1.5 text-sm font-medium hover:bg-[var(--surface-muted)]"
      >
        Try again
      </button>
    </div>
  );
}

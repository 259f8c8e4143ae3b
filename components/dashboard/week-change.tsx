// Week over week: today against the last finished week's frozen snapshot.
import type { WeekChange } from "@/lib/data/progress-snapshots";
import { formatShortDay } from "@/lib/format";

export function WeekChangeList({ change }: { change: WeekChange }) {
  if (!change.since)
    return (
      <p className="text-sm text-muted">
        The first program week has not finished yet, so there is nothing to compare with.
      </p>
    );
  const moved = change.changes.filter((c) => c.delta !== 0);
  return (
    <div>
      <p className="text-sm text-muted">
        Since week {change.since.week} ended ({formatShortDay(change.since.weekEndsOn)}):
      </p>
      {moved.length === 0 ? (
        <p className="mt-1 text-sm">No figure has changed.</p>
      ) : (
        <ul className="mt-1 grid gap-x-6 gap-y-0.5 text-sm sm:grid-cols-2" data-testid="week-changes">
          {moved.map((c) => (
            <li key={c.figure} className="flex items-baseline gap-2">
              <span
                aria-hidden
                className="inline-block size-2 shrink-0 rounded-full"
                style={{ background: c.better ? "var(--color-health-done)" : "var(--color-health-overdue)" }}
              />
              <span className="tabular-nums">{c.words}</span>
              <span className="text-xs tabular-nums text-muted">
                ({c.from.toLocaleString("en-US")} → {c.to.toLocaleString("en-US")})
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

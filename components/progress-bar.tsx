import type { Progress } from "@/lib/domain/schedule";

/** Approved and waived as one bar with two segments, and the same figures in words. */
export function ProgressBar({ progress }: { progress: Progress }) {
  const { approved, waived, total } = progress;
  const pct = (n: number) => (total === 0 ? 0 : (n / total) * 100);
  const words = `${approved} of ${total} approved${waived ? `, ${waived} waived` : ""}`;
  return (
    <div className="flex min-w-36 items-center gap-2">
      <div
        className="flex h-2 w-20 shrink-0 overflow-hidden rounded-full bg-[var(--border)]"
        role="img"
        aria-label={words}
      >
        <div style={{ width: `${pct(approved)}%`, background: "var(--color-status-approved)" }} />
        <div style={{ width: `${pct(waived)}%`, background: "var(--color-status-waived)" }} />
      </div>
      <span className="text-xs tabular-nums text-muted" aria-hidden>
        {approved}/{total}
        {waived ? <span style={{ color: "var(--color-status-waived)" }}> +{waived}w</span> : null}
      </span>
    </div>
  );
}

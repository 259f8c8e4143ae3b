// The same buckets per tier: Tier 0 is where a late milestone hurts most.
import Link from "next/link";
import { BUCKET_META, percent } from "@/components/charts/buckets";
import { ChartFrame } from "@/components/charts/chart-frame";
import { StackedBar } from "@/components/charts/stacked-bar";
import { tierLabel } from "@/components/tier-label";
import type { ProgressReport } from "@/lib/domain/progress-report";
import { BUCKETS } from "@/lib/domain/progress";

export function TierBreakdown({ report }: { report: ProgressReport }) {
  return (
    <ChartFrame id="tiers" title="By tier" description="Checkpoints by status and systems fully reset, per tier.">
      <ul className="space-y-2.5">
        {report.byTier.map((t) => (
          <li key={t.tier}>
            <div className="flex items-baseline justify-between gap-2 text-sm">
              <Link href={`/systems?tier=${t.tier}`} className="hover:underline">
                {tierLabel(t.tier)}
              </Link>
              <span className="text-xs tabular-nums text-muted">
                {t.systemsDone} of {t.systems} systems reset · {percent(t.approved + t.waived, t.total)} of checkpoints
                done
                {t.systemsOverdue ? (
                  <span className="text-[var(--color-health-overdue)]"> · {t.systemsOverdue} systems overdue</span>
                ) : null}
              </span>
            </div>
            <StackedBar
              label={`${tierLabel(t.tier)}: ${BUCKETS.filter((b) => t[b] > 0)
                .map((b) => `${t[b]} ${BUCKET_META[b].label.toLowerCase()}`)
                .join(", ")} of ${t.total}`}
              total={t.total}
              segments={BUCKETS.map((b) => ({ label: BUCKET_META[b].label, value: t[b], color: BUCKET_META[b].color }))}
            />
          </li>
        ))}
      </ul>
    </ChartFrame>
  );
}

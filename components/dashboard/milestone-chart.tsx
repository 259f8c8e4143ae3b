// For each milestone, how its checkpoints split across the status buckets, as stacked bars.
import Link from "next/link";
import { BUCKET_META, percent } from "@/components/charts/buckets";
import { ChartFrame, Legend } from "@/components/charts/chart-frame";
import { StackedBar } from "@/components/charts/stacked-bar";
import type { ProgressReport } from "@/lib/domain/progress-report";
import { BUCKETS } from "@/lib/domain/progress";

export function MilestoneChart({ report, links = true }: { report: ProgressReport; links?: boolean }) {
  return (
    <ChartFrame
      id="milestones"
      title="Milestones"
      description="Checkpoints of every system per milestone. Overdue counts open checkpoints past their due date, whatever their status."
      table={
        <table className="w-full text-right text-xs tabular-nums">
          <caption className="sr-only">Checkpoints per milestone by status</caption>
          <thead>
            <tr className="text-muted">
              <th scope="col" className="py-1 text-left font-medium">
                Milestone
              </th>
              {BUCKETS.map((b) => (
                <th key={b} scope="col" className="py-1 pl-2 font-medium">
                  {BUCKET_META[b].label}
                </th>
              ))}
              <th scope="col" className="py-1 pl-2 font-medium">
                Total
              </th>
            </tr>
          </thead>
          <tbody>
            {report.byMilestone.map((m) => (
              <tr key={m.key} className="border-base border-t">
                <th scope="row" className="py-1 text-left font-normal">
                  {m.name}
                </th>
                {BUCKETS.map((b) => (
                  <td key={b} className="py-1 pl-2">
                    {m[b]}
                  </td>
                ))}
                <td className="py-1 pl-2">{m.total}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <Legend items={BUCKETS.map((b) => BUCKET_META[b])} />
      <ol className="mt-3 space-y-2.5">
        {report.byMilestone.map((m) => {
          const summary = `${m.name}: ${BUCKETS.filter((b) => m[b] > 0)
            .map((b) => `${m[b]} ${BUCKET_META[b].label.toLowerCase()}`)
            .join(", ")} of ${m.total}`;
          return (
            <li key={m.key}>
              <div className="flex items-baseline justify-between gap-2 text-sm">
                {links ? (
                  <Link href={`/systems?milestone=${encodeURIComponent(m.key)}`} className="truncate hover:underline">
                    <span className="tabular-nums text-muted">{m.sequence}.</span> {m.name}
                  </Link>
                ) : (
                  <span className="truncate">
                    <span className="tabular-nums text-muted">{m.sequence}.</span> {m.name}
                  </span>
                )}
                <span className="shrink-0 text-xs tabular-nums text-muted">
                  {percent(m.approved + m.waived, m.total)} done
                  {m.overdue ? (
                    <span className="text-[var(--color-health-overdue)]"> · {m.overdue} overdue</span>
                  ) : null}
                </span>
              </div>
              <StackedBar
                label={summary}
                total={m.total}
                segments={BUCKETS.map((b) => ({
                  label: BUCKET_META[b].label,
                  value: m[b],
                  color: BUCKET_META[b].color,
                }))}
              />
            </li>
          );
        })}
      </ol>
    </ChartFrame>
  );
}

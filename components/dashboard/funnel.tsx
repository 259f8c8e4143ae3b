// Where systems stand: each system counted once, at the first milestone it has not completed.
import { ChartFrame } from "@/components/charts/chart-frame";
import { percent } from "@/components/charts/buckets";
import type { ProgressReport } from "@/lib/domain/progress-report";

export function Funnel({ report }: { report: ProgressReport }) {
  const max = Math.max(1, ...report.funnel.map((s) => s.systems));
  const total = report.systems.total;
  return (
    <ChartFrame
      id="funnel"
      title="Where systems stand"
      description="Each system at the first milestone it has not completed (approved or waived)."
      table={
        <table className="w-full text-right text-xs tabular-nums">
          <caption className="sr-only">Systems by the first milestone not yet completed</caption>
          <thead>
            <tr className="text-muted">
              <th scope="col" className="py-1 text-left font-medium">
                Standing at
              </th>
              <th scope="col" className="py-1 font-medium">
                Systems
              </th>
            </tr>
          </thead>
          <tbody>
            {report.funnel.map((s) => (
              <tr key={s.milestone ?? "done"} className="border-base border-t">
                <th scope="row" className="py-1 text-left font-normal">
                  {s.name}
                </th>
                <td className="py-1">{s.systems}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <ol className="space-y-1.5">
        {report.funnel.map((s) => (
          <li
            key={s.milestone ?? "done"}
            className="grid grid-cols-[minmax(0,11rem)_1fr_3.5rem] items-center gap-2 text-sm"
          >
            <span className="truncate" title={s.name}>
              {s.name}
            </span>
            <svg
              role="img"
              aria-label={`${s.name}: ${s.systems} systems`}
              viewBox="0 0 100 10"
              preserveAspectRatio="none"
              className="block h-3.5 w-full"
            >
              <rect
                x="0"
                y="0"
                width={(s.systems / max) * 100}
                height="10"
                fill={s.milestone === null ? "var(--color-health-done)" : "var(--color-status-submitted)"}
              >
                <title>{`${s.name}: ${s.systems} systems (${percent(s.systems, total)})`}</title>
              </rect>
            </svg>
            <span className="text-right tabular-nums">{s.systems.toLocaleString("en-US")}</span>
          </li>
        ))}
      </ol>
    </ChartFrame>
  );
}

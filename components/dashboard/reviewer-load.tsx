// Reviews waiting per reviewer and how long the oldest has waited, so a lead can rebalance.
import Link from "next/link";
import { ChartFrame } from "@/components/charts/chart-frame";
import { SENIORITY_LABEL } from "@/lib/domain/permissions";
import type { ProgressReport } from "@/lib/domain/progress-report";

const SHOWN = 12;

export function ReviewerLoad({ report }: { report: ProgressReport }) {
  const load = report.reviewerLoad;
  const max = Math.max(1, ...load.map((r) => r.waiting));
  const shown = load.slice(0, SHOWN);
  return (
    <ChartFrame
      id="reviewer-load"
      title="Reviewer load"
      description={
        load.length === 0
          ? "No sign-offs are waiting."
          : `${load.length} reviewer${load.length === 1 ? " has" : "s have"} sign-offs waiting${load.length > SHOWN ? `; the ${SHOWN} busiest shown` : ""}.`
      }
    >
      {shown.length === 0 ? null : (
        <table className="w-full text-sm">
          <caption className="sr-only">Sign-offs waiting per reviewer, with the oldest wait</caption>
          <thead>
            <tr className="text-left text-xs text-muted">
              <th scope="col" className="py-1 font-medium">
                Reviewer
              </th>
              <th scope="col" className="w-2/5 py-1 font-medium">
                Waiting
              </th>
              <th scope="col" className="py-1 text-right font-medium">
                Oldest
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.email} className="border-base border-t">
                <td className="py-1.5 pr-2">
                  <div className="truncate">
                    <Link className="hover:underline" href={`/systems?reviewer=${encodeURIComponent(r.email)}`}>
                      {r.name}
                    </Link>
                  </div>
                  <div className="text-xs text-muted">
                    {SENIORITY_LABEL[r.seniority as keyof typeof SENIORITY_LABEL] ?? r.seniority}
                  </div>
                </td>
                <td className="py-1.5 pr-2">
                  <div className="flex items-center gap-2">
                    <svg aria-hidden viewBox="0 0 100 10" preserveAspectRatio="none" className="block h-2.5 w-full">
                      <rect
                        x="0"
                        y="0"
                        width={(r.waiting / max) * 100}
                        height="10"
                        fill="var(--color-status-submitted)"
                      />
                    </svg>
                    <span className="w-6 text-right tabular-nums">{r.waiting}</span>
                  </div>
                </td>
                <td
                  className={`py-1.5 text-right tabular-nums ${r.oldestWaitDays >= 5 ? "font-medium text-[var(--color-health-overdue)]" : ""}`}
                >
                  {r.oldestWaitDays === 0 ? "today" : `${r.oldestWaitDays} d`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </ChartFrame>
  );
}

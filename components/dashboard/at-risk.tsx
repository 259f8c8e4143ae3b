// The systems a lead should chase today: each one's most pressing checkpoint, how late it is,
// and whom it waits on.
import Link from "next/link";
import { HealthBadge } from "@/components/health-badge";
import { tierLabel } from "@/components/tier-label";
import type { ProgressReport } from "@/lib/domain/progress-report";

export function lateness(daysLate: number): string {
  if (daysLate > 0) return `${daysLate} day${daysLate === 1 ? "" : "s"} overdue`;
  if (daysLate === 0) return "due today";
  return `due in ${-daysLate} day${daysLate === -1 ? "" : "s"}`;
}

export function AtRisk({ report, title = "At risk" }: { report: ProgressReport; title?: string }) {
  const { total, items } = report.atRisk;
  return (
    <section aria-labelledby="at-risk" className="surface border-base min-w-0 rounded-lg border">
      <div className="flex flex-wrap items-baseline justify-between gap-2 px-4 pt-4">
        <h2 id="at-risk" className="font-medium">
          {title}{" "}
          <span className="text-sm font-normal tabular-nums text-muted">({total.toLocaleString("en-US")} systems)</span>
        </h2>
        {total > items.length ? (
          <span className="text-xs text-muted">
            The {items.length} most pressing.{" "}
            <Link href="/systems?health=OVERDUE" className="underline">
              All overdue systems
            </Link>
          </span>
        ) : null}
      </div>
      {items.length === 0 ? (
        <p className="px-4 pb-4 pt-1 text-sm text-muted">
          No system is overdue or due within a week without a submission.
        </p>
      ) : (
        <div className="mt-2 relative overflow-x-auto">
          <table className="stack-table w-full text-sm sm:min-w-[36rem]">
            <caption className="sr-only">Systems overdue or at risk, most late first</caption>
            <thead>
              <tr className="border-base border-b text-left text-xs text-muted">
                <th scope="col" className="px-4 py-1.5 font-medium">
                  System
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  Milestone
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  When
                </th>
                <th scope="col" className="px-2 py-1.5 font-medium">
                  Waiting on
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.systemKey} className="border-base border-b last:border-0 align-top">
                  {/* One element per cell: on a phone each cell is a "label  value" line. */}
                  <td data-label="System" className="px-4 py-2">
                    <div>
                      <Link
                        href={`/systems/${item.systemKey}#cp-${item.milestone}`}
                        className="font-medium hover:underline"
                      >
                        {item.systemName}
                      </Link>
                      <div className="text-xs text-muted">
                        {item.team} · {tierLabel(item.tier)}
                      </div>
                    </div>
                  </td>
                  <td data-label="Milestone" className="px-2 py-2">
                    <span>{item.milestoneName}</span>
                  </td>
                  <td data-label="When" className="whitespace-nowrap px-2 py-2">
                    <div>
                      <HealthBadge health={item.health} />
                      <div className="text-xs tabular-nums text-muted">{lateness(item.daysLate)}</div>
                    </div>
                  </td>
                  <td data-label="Waiting on" className="px-2 py-2 text-xs">
                    <span>
                      <span className="text-muted">{item.waitingOn === "reviewers" ? "Reviewers: " : "Owners: "}</span>
                      {item.people.length === 0 ? (
                        <span className="text-[var(--color-health-overdue)]">nobody assigned</span>
                      ) : (
                        item.people.map((p, i) => (
                          <span key={p.email}>
                            {i ? ", " : ""}
                            <Link
                              className="hover:underline"
                              href={`/systems?${item.waitingOn === "reviewers" ? "reviewer" : "owner"}=${encodeURIComponent(p.email)}`}
                            >
                              {p.name}
                            </Link>
                          </span>
                        ))
                      )}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

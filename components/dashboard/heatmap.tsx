// Teams × milestones, each cell coloured by how much is done and linking to those systems.
import Link from "next/link";
import { ChartFrame, Legend } from "@/components/charts/chart-frame";
import type { ProgressReport } from "@/lib/domain/progress-report";

/** Five levels of one hue, more done darker; each level's text colour keeps AA contrast (globals.css). */
const LEVELS = [
  { min: 0.9, label: "90% or more" },
  { min: 0.65, label: "65–89%" },
  { min: 0.4, label: "40–64%" },
  { min: 0.15, label: "15–39%" },
  { min: 0, label: "under 15%" },
] as const;

function level(share: number): number {
  return 4 - LEVELS.findIndex((l) => share >= l.min);
}

export function Heatmap({ report }: { report: ProgressReport }) {
  const milestones = report.byMilestone;
  return (
    <ChartFrame
      id="heatmap"
      title="Teams × milestones"
      description="Share of each team's checkpoints done (approved or waived). Select a cell to see those systems."
    >
      <Legend
        items={[...LEVELS]
          .reverse()
          .map((l, i) => ({ label: `${l.label}${i === LEVELS.length - 1 ? " done" : ""}`, color: `var(--heat-${i})` }))}
      />
      {report.heatmap.length === 0 ? (
        <p className="mt-3 text-sm text-muted">No systems yet.</p>
      ) : (
        <div className="mt-3 relative overflow-x-auto">
          <table className="w-full border-separate border-spacing-0.5 text-xs">
            <caption className="sr-only">
              Percentage of checkpoints done per team and milestone; each cell links to the team&apos;s systems at that
              milestone
            </caption>
            <thead>
              <tr>
                <th scope="col" className="px-1 py-1 text-left font-medium text-muted">
                  Team
                </th>
                {milestones.map((m) => (
                  <th
                    key={m.key}
                    scope="col"
                    className="px-1 py-1 text-center font-medium tabular-nums text-muted"
                    title={m.name}
                  >
                    <abbr title={m.name} className="no-underline">
                      {m.sequence}
                    </abbr>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {report.heatmap.map((row) => (
                <tr key={row.team}>
                  <th scope="row" className="max-w-40 truncate px-1 py-0.5 text-left font-normal">
                    {row.team}
                  </th>
                  {row.cells.map((cell, i) => {
                    const done = cell.approved + cell.waived;
                    const share = cell.total === 0 ? 0 : done / cell.total;
                    const milestone = milestones[i]!;
                    const label = `${row.team}, ${milestone.name}: ${done} of ${cell.total} done (${Math.round(share * 100)}%)`;
                    return (
                      <td key={cell.milestone} className="p-0">
                        <Link
                          href={`/systems?team=${encodeURIComponent(row.team)}&milestone=${encodeURIComponent(cell.milestone)}`}
                          aria-label={label}
                          title={label}
                          className={`heat-cell heat-${level(share)}`}
                        >
                          {Math.round(share * 100)}
                        </Link>
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="mt-2 text-xs text-muted">
            Columns: {milestones.map((m) => `${m.sequence} ${m.name}`).join(" · ")}
          </p>
        </div>
      )}
    </ChartFrame>
  );
}

// The report's CSV download as rows (section, figure, value): the same figures the page shows.
import type { ProgressReport } from "@/lib/domain/progress-report";
import type { WeekChange } from "@/lib/data/progress-snapshots";

export type ProgressCsvRow = [string, string, string | number];

/** The report's figures as rows (section, figure, value) for the CSV download. */
export function progressCsvRows(report: ProgressReport, change: WeekChange): ProgressCsvRow[] {
  const rows: ProgressCsvRow[] = [
    ["program", "name", report.program.name],
    ["program", "as of", report.asOf],
    ["program", "day", report.program.day],
    ["program", "days left", report.program.daysLeft],
    ["program", "ends on", report.program.endsOn],
  ];
  for (const [key, value] of Object.entries(report.totals)) rows.push(["checkpoints", key, value]);
  for (const [key, value] of Object.entries(report.systems)) rows.push(["systems", key, value]);
  rows.push(
    ["reviews", "waiting", report.reviews.waiting],
    ["reviews", "oldest wait (days)", report.reviews.oldestWaitDays ?? ""],
  );
  rows.push(
    ["forecast", "pace per day", report.forecast.pacePerDay],
    ["forecast", "finish on", report.forecast.finishOn ?? ""],
    ["forecast", "days late", report.forecast.daysLate ?? ""],
  );
  for (const m of report.byMilestone)
    for (const key of ["approved", "waived", "submitted", "inProgress", "notStarted", "overdue", "total"] as const)
      rows.push([`milestone ${m.key}`, key, m[key]]);
  for (const t of report.byTier)
    for (const key of ["systems", "systemsDone", "approved", "waived", "overdue", "total"] as const)
      rows.push([`tier ${t.tier}`, key, t[key]]);
  for (const c of change.changes) rows.push([`change since week ${change.since?.week ?? ""}`, c.figure, c.delta]);
  for (const r of report.atRisk.items)
    rows.push(["at risk", r.systemKey, `${r.milestone} ${r.daysLate > 0 ? `${r.daysLate} days overdue` : "due soon"}`]);
  return rows;
}

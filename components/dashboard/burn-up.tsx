// The burn-up with its forecast in words and its data as a table.
import { BurnUpChart } from "@/components/charts/burn-up-chart";
import { ChartFrame, Legend } from "@/components/charts/chart-frame";
import type { ProgressReport } from "@/lib/domain/progress-report";
import { PACE_WINDOW_DAYS } from "@/lib/domain/progress";
import { formatShortDay } from "@/lib/format";

export function forecastSentence(report: ProgressReport): { text: string; late: boolean } {
  const f = report.forecast;
  if (f.finishOn === null) return { text: f.reason ?? "No forecast.", late: false };
  if (f.remaining === 0)
    return { text: `Every checkpoint is done (last on ${formatShortDay(f.finishOn)}).`, late: false };
  const pace = `${f.pacePerDay.toLocaleString("en-US")} checkpoints a day over the last ${f.windowDays} days`;
  if (f.daysLate !== null && f.daysLate > 0)
    return {
      text: `At ${pace}, the last of ${f.remaining.toLocaleString("en-US")} open checkpoints completes on ${formatShortDay(f.finishOn)} (day ${f.finishDay}): ${f.daysLate} days after the program ends on ${formatShortDay(report.program.endsOn)}.`,
      late: true,
    };
  return {
    text: `At ${pace}, the last of ${f.remaining.toLocaleString("en-US")} open checkpoints completes on ${formatShortDay(f.finishOn)} (day ${f.finishDay}), within the program.`,
    late: false,
  };
}

export function BurnUp({ report }: { report: ProgressReport }) {
  const sentence = forecastSentence(report);
  const today = report.burnUp.find((p) => p.day === report.program.day);
  const label = today
    ? `Burn-up: by day ${today.day}, ${today.done} of ${report.totals.checkpoints} checkpoints completed (${today.approved} approved, ${(today.done ?? 0) - (today.approved ?? 0)} waived) against ${today.planned} planned. ${sentence.text}`
    : `Burn-up of ${report.totals.checkpoints} checkpoints. ${sentence.text}`;
  const weekly = report.burnUp.filter((p, i) => i % 7 === 0 || i === report.burnUp.length - 1);
  return (
    <ChartFrame
      id="burn-up"
      title="Burn-up: checkpoints completed against the plan"
      description={
        <>
          <p
            className={sentence.late ? "font-medium text-[var(--color-health-overdue)]" : undefined}
            data-testid="forecast"
          >
            {sentence.late ? "⚠ " : null}
            {sentence.text}
          </p>
          <p className="mt-0.5 text-xs">
            Forecast = open checkpoints ÷ completions per day over the last {PACE_WINDOW_DAYS} days. Actuals count the
            checkpoints done now on the day they were completed.
          </p>
        </>
      }
      table={
        <table className="w-full text-right text-xs tabular-nums">
          <caption className="sr-only">Burn-up by week</caption>
          <thead>
            <tr className="text-muted">
              <th scope="col" className="py-1 text-left font-medium">
                Day
              </th>
              <th scope="col" className="py-1 font-medium">
                Planned
              </th>
              <th scope="col" className="py-1 font-medium">
                Approved
              </th>
              <th scope="col" className="py-1 font-medium">
                Approved + waived
              </th>
            </tr>
          </thead>
          <tbody>
            {weekly.map((p) => (
              <tr key={p.date} className="border-base border-t">
                <th scope="row" className="py-1 text-left font-normal">{`Day ${p.day} (${formatShortDay(p.date)})`}</th>
                <td className="py-1">{p.planned}</td>
                <td className="py-1">{p.approved ?? "—"}</td>
                <td className="py-1">{p.done ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <Legend
        items={[
          { label: "Approved", color: "var(--color-status-approved)" },
          { label: "Waived", color: "var(--color-status-waived)" },
          { label: "Planned (due by then)", color: "var(--text)", dashed: true },
          {
            label: "Forecast",
            color: sentence.late ? "var(--color-health-overdue)" : "var(--color-status-approved)",
            dashed: true,
          },
        ]}
      />
      <div className="mt-2">
        <BurnUpChart
          points={report.burnUp}
          total={report.totals.checkpoints}
          todayDay={report.program.day}
          forecast={report.forecast}
          label={label}
        />
      </div>
    </ChartFrame>
  );
}

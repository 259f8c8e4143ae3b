// The forecast in one plain sentence, coloured by how safe it is (never colour alone: the level
// is a word too), for the top of the dashboard and the report.
import { AlertOctagon, AlertTriangle, CheckCircle2 } from "lucide-react";
import type { ProgressReport } from "@/lib/domain/progress-report";
import { FORECAST_LEVEL_WORD, forecastOfReport, forecastSentence, type ForecastLevel } from "@/lib/domain/forecast";

const LEVEL: Record<ForecastLevel, { color: string; Icon: typeof CheckCircle2 }> = {
  green: { color: "var(--color-health-done)", Icon: CheckCircle2 },
  amber: { color: "var(--color-health-at-risk)", Icon: AlertTriangle },
  red: { color: "var(--color-health-overdue)", Icon: AlertOctagon },
};

export function ForecastSentence({ report }: { report: ProgressReport }) {
  const forecast = forecastOfReport(report);
  const word = FORECAST_LEVEL_WORD[forecast.level];
  const { color, Icon } = LEVEL[forecast.level];
  return (
    <section
      aria-label="Forecast"
      data-testid="forecast-sentence"
      className="surface border-base rounded-lg border px-4 py-3 text-sm print:py-1.5"
      style={{ borderLeft: `4px solid ${color}` }}
    >
      <p className="flex items-start gap-2">
        <Icon aria-hidden className="mt-0.5 size-4 shrink-0" style={{ color }} />
        <span>
          <strong>{word}.</strong> {forecastSentence(forecast)}
        </span>
      </p>
      <p className="mt-1 pl-6 text-xs text-muted tabular-nums print:hidden">
        Pace {forecast.pace.short} a day over 7 days, {forecast.pace.long} over 28;{" "}
        {forecast.neededPace === null ? "no days left" : `${forecast.neededPace} a day needed`}; best week{" "}
        {forecast.bestWeekPace} a day.{forecast.reasons.length ? ` ${forecast.reasons.join(" ")}` : ""}
      </p>
    </section>
  );
}

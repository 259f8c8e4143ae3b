// The burn-up as server-rendered SVG: checkpoints completed (approved, and waived stacked apart
// on top) against the plan from the due dates, today's mark, and the forecast to the finish.
import type { BurnUpPoint } from "@/lib/domain/progress";

const W = 820;
const H = 280;
const M = { top: 14, right: 18, bottom: 30, left: 46 };

function ticks(max: number, count: number): number[] {
  if (max <= 0) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += step) out.push(Math.round(v));
  return out;
}

export interface BurnUpForecast {
  finishDay: number | null;
  daysLate: number | null;
}

export function BurnUpChart({ points, total, todayDay, forecast, label }: { points: BurnUpPoint[]; total: number; todayDay: number; forecast: BurnUpForecast; label: string }) {
  const endDay = points.length;
  // The x axis reaches the forecast finish when it falls after the end, so lateness is visible.
  const lastDay = Math.max(endDay, forecast.finishDay ?? 0);
  const x = (day: number) => M.left + ((day - 1) / Math.max(1, lastDay - 1)) * (W - M.left - M.right);
  const yMax = Math.max(1, total);
  const y = (value: number) => H - M.bottom - (value / yMax) * (H - M.top - M.bottom);
  const actual = points.filter((p) => p.done !== null);
  const line = (values: [number, number][]) => values.map(([d, v], i) => `${i === 0 ? "M" : "L"}${x(d).toFixed(1)},${y(v).toFixed(1)}`).join("");
  const area = (top: [number, number][], bottom: [number, number][]) =>
    `${line(top)}${[...bottom].reverse().map(([d, v]) => `L${x(d).toFixed(1)},${y(v).toFixed(1)}`).join("")}Z`;
  const approvedPts = actual.map((p) => [p.day, p.approved ?? 0] as [number, number]);
  const donePts = actual.map((p) => [p.day, p.done ?? 0] as [number, number]);
  const zero = actual.map((p) => [p.day, 0] as [number, number]);
  const plannedPts = points.map((p) => [p.day, p.planned] as [number, number]);
  const last = actual[actual.length - 1];
  const late = forecast.daysLate !== null && forecast.daysLate > 0;
  const xTicks = [1, ...Array.from({ length: Math.floor(lastDay / 15) }, (_, i) => (i + 1) * 15)].filter((d) => d <= lastDay);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} className="block h-auto w-full min-w-[520px]" role="img" aria-label={label}>
      {ticks(yMax, 4).map((t) => (
        <g key={`y${t}`}>
          <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" />
          <text x={M.left - 6} y={y(t) + 4} textAnchor="end" fontSize="11" fill="var(--text-muted)" className="tabular-nums">
            {t.toLocaleString("en-US")}
          </text>
        </g>
      ))}
      {xTicks.map((d) => (
        <text key={`x${d}`} x={x(d)} y={H - M.bottom + 16} textAnchor="middle" fontSize="11" fill="var(--text-muted)">
          {`Day ${d}`}
        </text>
      ))}
      {actual.length > 0 ? (
        <>
          <path d={area(approvedPts, zero)} fill="var(--color-status-approved)" opacity="0.85">
            <title>Approved</title>
          </path>
          <path d={area(donePts, approvedPts)} fill="var(--color-status-waived)" opacity="0.85">
            <title>Waived</title>
          </path>
        </>
      ) : null}
      <path d={line(plannedPts)} fill="none" stroke="var(--text)" strokeWidth="1.5" strokeDasharray="5 4">
        <title>Planned: checkpoints due by each day</title>
      </path>
      {/* Program end */}
      <line x1={x(endDay)} x2={x(endDay)} y1={M.top} y2={H - M.bottom} stroke="var(--text-muted)" strokeWidth="1" />
      <text x={x(endDay) - 4} y={H - M.bottom - 6} textAnchor="end" fontSize="11" fill="var(--text-muted)">
        Program ends
      </text>
      {/* Today */}
      {todayDay >= 1 && todayDay <= lastDay ? (
        <>
          <line x1={x(todayDay)} x2={x(todayDay)} y1={M.top} y2={H - M.bottom} stroke="var(--color-status-submitted)" strokeWidth="1" strokeDasharray="2 2" />
          <text x={x(todayDay) + 4} y={M.top + 10} fontSize="11" fill="var(--color-status-submitted)">
            Today
          </text>
        </>
      ) : null}
      {/* Forecast: from today's total to everything done on the forecast day. */}
      {last && forecast.finishDay !== null && forecast.finishDay > last.day ? (
        <g>
          <line
            x1={x(last.day)}
            y1={y(last.done ?? 0)}
            x2={x(forecast.finishDay)}
            y2={y(total)}
            stroke={late ? "var(--color-health-overdue)" : "var(--color-status-approved)"}
            strokeWidth="2"
            strokeDasharray="1 4"
            strokeLinecap="round"
          >
            <title>{`Forecast: done on day ${forecast.finishDay}`}</title>
          </line>
          <circle cx={x(forecast.finishDay)} cy={y(total)} r="4" fill={late ? "var(--color-health-overdue)" : "var(--color-status-approved)"} />
          <text
            x={x(forecast.finishDay) - 8}
            y={y(total) + 4}
            textAnchor="end"
            fontSize="11"
            fontWeight="600"
            fill={late ? "var(--color-health-overdue)" : "var(--color-status-approved)"}
          >
            {late ? `Forecast day ${forecast.finishDay}: ${forecast.daysLate} days late` : `Forecast day ${forecast.finishDay}`}
          </text>
        </g>
      ) : null}
      <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} stroke="var(--text-muted)" />
    </svg>
  );
}

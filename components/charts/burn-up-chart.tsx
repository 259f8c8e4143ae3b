"use client";
// The burn-up as SVG: checkpoints completed (approved, and waived stacked apart on top) against
// the plan from the due dates, the target, today's mark, and the forecast to the finish. It is
// drawn at its container's width in real pixels (not a scaled picture), so its text stays at
// 11-12 px from a phone to a wide screen; labels carry a halo in the surface colour so that a
// line passing under them never makes them unreadable.
import { useEffect, useRef, useState } from "react";
import type { BurnUpPoint } from "@/lib/domain/progress";

// The first render (on the server, and in print) uses a desktop width.
const DEFAULT_WIDTH = 820;
const M = { top: 28, right: 18, bottom: 34, left: 58 };

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

const halo = { paintOrder: "stroke", stroke: "var(--surface)", strokeWidth: 3, strokeLinejoin: "round" } as const;

export function BurnUpChart({
  points,
  total,
  todayDay,
  forecast,
  label,
}: {
  points: BurnUpPoint[];
  total: number;
  todayDay: number;
  forecast: BurnUpForecast;
  label: string;
}) {
  const frame = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(DEFAULT_WIDTH);
  useEffect(() => {
    const element = frame.current;
    if (!element) return;
    const measure = () => setWidth(Math.max(280, Math.round(element.getBoundingClientRect().width)));
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    // Also once after the first paint: the observer's first report can predate the final layout.
    const first = requestAnimationFrame(measure);
    return () => {
      cancelAnimationFrame(first);
      observer.disconnect();
    };
  }, []);

  const W = width;
  const narrow = W < 560;
  const H = narrow ? 240 : 290;
  const fontSize = narrow ? 11 : 12;
  const endDay = points.length;
  // The x axis reaches the forecast finish when it falls after the end, so lateness is visible.
  const lastDay = Math.max(endDay, forecast.finishDay ?? 0);
  const x = (day: number) => M.left + ((day - 1) / Math.max(1, lastDay - 1)) * (W - M.left - M.right);
  const yMax = Math.max(1, total);
  const y = (value: number) => H - M.bottom - (value / yMax) * (H - M.top - M.bottom);
  const actual = points.filter((p) => p.done !== null);
  const line = (values: [number, number][]) =>
    values.map(([d, v], i) => `${i === 0 ? "M" : "L"}${x(d).toFixed(1)},${y(v).toFixed(1)}`).join("");
  const area = (top: [number, number][], bottom: [number, number][]) =>
    `${line(top)}${[...bottom]
      .reverse()
      .map(([d, v]) => `L${x(d).toFixed(1)},${y(v).toFixed(1)}`)
      .join("")}Z`;
  const approvedPts = actual.map((p) => [p.day, p.approved ?? 0] as [number, number]);
  const donePts = actual.map((p) => [p.day, p.done ?? 0] as [number, number]);
  const zero = actual.map((p) => [p.day, 0] as [number, number]);
  const plannedPts = points.map((p) => [p.day, p.planned] as [number, number]);
  const last = actual[actual.length - 1];
  const late = forecast.daysLate !== null && forecast.daysLate > 0;
  // Fewer day marks on a narrow chart, so that "Day 45" and "Day 60" never touch.
  const every = narrow ? 30 : 15;
  const xTicks = [1, ...Array.from({ length: Math.floor(lastDay / every) }, (_, i) => (i + 1) * every)].filter(
    (d) => d <= lastDay,
  );
  const forecastColor = late ? "var(--color-health-overdue)" : "var(--color-status-approved)";
  const showForecast = last && forecast.finishDay !== null && forecast.finishDay > last.day;
  const text = { fontSize, fill: "var(--text-muted)" };

  return (
    <div ref={frame} className="w-full">
      <svg
        width={W}
        height={H}
        viewBox={`0 0 ${W} ${H}`}
        className="block h-auto max-w-full"
        role="img"
        aria-label={label}
      >
        {ticks(yMax, narrow ? 3 : 4).map((t) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" />
            <text x={M.left - 6} y={y(t) + 4} textAnchor="end" {...text} className="tabular-nums">
              {t.toLocaleString("en-US")}
            </text>
          </g>
        ))}
        <text transform={`translate(14 ${(M.top + H - M.bottom) / 2}) rotate(-90)`} textAnchor="middle" {...text}>
          Checkpoints done
        </text>
        {xTicks.map((d) => (
          <text key={`x${d}`} x={x(d)} y={H - M.bottom + 18} textAnchor={d === 1 ? "start" : "middle"} {...text}>
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
        {/* The target: every checkpoint done. */}
        <line
          x1={M.left}
          x2={W - M.right}
          y1={y(total)}
          y2={y(total)}
          stroke="var(--text-muted)"
          strokeDasharray="1 3"
        />
        <text x={M.left + 4} y={y(total) - 6} {...text} {...halo}>
          {`Target: all ${total.toLocaleString("en-US")}`}
        </text>
        <path d={line(plannedPts)} fill="none" stroke="var(--text)" strokeWidth="1.5" strokeDasharray="5 4">
          <title>Planned: checkpoints due by each day</title>
        </path>
        {/* The plan's label sits where the plan is a third of the way up, clear of the target and the forecast. */}
        {(() => {
          const at = plannedPts.find(([, v]) => v >= total / 3) ?? plannedPts[Math.floor(plannedPts.length / 2)];
          return at ? (
            <text x={x(at[0]) + 6} y={y(at[1]) - 6} fontSize={fontSize} fill="var(--text)" {...halo}>
              Plan
            </text>
          ) : null;
        })()}
        {/* Program end */}
        <line x1={x(endDay)} x2={x(endDay)} y1={M.top} y2={H - M.bottom} stroke="var(--text-muted)" strokeWidth="1" />
        <text x={x(endDay) - 4} y={H - M.bottom - 6} textAnchor="end" {...text} {...halo}>
          Program ends
        </text>
        {/* Today */}
        {todayDay >= 1 && todayDay <= lastDay ? (
          <>
            <line
              x1={x(todayDay)}
              x2={x(todayDay)}
              y1={M.top}
              y2={H - M.bottom}
              stroke="var(--color-status-submitted)"
              strokeWidth="1"
              strokeDasharray="2 2"
            />
            <text x={x(todayDay) + 4} y={M.top - 8} fontSize={fontSize} fill="var(--color-status-submitted)" {...halo}>
              Today
            </text>
          </>
        ) : null}
        {/* Forecast: from today's total to everything done on the forecast day; its label sits
            above the target line, where no line runs (the plan climbs to the target just below). */}
        {showForecast ? (
          <g>
            <line
              x1={x(last.day)}
              y1={y(last.done ?? 0)}
              x2={x(forecast.finishDay!)}
              y2={y(total)}
              stroke={forecastColor}
              strokeWidth="2"
              strokeDasharray="1 4"
              strokeLinecap="round"
            >
              <title>{`Forecast: done on day ${forecast.finishDay}`}</title>
            </line>
            <circle cx={x(forecast.finishDay!)} cy={y(total)} r="4" fill={forecastColor} />
            <text
              x={x(forecast.finishDay!) + 4}
              y={M.top - 10}
              textAnchor="end"
              fontSize={fontSize}
              fontWeight="600"
              fill={forecastColor}
              {...halo}
            >
              {late
                ? `Forecast day ${forecast.finishDay}: ${forecast.daysLate} days late`
                : `Forecast day ${forecast.finishDay}`}
            </text>
          </g>
        ) : null}
        <line x1={M.left} x2={W - M.right} y1={H - M.bottom} y2={H - M.bottom} stroke="var(--text-muted)" />
      </svg>
    </div>
  );
}

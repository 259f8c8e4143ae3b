// One horizontal stacked bar as SVG: it stretches to its container's width at any screen size
// (the viewBox is in percent), and each segment names its figure on hover.
export interface Segment {
  label: string;
  value: number;
  color: string;
}

export function StackedBar({
  segments,
  total,
  label,
  height = 14,
}: {
  segments: Segment[];
  total: number;
  label: string;
  height?: number;
}) {
  // Each segment starts where the ones before it end.
  const widths = segments.map((segment) => (total === 0 ? 0 : (segment.value / total) * 100));
  const starts = widths.map((_, i) => widths.slice(0, i).reduce((sum, w) => sum + w, 0));
  return (
    <svg
      role="img"
      aria-label={label}
      viewBox="0 0 100 10"
      preserveAspectRatio="none"
      className="block w-full rounded-sm bg-[var(--surface-muted)]"
      style={{ height }}
    >
      {segments.map((segment, i) =>
        widths[i] === 0 ? null : (
          <rect key={segment.label} x={starts[i]} y={0} width={widths[i]} height={10} fill={segment.color}>
            <title>{`${segment.label}: ${segment.value.toLocaleString("en-US")} of ${total.toLocaleString("en-US")}`}</title>
          </rect>
        ),
      )}
    </svg>
  );
}

export interface Point {
  label: string;
  value: number;
}

const W = 480;
const H = 220;
const PAD = { top: 10, right: 10, bottom: 40, left: 50 };

const tick = (n: number) =>
  n >= 1_000_000
    ? `${Math.round(n / 100_000) / 10}M`
    : n >= 1000
      ? `${Math.round(n / 100) / 10}k`
      : String(Math.round(n));

/** Roughly what fits under a bar of this many characters (11px text). */
const shorten = (label: string, chars: number) =>
  label.length > chars ? `${label.slice(0, chars - 1)}…` : label;

/** A bar chart as plain SVG, with a table of the same numbers for screen readers. */
export function BarChart({ title, points }: { title: string; points: Point[] }) {
  const max = Math.max(1, ...points.map((p) => p.value));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const band = innerW / Math.max(1, points.length);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <p className="state empty">No data for this period.</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
          <line
            x1={PAD.left}
            y1={PAD.top + innerH}
            x2={W - PAD.right}
            y2={PAD.top + innerH}
            className="axis"
          />
          <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="tick">
            {tick(max)}
          </text>
          {points.map((p, i) => {
            const h = (p.value / max) * innerH;
            const x = PAD.left + i * band + band * 0.15;
            return (
              <g key={p.label}>
                <rect x={x} y={PAD.top + innerH - h} width={band * 0.7} height={h} className="bar">
                  <title>{`${p.label}: ${p.value}`}</title>
                </rect>
                <text x={x + band * 0.35} y={H - PAD.bottom + 14} textAnchor="middle" className="tick">
                  {shorten(p.label, Math.max(3, Math.floor(band / 7)))}
                </text>
              </g>
            );
          })}
        </svg>
      )}
    </figure>
  );
}

/** A line over time as plain SVG. */
export function LineChart({ title, points }: { title: string; points: Point[] }) {
  const max = Math.max(1, ...points.map((p) => p.value));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const step = innerW / Math.max(1, points.length - 1);
  const xy = points.map(
    (p, i) => [PAD.left + i * step, PAD.top + innerH - (p.value / max) * innerH] as const,
  );
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <p className="state empty">No data for this period.</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
          <line
            x1={PAD.left}
            y1={PAD.top + innerH}
            x2={W - PAD.right}
            y2={PAD.top + innerH}
            className="axis"
          />
          <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="tick">
            {tick(max)}
          </text>
          <polyline points={xy.map(([x, y]) => `${x},${y}`).join(' ')} className="line" />
          {xy.map(([x, y], i) => (
            <circle key={points[i]!.label} cx={x} cy={y} r={3} className="dot">
              <title>{`${points[i]!.label}: ${points[i]!.value}`}</title>
            </circle>
          ))}
          <text x={PAD.left} y={H - PAD.bottom + 14} className="tick">
            {points[0]!.label}
          </text>
          <text x={W - PAD.right} y={H - PAD.bottom + 14} textAnchor="end" className="tick">
            {points[points.length - 1]!.label}
          </text>
        </svg>
      )}
    </figure>
  );
}

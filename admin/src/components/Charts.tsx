import type { ReactNode } from 'react';

export interface Point {
  label: string;
  value: number;
}

const W = 480;
const H = 220;
const PAD = { top: 10, right: 10, bottom: 40, left: 50 };
const INNER_W = W - PAD.left - PAD.right;
const INNER_H = H - PAD.top - PAD.bottom;

const tick = (n: number) =>
  n >= 1_000_000
    ? `${Math.round(n / 100_000) / 10}M`
    : n >= 1000
      ? `${Math.round(n / 100) / 10}k`
      : String(Math.round(n));

/** Roughly what fits under a bar of this many characters (11px text). */
const shorten = (label: string, chars: number) =>
  label.length > chars ? `${label.slice(0, chars - 1)}…` : label;

/** The frame both charts share: caption, empty state, axis and top tick; `plot` draws the marks. */
function Chart({
  title,
  points,
  plot,
}: {
  title: string;
  points: Point[];
  plot: (scale: (value: number) => number) => ReactNode;
}) {
  const max = Math.max(1, ...points.map((p) => p.value));
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      {points.length === 0 ? (
        <p className="state empty">No data for this period.</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
          <line
            x1={PAD.left}
            y1={PAD.top + INNER_H}
            x2={W - PAD.right}
            y2={PAD.top + INNER_H}
            className="axis"
          />
          <text x={PAD.left - 6} y={PAD.top + 4} textAnchor="end" className="tick">
            {tick(max)}
          </text>
          {plot((value) => (value / max) * INNER_H)}
        </svg>
      )}
    </figure>
  );
}

/** A bar chart as plain SVG, with a table of the same numbers for screen readers. */
export function BarChart({ title, points }: { title: string; points: Point[] }) {
  const band = INNER_W / Math.max(1, points.length);
  return (
    <Chart
      title={title}
      points={points}
      plot={(scale) =>
        points.map((p, i) => {
          const h = scale(p.value);
          const x = PAD.left + i * band + band * 0.15;
          return (
            <g key={p.label}>
              <rect x={x} y={PAD.top + INNER_H - h} width={band * 0.7} height={h} className="bar">
                <title>{`${p.label}: ${p.value}`}</title>
              </rect>
              <text x={x + band * 0.35} y={H - PAD.bottom + 14} textAnchor="middle" className="tick">
                {shorten(p.label, Math.max(3, Math.floor(band / 7)))}
              </text>
            </g>
          );
        })
      }
    />
  );
}

/** A line over time as plain SVG. */
export function LineChart({ title, points }: { title: string; points: Point[] }) {
  const step = INNER_W / Math.max(1, points.length - 1);
  return (
    <Chart
      title={title}
      points={points}
      plot={(scale) => {
        const xy = points.map((p, i) => [PAD.left + i * step, PAD.top + INNER_H - scale(p.value)] as const);
        return (
          <>
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
          </>
        );
      }}
    />
  );
}

import { niceMax, type Point } from '../logic/dashboard';

// Small SVG charts: a chart is an image with a label saying what it shows,
// and the same numbers as a table for screen readers.

function DataTable(props: { points: Point[]; caption: string; unit?: string }) {
  return (
    <table class="sr-only">
      <caption>{props.caption}</caption>
      <tbody>
        {props.points.map((p) => (
          <tr key={p.label}><th scope="row">{p.label}</th><td>{p.value}{props.unit ?? ''}</td></tr>
        ))}
      </tbody>
    </table>
  );
}

// Vertical bars over time; every `labelEvery`-th label is written.
export function Columns(props: {
  points: Point[];
  label: string;
  labelEvery?: number;
  unit?: string;
  max?: number;
  width?: number; // of the drawing; a narrow card wants a narrow one, so the text stays readable
}) {
  const width = props.width ?? 640;
  const height = 180;
  const left = 38;
  const bottom = 22;
  const topPad = 12;
  const top = niceMax(props.max ?? Math.max(0, ...props.points.map((p) => p.value)));
  const n = Math.max(1, props.points.length);
  const slot = (width - left) / n;
  const every = props.labelEvery ?? 1;
  const y = (v: number) => topPad + (height - bottom - topPad) * (1 - v / top);
  return (
    <div class="chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.label}>
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line x1={left} x2={width} y1={y(top * f)} y2={y(top * f)} class="grid-line" />
            <text x={left - 4} y={y(top * f) + 4} class="axis" text-anchor="end">{Number.isInteger(top * f) ? top * f : (top * f).toFixed(1)}{props.unit ?? ''}</text>
          </g>
        ))}
        {props.points.map((p, i) => (
          <g key={p.label}>
            <rect x={left + i * slot + slot * 0.15} width={slot * 0.7} y={y(p.value)} height={Math.max(0, height - bottom - y(p.value))} class="bar">
              <title>{`${p.label}: ${p.value}${props.unit ?? ''}`}</title>
            </rect>
            {i % every === 0 && (
              <text x={left + i * slot + slot / 2} y={height - 6} class="axis" text-anchor="middle">{p.label}</text>
            )}
          </g>
        ))}
      </svg>
      <DataTable points={props.points} caption={props.label} unit={props.unit} />
    </div>
  );
}

// Horizontal bars with their labels and values: for comparing things.
export function Bars(props: { points: Point[]; label: string; max?: number }) {
  const top = Math.max(1, props.max ?? Math.max(0, ...props.points.map((p) => p.value)));
  return (
    <div class="hbars">
      {props.points.map((p) => (
        <div class="hbar" key={p.label} aria-hidden="true">
          <span class="hbar-label">{p.label}</span>
          <svg viewBox="0 0 100 10" preserveAspectRatio="none" class="hbar-track">
            <rect x="0" y="0" width={(p.value * 100) / top} height="10" class="bar" />
          </svg>
          <span class="hbar-value">{p.value}</span>
        </div>
      ))}
      <DataTable points={props.points} caption={props.label} />
    </div>
  );
}

/**
 * A small bar chart as server-rendered SVG (no chart library, no script, no inline style: the CSP
 * forbids both, so colours come from classes in style.css). Accessible: the SVG has a <title> and a
 * <desc> with the totals, and the same numbers follow in a table for screen readers and copy-paste.
 */
import { attr } from "./escape";

export interface ChartSeries {
  /** Shown in the legend, the description and the table heading. */
  name: string;
  /** The CSS class that colours its bars (`chart-pulled`, ...). */
  cls: string;
  /** One value per label. */
  values: readonly number[];
}

export interface BarChartProps {
  /** Unique on the page: the SVG's title and desc are referenced by id. */
  id: string;
  title: string;
  /** A sentence placed before the totals in the description. */
  summary: string;
  /** One label per bucket (e.g. `09:00`). */
  labels: readonly string[];
  series: readonly ChartSeries[];
  /** Every how many buckets the x axis shows its label. */
  labelEvery?: number;
}

const WIDTH = 480;
const HEIGHT = 140;
const PAD = { left: 30, right: 4, top: 8, bottom: 18 } as const;

const round = (n: number): string => String(Math.round(n * 10) / 10);
export const sumOf = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

/** Geometry of every bar: x, y, width and height in viewBox units, tallest value at the top. */
export function barGeometry(labels: number, seriesCount: number, max: number, value: number, bucket: number, series: number) {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const groupW = plotW / Math.max(1, labels);
  const barW = (groupW * 0.8) / Math.max(1, seriesCount);
  const h = max > 0 ? (value / max) * plotH : 0;
  return { x: PAD.left + bucket * groupW + groupW * 0.1 + series * barW, y: PAD.top + plotH - h, width: barW, height: h };
}

export function BarChart({ id, title, summary, labels, series, labelEvery = 6 }: BarChartProps): JSX.Element {
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const totals = series.map((s) => `${s.name} ${sumOf(s.values)}`).join(", ");
  const baseY = HEIGHT - PAD.bottom;
  return (
    <figure class="chart">
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={attr(`${id}-title ${id}-desc`)}
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={attr(`${id}-title`)} safe>
          {title}
        </title>
        <desc id={attr(`${id}-desc`)} safe>
          {`${summary} Totals: ${totals}. Highest hourly value: ${max}.`}
        </desc>
        <line class="chart-axis" x1={String(PAD.left)} y1={String(baseY)} x2={String(WIDTH - PAD.right)} y2={String(baseY)} />
        <text class="chart-tick" x={String(PAD.left - 4)} y={String(PAD.top + 8)} text-anchor="end">
          {max}
        </text>
        <text class="chart-tick" x={String(PAD.left - 4)} y={String(baseY)} text-anchor="end">
          0
        </text>
        {labels.map((label, b) => (
          <>
            {series.map((s, i) => {
              const g = barGeometry(labels.length, series.length, max, s.values[b] ?? 0, b, i);
              return g.height > 0 ? (
                <rect class={attr(s.cls)} x={round(g.x)} y={round(g.y)} width={round(g.width)} height={round(g.height)}>
                  <title safe>{`${label} ${s.name} ${s.values[b] ?? 0}`}</title>
                </rect>
              ) : "";
            })}
            {b % labelEvery === 0 ? (
              <text class="chart-tick" x={round(barGeometry(labels.length, 1, 1, 0, b, 0).x)} y={String(HEIGHT - 4)} safe>
                {label}
              </text>
            ) : ""}
          </>
        ))}
      </svg>
      <figcaption class="chart-legend">
        {series.map((s) => (
          <span>
            <span class={`swatch ${attr(s.cls)}`} aria-hidden="true"></span>
            <span safe>{`${s.name} ${sumOf(s.values)}`}</span>
          </span>
        ))}
      </figcaption>
      <ChartTable title={title} labels={labels} series={series} />
    </figure>
  );
}

/** The chart's numbers as a table, folded away for sighted users, read in full by screen readers. */
function ChartTable({ title, labels, series }: Pick<BarChartProps, "title" | "labels" | "series">): JSX.Element {
  return (
    <details class="chart-data">
      <summary safe>{`${title}: the numbers`}</summary>
      <table class="data">
        <thead>
          <tr>
            <th scope="col">Hour</th>
            {series.map((s) => (
              <th scope="col" safe>
                {s.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {labels.map((label, b) => (
            <tr>
              <th scope="row" safe>
                {label}
              </th>
              {series.map((s) => (
                <td>{s.values[b] ?? 0}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

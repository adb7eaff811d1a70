/**
 * Counters, gauges and histograms, rendered in the Prometheus text exposition format 0.0.4
 * (https://prometheus.io/docs/instrumenting/exposition_formats/). Pure: the web endpoint feeds it.
 */

export type Labels = Record<string, string>;
type MetricType = "counter" | "gauge" | "histogram";

/** Label values may hold anything a client name or error may hold; the format escapes three characters. */
export const escapeLabelValue = (v: string): string => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
/** HELP text escapes backslash and newline only. */
const escapeHelp = (v: string): string => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  return pairs.length === 0 ? "" : `{${pairs.join(",")}}`;
}

/** Go's strconv style: integers plain, +Inf and NaN spelled the way Prometheus reads them. */
function numberText(n: number): string {
  if (Number.isNaN(n)) return "NaN";
  if (n === Infinity) return "+Inf";
  if (n === -Infinity) return "-Inf";
  return String(n);
}

/** A key for a label set that keeps label order stable (the caller always passes the same names). */
const keyOf = (labels: Labels): string => JSON.stringify(Object.entries(labels));

interface Family {
  name: string;
  help: string;
  type: MetricType;
}

export class Counter implements Family {
  readonly type = "counter";
  private values = new Map<string, { labels: Labels; value: number }>();
  constructor(readonly name: string, readonly help: string) {}

  inc(labels: Labels, by = 1): void {
    if (by < 0) throw new RangeError(`counter ${this.name} cannot go down`);
    const k = keyOf(labels);
    const v = this.values.get(k);
    if (v) v.value += by;
    else this.values.set(k, { labels, value: by });
  }

  lines(): string[] {
    return [...this.values.values()].map((v) => `${this.name}${labelText(v.labels)} ${numberText(v.value)}`);
  }
}

/** A gauge whose samples are set all at once when the page is rendered. */
export class Gauge implements Family {
  readonly type = "gauge";
  private samples: Array<{ labels: Labels; value: number }> = [];
  constructor(readonly name: string, readonly help: string) {}

  set(labels: Labels, value: number): void {
    this.samples.push({ labels, value });
  }

  lines(): string[] {
    return this.samples.map((s) => `${this.name}${labelText(s.labels)} ${numberText(s.value)}`);
  }
}

export class Histogram implements Family {
  readonly type = "histogram";
  private series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  /** Upper bounds, ascending; +Inf is implied. */
  constructor(readonly name: string, readonly help: string, readonly buckets: readonly number[]) {}

  observe(labels: Labels, value: number): void {
    const k = keyOf(labels);
    let s = this.series.get(k);
    if (!s) this.series.set(k, (s = { labels, counts: this.buckets.map(() => 0), sum: 0, count: 0 }));
    this.buckets.forEach((le, i) => {
      if (value <= le) s!.counts[i]!++;
    });
    s.sum += value;
    s.count++;
  }

  lines(): string[] {
    const out: string[] = [];
    for (const s of this.series.values()) {
      this.buckets.forEach((le, i) => out.push(`${this.name}_bucket${labelText({ ...s.labels, le: numberText(le) })} ${s.counts[i]}`));
      out.push(`${this.name}_bucket${labelText({ ...s.labels, le: "+Inf" })} ${s.count}`);
      out.push(`${this.name}_sum${labelText(s.labels)} ${numberText(s.sum)}`);
      out.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return out;
  }
}

/** The whole page: each family with its HELP and TYPE, then its samples; ends with a newline as the format asks. */
export function renderExposition(families: ReadonlyArray<Family & { lines(): string[] }>): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`, ...f.lines());
  }
  return `${out.join("\n")}\n`;
}

export const EXPOSITION_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, for tests: it throws on anything
 * the format does not allow (bad names, bad escapes, samples before their TYPE, a family split in
 * two, repeated series, histogram buckets that are not cumulative or miss +Inf).
 */

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help: string | null;
  samples: Sample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);

export function parsePrometheusText(text: string): Map<string, Family> {
  if (text.length > 0 && !text.endsWith("\n")) throw new Error("the exposition must end with a newline");
  const families = new Map<string, Family>();
  const seenSeries = new Set<string>();
  let current: Family | null = null;
  const lines = text.split("\n").slice(0, -1);
  lines.forEach((line, i) => {
    const where = `line ${i + 1} (${JSON.stringify(line)})`;
    if (line.startsWith("#")) {
      const m = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
      if (!m) return; // a plain comment
      const [, kind, name, rest] = m as unknown as [string, "HELP" | "TYPE", string, string];
      if (!METRIC_NAME.test(name)) throw new Error(`${where}: bad metric name`);
      let f = families.get(name);
      if (f && f !== current) throw new Error(`${where}: family ${name} appears twice`);
      if (!f) families.set(name, (f = { name, type: "untyped", help: null, samples: [] }));
      if (f.samples.length > 0) throw new Error(`${where}: ${kind} after samples of ${name}`);
      current = f;
      if (kind === "HELP") {
        if (f.help !== null) throw new Error(`${where}: second HELP`);
        f.help = unescape(rest, false, where);
      } else {
        if (!TYPES.has(rest)) throw new Error(`${where}: unknown type ${rest}`);
        f.type = rest as Family["type"];
      }
      return;
    }
    if (line.trim() === "") throw new Error(`${where}: empty line`);
    const sample = parseSample(line, where);
    const family = familyOf(sample.name, families);
    if (!family || family !== current) throw new Error(`${where}: sample of ${sample.name} outside its family's block (or no TYPE)`);
    const series = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seenSeries.has(series)) throw new Error(`${where}: repeated series`);
    seenSeries.add(series);
    family.samples.push(sample);
  });
  for (const f of families.values()) if (f.type === "histogram") checkHistogram(f);
  return families;
}

function familyOf(sampleName: string, families: Map<string, Family>): Family | undefined {
  const direct = families.get(sampleName);
  if (direct) return direct;
  const m = /^(.*)_(bucket|sum|count)$/.exec(sampleName);
  const f = m ? families.get(m[1]!) : undefined;
  return f && (f.type === "histogram" || f.type === "summary") ? f : undefined;
}

function parseSample(line: string, where: string): Sample {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
  if (!m) throw new Error(`${where}: no metric name`);
  const name = m[1]!;
  let pos = name.length;
  const labels: Record<string, string> = {};
  if (line[pos] === "{") {
    pos++;
    while (line[pos] !== "}") {
      const lm = /^([^=]*)="/.exec(line.slice(pos));
      if (!lm || !LABEL_NAME.test(lm[1]!)) throw new Error(`${where}: bad label at column ${pos + 1}`);
      pos += lm[0].length;
      let raw = "";
      while (line[pos] !== '"') {
        if (pos >= line.length) throw new Error(`${where}: unterminated label value`);
        if (line[pos] === "\\") raw += line[pos++];
        raw += line[pos++];
      }
      pos++;
      if (lm[1]! in labels) throw new Error(`${where}: label ${lm[1]} twice`);
      labels[lm[1]!] = unescape(raw, true, where);
      if (line[pos] === ",") pos++;
      else if (line[pos] !== "}") throw new Error(`${where}: expected , or } at column ${pos + 1}`);
    }
    pos++;
  }
  const rest = line.slice(pos);
  const vm = /^ (\S+)( -?\d+)?$/.exec(rest);
  if (!vm) throw new Error(`${where}: expected one space, a value and an optional timestamp`);
  return { name, labels, value: parseValue(vm[1]!, where) };
}

function parseValue(s: string, where: string): number {
  if (s === "+Inf") return Infinity;
  if (s === "-Inf") return -Infinity;
  if (s === "NaN") return NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) throw new Error(`${where}: bad value ${s}`);
  return Number(s);
}

/** Label values allow \\ \" \n; HELP allows \\ and \n. Any other backslash is an error here. */
function unescape(raw: string, quotes: boolean, where: string): string {
  return raw.replace(/\\(.)/g, (_, c: string) => {
    if (c === "\\") return "\\";
    if (c === "n") return "\n";
    if (c === '"' && quotes) return '"';
    throw new Error(`${where}: bad escape \\${c}`);
  });
}

function checkHistogram(f: Family): void {
  const groups = new Map<string, Sample[]>();
  for (const s of f.samples.filter((s) => s.name === `${f.name}_bucket`)) {
    const { le, ...rest } = s.labels;
    if (le === undefined) throw new Error(`${f.name}: bucket without le`);
    const k = JSON.stringify(Object.entries(rest).sort());
    groups.set(k, [...(groups.get(k) ?? []), s]);
  }
  for (const [k, buckets] of groups) {
    const les = buckets.map((b) => parseValue(b.labels.le!, f.name));
    if (les.at(-1) !== Infinity) throw new Error(`${f.name}${k}: last bucket is not +Inf`);
    for (let i = 1; i < buckets.length; i++) {
      if (!(les[i]! > les[i - 1]!)) throw new Error(`${f.name}${k}: le not ascending`);
      if (buckets[i]!.value < buckets[i - 1]!.value) throw new Error(`${f.name}${k}: buckets not cumulative`);
    }
    const count = f.samples.find((s) => s.name === `${f.name}_count` && JSON.stringify(Object.entries(s.labels).sort()) === k);
    if (!count || count.value !== buckets.at(-1)!.value) throw new Error(`${f.name}${k}: _count differs from the +Inf bucket`);
    if (!f.samples.some((s) => s.name === `${f.name}_sum` && JSON.stringify(Object.entries(s.labels).sort()) === k)) throw new Error(`${f.name}${k}: no _sum`);
  }
}

/** The value of the one sample with exactly these labels (throws when there is none). */
export function valueOf(families: Map<string, Family>, family: string, labels: Record<string, string>, sampleName = family): number {
  const f = families.get(family);
  if (!f) throw new Error(`no family ${family}`);
  const want = JSON.stringify(Object.entries(labels).sort());
  const s = f.samples.find((x) => x.name === sampleName && JSON.stringify(Object.entries(x.labels).sort()) === want);
  if (!s) throw new Error(`no sample ${sampleName}${want} in ${family}: ${JSON.stringify(f.samples)}`);
  return s.value;
}

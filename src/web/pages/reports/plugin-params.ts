/**
 * A report plugin's form, read from the query string: each declared parameter checked against its
 * type (DBUS_WEB_BAD_INPUT naming the field's label), the values `run` gets, and the text to refill
 * the form and the download links with. The declarations were checked when the plugin loaded.
 */
import type { ReportParameter, ReportParams } from "../../../sdk/report";
import { bad, parseDay, parsePeriod, periodOf } from "./query";

const MAX_TEXT = 500;

export interface PluginParams {
  /** What `run` gets: a period as a ReportPeriod, an empty field as null. */
  values: ReportParams;
  /** Field name → text for the form and the links (`<name>_from` / `<name>_to` for a period). */
  fields: Record<string, string>;
  /** Labels of required parameters that have no value yet: the report does not run without them. */
  missing: string[];
}

export function parsePluginParams(
  parameters: readonly ReportParameter[],
  raw: Record<string, string | undefined>,
  nowMs: number,
): PluginParams {
  const out: PluginParams = { values: {}, fields: {}, missing: [] };
  for (const p of parameters) {
    if (p.type === "period") {
      const [from, to] = [`${p.name}_from`, `${p.name}_to`];
      const days = parsePeriod({ from: raw[from], to: raw[to] }, nowMs, { from: `${p.label} (from)`, to: `${p.label} (to)` });
      out.values[p.name] = periodOf(days);
      out.fields[from] = days.from;
      out.fields[to] = days.to;
      continue;
    }
    const text = raw[p.name]?.trim() ?? "";
    const value = text === "" ? (p.default ?? null) : parseValue(p, text);
    out.values[p.name] = value;
    out.fields[p.name] = value === null ? "" : String(value);
    if (value === null && p.required) out.missing.push(p.label);
  }
  return out;
}

function parseValue(p: ReportParameter, text: string): string | number {
  switch (p.type) {
    case "date":
      return parseDay(text, p.label, null) as string;
    case "number": {
      const n = Number(text);
      if (!Number.isFinite(n)) throw bad(p.label, "must be a number such as 12 or 3.5");
      return n;
    }
    case "choice":
      if (!p.choices?.includes(text)) throw bad(p.label, `must be one of ${p.choices?.join(", ")}`);
      return text;
    default:
      if (text.length > MAX_TEXT) throw bad(p.label, `must be at most ${MAX_TEXT} characters`);
      return text;
  }
}

/** The query string that repeats a form: its fields (empty ones left out) and the client for root administrators. */
export function paramsQuery(fields: Record<string, string>, client: string | undefined): string {
  const q = new URLSearchParams();
  if (client) q.set("client", client);
  for (const [k, v] of Object.entries(fields)) if (v !== "") q.set(k, v);
  const text = q.toString();
  return text ? `?${text}` : "";
}

/**
 * The delivery report and report plugins' tables as CSV (RFC 4180: comma, CRLF, quotes doubled) that
 * is safe to open in a spreadsheet: a text cell that starts with = + - @ (or a tab or carriage return)
 * gets a leading `'`, so stored data such as an external id can never run as a formula.
 */
import type { DeliveryRow } from "../../../core/report";

export const CSV_COLUMNS = [
  "pusher", "state", "at", "idempotency_key", "passenger_id", "definition", "external_id", "source_system", "attempts", "next_attempt_at", "error",
] as const satisfies ReadonlyArray<keyof DeliveryRow>;

export function reportCsv(rows: readonly DeliveryRow[]): string {
  const lines = [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

/** A report plugin's table the same way: the labels as the header line, then one line per row. */
export function tableCsv(table: { columns: ReadonlyArray<{ label: string }>; rows: ReadonlyArray<ReadonlyArray<string | number | null>> }): string {
  const lines = [table.columns.map((c) => csvCell(c.label)).join(","), ...table.rows.map((r) => r.map(csvCell).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

export function csvCell(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  // Numbers stay numbers (-5 is not a formula); only text is defused.
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

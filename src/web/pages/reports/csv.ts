/**
 * The delivery report as CSV (RFC 4180: comma, CRLF, quotes doubled) that is safe to open in a
 * spreadsheet: a cell that starts with = + - @ (or a tab or carriage return) gets a leading `'`, so
 * stored data such as an external id can never run as a formula.
 */
import type { DeliveryRow } from "../../../core/report";

export const CSV_COLUMNS = [
  "pusher", "state", "at", "idempotency_key", "passenger_id", "definition", "external_id", "source_system", "attempts", "next_attempt_at", "error",
] as const satisfies ReadonlyArray<keyof DeliveryRow>;

export function reportCsv(rows: readonly DeliveryRow[]): string {
  const lines = [CSV_COLUMNS.join(","), ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

export function csvCell(value: string | number | null): string {
  let text = value === null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

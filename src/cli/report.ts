/** How problems print on the terminal: "where: CODE message — hint"; and the exit codes. */
import { DatabusError, reasonOf } from "../core/errors";

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

/** `where:line: CODE message — hint`; the line comes from the error's own parameters when it has one. */
export function formatProblem(e: unknown, where?: string): string {
  if (!(e instanceof DatabusError)) return `${where ? `${where}: ` : ""}${reasonOf(e)}`;
  const line = (e.params as { line?: unknown }).line;
  const prefix = where ? `${where}${typeof line === "number" ? `:${line}` : ""}: ` : "";
  return `${prefix}${e.code} ${e.message} — ${e.hint}`;
}

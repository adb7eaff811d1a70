/** How problems print on the terminal: "where: CODE message — hint"; and the exit codes. */
import { DatabusError, reasonOf } from "../core/errors";

export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

export function formatProblem(e: unknown, where?: string): string {
  const prefix = where ? `${where}: ` : "";
  if (e instanceof DatabusError) return `${prefix}${e.code} ${e.message} — ${e.hint}`;
  return `${prefix}${reasonOf(e)}`;
}

/**
 * Which report plugins a client sees: one in `plugins/<client id>/` belongs to that client only; one
 * anywhere else (`shared/`, `examples/`, the top level) to every client. Also the one lookup by name,
 * so a URL never reaches a plugin the client may not run.
 */
import { DatabusError } from "../../../core/errors";
import { isDriverName } from "../../../core/ids";
import type { ReportPlugin } from "../../deps";

/** The plugins `client` may run, by name. `clients` is every client id (to tell a client's folder from a shared one). */
export function reportsFor(all: readonly ReportPlugin[], client: string, clients: readonly string[]): ReportPlugin[] {
  const others = new Set(clients.filter((c) => c !== client));
  return all.filter((p) => {
    const slash = p.name.indexOf("/");
    return slash < 0 || !others.has(p.name.slice(0, slash));
  });
}

/** The plugin called `name` that `client` may run, or DBUS_WEB_NOT_FOUND for `path` (never saying whether it exists elsewhere). */
export function findReport(available: readonly ReportPlugin[], name: string, path: string): ReportPlugin {
  const found = isDriverName(name) ? available.find((p) => p.name === name) : undefined;
  if (!found) throw new DatabusError("DBUS_WEB_NOT_FOUND", { path });
  return found;
}

/** `/reports/plugins/acme/late_invoices`, plus `.csv` / `.json` for the downloads. */
export const pluginReportHref = (name: string, format?: "csv" | "json"): string => `/reports/plugins/${name}${format ? `.${format}` : ""}`;

export interface ReportListing {
  name: string;
  title: string;
  description: string;
}

/** Title and description of each plugin for the Reports page; a constructor that throws now shows the bare name. */
export function describeReports(available: readonly ReportPlugin[]): ReportListing[] {
  return available.map(({ name, cls }) => {
    try {
      const r = new cls();
      return { name, title: r.title, description: r.description };
    } catch {
      // It passed this check at load; its page will show the error box when opened.
      return { name, title: name, description: "" };
    }
  });
}

/**
 * Name → loaded plugin class, or broken with its reason. Built-ins live under `databus/`.
 * The dispatcher asks `resolve` for each driver of a definition; errors are catalogue errors.
 */
import type { DriverKind } from "../core/client";
import { DatabusError } from "../core/errors";
import { Database } from "../sdk/database";
import { Passenger } from "../sdk/passenger";
import { Processor } from "../sdk/processor";
import { Puller } from "../sdk/puller";
import { Pusher } from "../sdk/pusher";
import { Report } from "../sdk/report";
import { ReportQuery } from "../sdk/report-query";

/** `report` plugins are not drivers: they add a page to the console's Reports (sdk/report.ts). */
export type PluginKind = DriverKind | "passenger" | "database" | "report";

export interface LoadedPlugin {
  name: string;
  kind: PluginKind;
  /** Absolute path of the plugin file; null for built-ins. */
  file: string | null;
  // biome-ignore lint: plugin classes have any constructor shape
  cls: new (...args: any[]) => unknown;
}

export interface BrokenPlugin {
  name: string;
  file: string;
  error: DatabusError;
}

export interface ReportPlugin {
  name: string;
  cls: new () => Report;
}

export type PluginRecord = ({ status: "loaded" } & LoadedPlugin) | ({ status: "broken" } & BrokenPlugin);

/** Which base class a class extends, or undefined. Uses instanceof on prototypes (same SDK copy). */
export function kindOfClass(cls: unknown): PluginKind | undefined {
  if (typeof cls !== "function") return undefined;
  const proto = (cls as { prototype?: unknown }).prototype;
  if (proto instanceof Puller) return "puller";
  if (proto instanceof Processor) return "processor";
  if (proto instanceof Pusher) return "pusher";
  if (cls === Passenger || proto instanceof Passenger) return "passenger";
  if (proto instanceof Database) return "database";
  if (proto instanceof Report) return "report";
  return undefined;
}

export interface ResolveContext {
  client: string;
  definition: string;
}

export class PluginRegistry {
  private records = new Map<string, PluginRecord>();
  private changes = 0;

  /** Grows with every change, so callers can tell that what they resolved earlier may be stale. */
  get version(): number {
    return this.changes;
  }

  set(record: PluginRecord): void {
    this.records.set(record.name, record);
    this.changes++;
  }

  delete(name: string): void {
    this.records.delete(name);
    this.changes++;
  }

  get(name: string): PluginRecord | undefined {
    return this.records.get(name);
  }

  /** Every plugin, built-ins first, then by name. */
  list(): PluginRecord[] {
    return [...this.records.values()].sort(
      (a, b) => Number(b.name.startsWith("databus/")) - Number(a.name.startsWith("databus/")) || a.name.localeCompare(b.name),
    );
  }

  broken(): BrokenPlugin[] {
    return this.list().filter((r): r is { status: "broken" } & BrokenPlugin => r.status === "broken");
  }

  /** The loaded report plugins, by name; the console lists and runs them (a new instance per run). */
  reports(): ReportPlugin[] {
    return this.list().flatMap((r) => (r.status === "loaded" && r.kind === "report" ? [{ name: r.name, cls: r.cls as ReportPlugin["cls"] }] : []));
  }

  /**
   * The loaded plugin of that kind, or a catalogue error that names client and definition:
   * DBUS_CFG_UNKNOWN_DRIVER, DBUS_CFG_BROKEN_DRIVER or DBUS_CFG_WRONG_KIND.
   */
  resolve(name: string, kind: PluginKind, where: ResolveContext): LoadedPlugin {
    const r = this.records.get(name);
    if (!r) throw new DatabusError("DBUS_CFG_UNKNOWN_DRIVER", { ...where, kind, name });
    if (r.status === "broken") throw new DatabusError("DBUS_CFG_BROKEN_DRIVER", { ...where, kind, name, reason: r.error.message });
    if (r.kind !== kind) throw new DatabusError("DBUS_CFG_WRONG_KIND", { ...where, kind, name, actual: r.kind });
    return r;
  }
}

/**
 * What the console needs to list and run report plugins (web/deps.ts `ReportPlugins`), read live from
 * the registry so reloaded plugins show at once. The CLI hands it to the web app.
 */
export function reportPlugins(registry: PluginRegistry) {
  return {
    list: (): ReportPlugin[] => registry.reports(),
    query: (db: Pick<Database, "listEntries">, client: string): ReportQuery => new ReportQuery(db, client),
  };
}

/**
 * Customizing's checks: a config text is parsed exactly as the dispatcher will parse it (errors name
 * the field path and line), and drivers it names that are not loaded become warnings. Names in URLs
 * (external files, backups) are validated here before they reach storage.
 */
import { driversOf, parseClientConfig } from "../../../core/client";
import { DatabusError, isDatabusError } from "../../../core/errors";
import { attachmentNameProblem } from "../../../core/passenger";
import type { PluginInfo } from "../../../dispatcher/api";

export interface ConfigCheck {
  /** Why the text cannot be saved (DBUS_CFG_INVALID_JSON / DBUS_CFG_INVALID_FIELD), if it cannot. */
  error?: DatabusError;
  /** Drivers the text names that are not loaded or failed to load: saved anyway, but said. */
  warnings: DatabusError[];
}

export function checkConfigText(client: string, text: string, plugins: readonly PluginInfo[]): ConfigCheck {
  let config;
  try {
    config = parseClientConfig(client, text);
  } catch (e) {
    if (isDatabusError(e) && e.code.startsWith("DBUS_CFG_")) return { error: e, warnings: [] };
    throw e;
  }
  const byName = new Map(plugins.map((p) => [p.name, p]));
  const warnings: DatabusError[] = [];
  for (const d of config.passengers)
    for (const { kind, ref } of driversOf(d)) {
      const plugin = byName.get(ref.name);
      const where = { client, definition: d.name, kind, name: ref.name };
      if (!plugin) warnings.push(new DatabusError("DBUS_CFG_UNKNOWN_DRIVER", where));
      else if (plugin.error) warnings.push(new DatabusError("DBUS_CFG_BROKEN_DRIVER", { ...where, reason: plugin.error }));
    }
  return { warnings };
}

/** An external config file's name from a URL or form, or DBUS_WEB_BAD_INPUT. */
export function parseFileName(raw: string): string {
  const name = raw.trim();
  const problem = attachmentNameProblem(name);
  if (problem) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "file name", problem: `the file ${problem}` });
  if (name === "config.json") throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "file name", problem: "config.json is edited above, not as an external file" });
  return name;
}

const BACKUP_ID = /^[0-9A-Za-z][0-9A-Za-z:._~-]{0,63}$/;

/** A backup id from a URL, or DBUS_CFG_BACKUP_NOT_FOUND (an id that cannot exist names no backup). */
export function parseBackupId(client: string, raw: string): string {
  if (!BACKUP_ID.test(raw)) throw new DatabusError("DBUS_CFG_BACKUP_NOT_FOUND", { client, backup: raw.slice(0, 64) });
  return raw;
}

/** Texts over this size are refused: configs are hand-written, and the form must stay responsive. */
export const MAX_TEXT = 1_000_000;

export function formText(body: unknown, name: string): string {
  const v = body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
  const text = typeof v === "string" ? v : "";
  if (text.length > MAX_TEXT) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: name, problem: `is longer than ${MAX_TEXT} characters` });
  return text;
}

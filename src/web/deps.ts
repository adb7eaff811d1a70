/** What the web console is built from: the caller's dependencies plus the services it owns. */
import type { Clock } from "../core/clock";
import type { DispatcherApi } from "../dispatcher/api";
import type { Report } from "../sdk/report";
import type { ReportQuery } from "../sdk/report-query";
import type { Settings } from "../settings/schema";
import type { Database } from "../storage/database";
import type { SessionStore } from "./auth/session";
import type { LoginThrottle } from "./auth/throttle";

export interface AppDeps {
  db: Database;
  dispatcher: DispatcherApi;
  /**
   * `home` is shown on the About page as the data folder; `metricsToken` guards /metrics. Optional so
   * small tests need not set them.
   */
  settings: Pick<Settings, "alias"> & Partial<Pick<Settings, "home" | "metricsToken">>;
  /** The program version, shown in the footer and used to bust asset caches. */
  version: string;
  clock?: Clock;
  /**
   * Ends the program gracefully (the System page's Shutdown). The CLI passes one that does what
   * SIGTERM does; without it the console cannot shut the program down.
   */
  requestShutdown?: () => void;
  /**
   * Creates (not opens) another engine for the Export page's "copy this client to another engine".
   * The CLI passes one; without it the copy form is not offered.
   */
  openCopyTarget?: OpenCopyTarget;
  /** The Report plugins and how to run them. The CLI passes the plugin registry's; without it the Reports page lists none. */
  reports?: ReportPlugins;
}

/** A loaded Report plugin: its name (`acme/late_invoices`) and its class (a new instance per run). */
export interface ReportPlugin {
  name: string;
  cls: new () => Report;
}

/**
 * What the console needs to run report plugins, handed in because web/ may not import the SDK's
 * classes or the plugin registry (STYLE "Who may import what").
 */
export interface ReportPlugins {
  /** The loaded Report plugins right now; they change when plugin files are reloaded. */
  list(): ReportPlugin[];
  /** The SDK's read-only ReportQuery for one client over this console's store. */
  query(db: Database, client: string): ReportQuery;
}

/** A target engine, `sqlite` (a file) or `mssql` (a connection string), and a label for it without any password. */
export type OpenCopyTarget = (engine: "sqlite" | "mssql", where: string) => { db: Database; label: string };

/** What every page shows whoever is logged in. */
export interface Site {
  alias: string;
  version: string;
  /** The Databus home (data/ and plugins/), or null when not known. */
  home: string | null;
}

/** The app's shared services; one per createApp call, so tests never share sessions or throttles. */
export interface Web {
  db: Database;
  dispatcher: DispatcherApi;
  clock: Clock;
  site: Site;
  sessions: SessionStore;
  throttle: LoginThrottle;
  requestShutdown: (() => void) | null;
  openCopyTarget: OpenCopyTarget | null;
  reports: ReportPlugins | null;
}

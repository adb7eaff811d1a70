/** What the web console is built from: the caller's dependencies plus the services it owns. */
import type { Clock } from "../core/clock";
import type { DispatcherApi } from "../dispatcher/api";
import type { Settings } from "../settings/schema";
import type { Database } from "../storage/database";
import type { SessionStore } from "./auth/session";
import type { LoginThrottle } from "./auth/throttle";

export interface AppDeps {
  db: Database;
  dispatcher: DispatcherApi;
  settings: Pick<Settings, "alias">;
  /** The program version, shown in the footer and used to bust asset caches. */
  version: string;
  clock?: Clock;
}

/** What every page shows whoever is logged in. */
export interface Site {
  alias: string;
  version: string;
}

/** The app's shared services; one per createApp call, so tests never share sessions or throttles. */
export interface Web {
  db: Database;
  dispatcher: DispatcherApi;
  clock: Clock;
  site: Site;
  sessions: SessionStore;
  throttle: LoginThrottle;
}

/** Client configs as the dispatcher sees them: parsed, with every driver resolved or the reason why not. */
import { parseClientConfig, type ClientConfig, type DriverRef, type PassengerDefinition } from "../core/client";
import { DatabusError } from "../core/errors";
import type { PluginRegistry } from "../plugins/registry";
import type { Passenger } from "../sdk/passenger";
import type { Processor } from "../sdk/processor";
import type { Puller } from "../sdk/puller";
import type { Pusher } from "../sdk/pusher";
import type { Database } from "../storage/database";

export interface ResolvedDriver<T> {
  ref: DriverRef;
  create: () => T;
}

export interface ResolvedDefinition {
  definition: PassengerDefinition;
  passengerClass: typeof Passenger;
  pullers: ResolvedDriver<Puller>[];
  processors: ResolvedDriver<Processor>[];
  pushers: ResolvedDriver<Pusher>[];
}

export type ClientLoad =
  | { client: string; ok: true; config: ClientConfig; definitions: Array<ResolvedDefinition | { name: string; error: DatabusError }> }
  | { client: string; ok: false; error: DatabusError };

/** Reads and parses one client's config and resolves its definitions against the registry. */
export function loadClient(db: Database, registry: PluginRegistry, client: string): Promise<ClientLoad> {
  return new ClientLoader(db, registry).load(client);
}

/**
 * loadClient with a memory, for the dispatcher's every tick: the same config text and the same
 * plugins give the same answer without parsing again (parsing every config each tick was most of
 * an idle instance's CPU with a thousand clients). The text is still read each time, so an edit
 * takes effect on the next tick.
 */
export class ClientLoader {
  private cache = new Map<string, { text: string; version: number; load: ClientLoad }>();

  constructor(
    private db: Database,
    private registry: PluginRegistry,
  ) {}

  async load(client: string): Promise<ClientLoad> {
    let text: string;
    try {
      text = await this.db.readConfig(client);
    } catch (e) {
      this.cache.delete(client);
      if (e instanceof DatabusError) return { client, ok: false, error: e };
      throw e;
    }
    const hit = this.cache.get(client);
    if (hit && hit.text === text && hit.version === this.registry.version) return hit.load;
    const load = loadFromText(this.registry, client, text);
    this.cache.set(client, { text, version: this.registry.version, load });
    return load;
  }
}

function loadFromText(registry: PluginRegistry, client: string, text: string): ClientLoad {
  let config: ClientConfig;
  try {
    config = parseClientConfig(client, text, `data/clients/${client}/config.json`);
  } catch (e) {
    if (e instanceof DatabusError) return { client, ok: false, error: e };
    throw e;
  }
  const definitions = config.passengers.map((d) => {
    try {
      return resolveDefinition(registry, client, d);
    } catch (e) {
      if (e instanceof DatabusError) return { name: d.name, error: e };
      throw e;
    }
  });
  return { client, ok: true, config, definitions };
}

export function isResolved(d: ResolvedDefinition | { name: string; error: DatabusError }): d is ResolvedDefinition {
  return "definition" in d;
}

function resolveDefinition(registry: PluginRegistry, client: string, d: PassengerDefinition): ResolvedDefinition {
  const where = { client, definition: d.name };
  const driver = <T>(kind: "puller" | "processor" | "pusher", ref: DriverRef): ResolvedDriver<T> => {
    const plugin = registry.resolve(ref.name, kind, where);
    return { ref, create: () => new plugin.cls() as T };
  };
  return {
    definition: d,
    passengerClass: registry.resolve(d.name, "passenger", where).cls as typeof Passenger,
    pullers: d.pullers.map((r) => driver<Puller>("puller", r)),
    processors: d.processors.map((r) => driver<Processor>("processor", r)),
    pushers: d.pushers.map((r) => driver<Pusher>("pusher", r)),
  };
}

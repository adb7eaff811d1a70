/**
 * Plugin key-value state: one JSON object per client and driver, `state/<driver>.json`
 * ({ key: value }). Each set commits the whole file through the journal, serialised per driver.
 */
import type { Clients } from "./clients";
import type { Journal } from "./journal";
import type { Layout } from "./layout";
import type { Serial } from "./serial";

type StateFile = Record<string, unknown>;

export class PluginState {
  constructor(
    private layout: Layout,
    private clients: Clients,
    private serial: Serial,
    private journal: Journal,
  ) {}

  async get(client: string, driver: string, key: string): Promise<unknown> {
    this.clients.assertKnown(client);
    const state = await this.journal.readJson<StateFile>(this.layout.stateFile(client, driver));
    return state && Object.hasOwn(state, key) ? state[key] : undefined;
  }

  async set(client: string, driver: string, key: string, value: unknown): Promise<void> {
    this.clients.assertKnown(client);
    const file = this.layout.stateFile(client, driver);
    await this.serial.run(`state:${client}/${driver}`, async () => {
      const state = (await this.journal.readJson<StateFile>(file)) ?? {};
      if (value === undefined) {
        if (!Object.hasOwn(state, key)) return;
        delete state[key];
      } else {
        // Stored as JSON: what comes back is what JSON.stringify keeps (no functions, Dates as text).
        // defineProperty, not assignment: a key such as "__proto__" must stay an ordinary key.
        Object.defineProperty(state, key, { value: JSON.parse(JSON.stringify(value)), enumerable: true, writable: true, configurable: true });
      }
      await this.journal.commit([{ op: "write", path: file, text: `${JSON.stringify(state, null, 2)}\n` }]);
    });
  }
}

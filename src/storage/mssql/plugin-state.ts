/** Plugin key-value state on SQL Server: values kept as JSON text, one row per (client, driver, key). */
import * as q from "./queries/plugin-state";
import type { Session } from "./session";

export class PluginState {
  constructor(private session: Session) {}

  async get(client: string, driver: string, key: string): Promise<unknown> {
    await this.session.assertKnown(client);
    const row = (await this.session.run((db) => q.selectState(db, client, driver, key)))[0];
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  /** `undefined` deletes the key. */
  async set(client: string, driver: string, key: string, value: unknown): Promise<void> {
    await this.session.assertKnown(client);
    const text = value === undefined ? undefined : JSON.stringify(value);
    await this.session.run(async (db) => {
      if (text === undefined) await q.deleteState(db, client, driver, key);
      else await db.execute(q.upsertState(db, client, driver, key, text));
    });
  }
}

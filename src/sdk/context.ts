/** What a driver receives on each call: its log, client, options, files, state, abort signal. */

/** Writes to the log of the current run; every line gets its own timestamp. */
export interface PluginLog {
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** The client's external config files (`data/clients/<id>/files/`), read-only for drivers. */
export interface ClientFiles {
  /** Text of a file; throws when it does not exist. */
  read(name: string): Promise<string>;
  /** Parsed JSON of a file. */
  readJson<T = unknown>(name: string): Promise<T>;
  /** Names of the files there. */
  list(): Promise<string[]>;
}

/** A small persistent key-value store per client and driver: cursors, last-seen ids. */
export interface PluginState {
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Durable before it resolves. */
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

export interface StepContext {
  /** The client (tenant) id. */
  readonly client: string;
  /** The passenger definition (= passenger type) this run is for. */
  readonly definition: string;
  /** This driver's name, e.g. `acme/invoice_puller`. */
  readonly driver: string;
  /** The options the client config gives this driver (`{"name": ..., "options": {...}}`), or `{}`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** The folder of the Databus home (holds data/ and plugins/); drivers may keep files under it. */
  readonly home: string;
  readonly log: PluginLog;
  readonly files: ClientFiles;
  readonly state: PluginState;
  /** Aborted when the step times out or Databus shuts down; pass it to fetch() and friends. */
  readonly signal: AbortSignal;
}

export type PullContext = StepContext;

export interface ProcessContext extends StepContext {
  /** `<passenger id>:<processor name>`, stable across retries. */
  readonly idempotencyKey: string;
}

/** The context of `pushBatch`: each item carries its own idempotency key. */
export type PushBatchContext = StepContext;

export interface PushContext extends StepContext {
  /** `<passenger id>:<pusher name>`, stable across retries, so targets can drop repeats. */
  readonly idempotencyKey: string;
}

/** A step context for driver tests: records log lines, keeps state in memory, never aborts. */
import type { PluginLog, ProcessContext, PullContext, PushContext } from "../../../src/sdk/index";

export interface FakeContext extends PullContext, ProcessContext, PushContext {
  lines: { level: keyof PluginLog; message: string }[];
}

export function fakeContext(overrides: Partial<Pick<FakeContext, "client" | "driver" | "home" | "options" | "idempotencyKey">> = {}): FakeContext {
  const lines: FakeContext["lines"] = [];
  const state = new Map<string, unknown>();
  const log: PluginLog = {
    info: (message) => lines.push({ level: "info", message }),
    warning: (message) => lines.push({ level: "warning", message }),
    error: (message) => lines.push({ level: "error", message }),
  };
  return {
    client: "acme",
    definition: "demo",
    driver: "databus/demo/test",
    options: {},
    home: "/nonexistent-home",
    idempotencyKey: "0190-id:databus/demo/test",
    log,
    lines,
    files: {
      read: async () => Promise.reject(new Error("no files")),
      readJson: async () => Promise.reject(new Error("no files")),
      list: async () => [],
    },
    state: {
      get: async <T>(key: string) => state.get(key) as T | undefined,
      set: async (key, value) => void state.set(key, value),
      delete: async (key) => void state.delete(key),
    },
    signal: new AbortController().signal,
    ...overrides,
  };
}

import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSettings } from "../../../src/settings/load";

describe("loadSettings", () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), "databus-settings-"))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));
  const load = (flags: Record<string, string> = {}, env: Record<string, string> = {}) => loadSettings({ flags, env, defaultHome: home });

  describe("when nothing is given", () => {
    it("uses the defaults: 127.0.0.1:8080, a 60 s tick, the json engine", () => {
      const s = load();
      expect(s).toMatchObject({ home, host: "127.0.0.1", port: 8080, tickMs: 60_000, engine: "json", mssqlUrl: null, alias: "" });
    });
  });

  describe("when databus.json, the environment and flags all set a value", () => {
    it("takes flags over the environment over databus.json over the defaults", () => {
      writeFileSync(join(home, "databus.json"), JSON.stringify({ port: 9000, alias: "TEST", tickMs: "5s" }));
      expect(load().port).toBe(9000);
      expect(load({}, { DATABUS_PORT: "9100" }).port).toBe(9100);
      expect(load({ port: "9200" }, { DATABUS_PORT: "9100" }).port).toBe(9200);
      expect(load().alias).toBe("TEST");
      expect(load({ tick: "1s" }).tickMs).toBe(1000);
    });
  });

  describe("when databus.json sets the retry policy (#4)", () => {
    it("reads the nested retry keys, and flags still win", () => {
      writeFileSync(join(home, "databus.json"), JSON.stringify({ retry: { base: "5s", max_delay: "10m", max_attempts: 4 } }));
      expect(load()).toMatchObject({ retryBaseMs: 5000, retryMaxDelayMs: 600_000, retryMaxAttempts: 4 });
      expect(load({ "retry-max-attempts": "7" }).retryMaxAttempts).toBe(7);
    });
  });

  describe("when the operations settings are given (#7)", () => {
    it("reads log_format and metrics_token from databus.json, the environment and flags; none means text and an open /metrics", () => {
      expect(load()).toMatchObject({ logFormat: "text", metricsToken: null });
      expect(load({ "log-format": "json" }).logFormat).toBe("json");
      expect(load({}, { DATABUS_LOG_FORMAT: "json", DATABUS_METRICS_TOKEN: "t0k" })).toMatchObject({ logFormat: "json", metricsToken: "t0k" });
      writeFileSync(join(home, "databus.json"), JSON.stringify({ log_format: "json", metrics_token: "from-file" }));
      expect(load()).toMatchObject({ logFormat: "json", metricsToken: "from-file" });
    });

    it("refuses a log format other than text or json, and never repeats the token in an error", () => {
      expect(() => load({ "log-format": "xml" })).toThrow(expect.objectContaining({ code: "DBUS_SET_INVALID", message: expect.stringContaining("it must be one of text, json") }));
    });
  });

  describe("when a value is bad", () => {
    it("names the setting, the value and where it came from", () => {
      expect(() => load({ port: "eighty" })).toThrow(expect.objectContaining({ code: "DBUS_SET_INVALID", params: expect.objectContaining({ name: "port", source: "--port" }) }));
      expect(() => load({}, { DATABUS_TICK: "0s" })).toThrow(expect.objectContaining({ params: expect.objectContaining({ name: "tick", source: "DATABUS_TICK" }) }));
    });

    it("rejects an unknown key in databus.json", () => {
      writeFileSync(join(home, "databus.json"), JSON.stringify({ prot: 1 }));
      expect(() => load()).toThrow(expect.objectContaining({ code: "DBUS_SET_INVALID", params: expect.objectContaining({ name: "prot" }) }));
    });

    it("says so when databus.json is not JSON", () => {
      writeFileSync(join(home, "databus.json"), "not json");
      expect(() => load()).toThrow(expect.objectContaining({ code: "DBUS_SET_INVALID", params: expect.objectContaining({ name: "databus.json" }) }));
    });
  });
});

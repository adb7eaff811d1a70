/** parseClientConfig: the original's key names, and one test per kind of mistake with code, path and line. */
import { describe, expect, it } from "bun:test";
import { DEFAULT_LOG_LIFE_SPAN, DEFAULT_QUEUE_LIFE_SPAN, driversOf, parseClientConfig } from "../../../src/core/client";
import { DatabusError, type ErrorCode } from "../../../src/core/errors";

const HASH = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";

const GOOD = `{
  "log_life_span": 14,
  "passengers": [
    {
      "name": "databus/demo/passenger_1",
      "pullers": ["databus/demo/puller_1"],
      "processors": ["databus/demo/processor_1"],
      "pushers": [
        "databus/demo/pusher_1",
        { "name": "acme/pusher-http", "options": { "url": "https://example.test/in", "retries": 2 } }
      ],
      "sync_frequency": 5,
      "queue_life_span": 3
    }
  ],
  "users": [
    { "username": "alice", "role": "administrator", "password_hash": "${HASH}" },
    { "username": "bob", "password": "demo" }
  ]
}`;

/** A definition written one key per line, so the tests can point at the line of a field. */
function configWith(definition: Record<string, unknown>, extra = ""): string {
  const body = Object.entries(definition)
    .map(([k, v]) => `      ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(",\n");
  return `{${extra}\n  "passengers": [\n    {\n${body}\n    }\n  ]\n}`;
}

const base = { name: "databus/demo/passenger_1", pullers: ["databus/demo/puller_1"] };

/** 1-based line of the first line containing `needle`, found independently of the parser. */
function lineOf(text: string, needle: string, nth = 1): number {
  let seen = 0;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) if (lines[i]!.includes(needle) && ++seen === nth) return i + 1;
  throw new Error(`fixture has no ${needle}`);
}

function errorOf(text: string, client = "acme"): DatabusError {
  try {
    parseClientConfig(client, text, "clients/acme/config.json");
  } catch (e) {
    if (e instanceof DatabusError) return e;
    throw e;
  }
  throw new Error("expected parseClientConfig to throw");
}

function expectField(text: string, path: string, line: number | undefined, code: ErrorCode = "DBUS_CFG_INVALID_FIELD") {
  const e = errorOf(text);
  expect(e.code).toBe(code);
  const p = e.params as { path: string; line?: number; file: string; client: string };
  expect(p.path).toBe(path);
  expect(p.line).toBe(line);
  expect(p.file).toBe("clients/acme/config.json");
  expect(p.client).toBe("acme");
  expect(e.message).toContain(`\`${path}\``);
  return e;
}

describe("parseClientConfig", () => {
  describe("when the config is good", () => {
    const config = parseClientConfig("acme", GOOD);

    it("reads the original's key names", () => {
      expect(config.client).toBe("acme");
      expect(config.log_life_span).toBe(14);
      const d = config.passengers[0]!;
      expect(d.name).toBe("databus/demo/passenger_1");
      expect(d.pullers).toEqual([{ name: "databus/demo/puller_1", options: {} }]);
      expect(d.processors).toEqual([{ name: "databus/demo/processor_1", options: {} }]);
      expect(d.queue_life_span).toBe(3);
    });

    it("reads sync_frequency as minutes", () => {
      expect(config.passengers[0]!.sync_frequency_ms).toBe(5 * 60_000);
    });

    it("reads object-form driver refs with their options", () => {
      expect(config.passengers[0]!.pushers).toEqual([
        { name: "databus/demo/pusher_1", options: {} },
        { name: "acme/pusher-http", options: { url: "https://example.test/in", retries: 2 } },
      ]);
    });

    it("reads users, defaulting the role to operator and keeping a plain password to hash", () => {
      expect(config.users).toEqual([
        { username: "alice", role: "administrator", password_hash: HASH },
        { username: "bob", role: "operator", password: "demo" },
      ]);
    });

    it("lists the drivers of a definition by kind, pullers first", () => {
      expect(driversOf(config.passengers[0]!).map((d) => `${d.kind}:${d.ref.name}`)).toEqual([
        "puller:databus/demo/puller_1",
        "processor:databus/demo/processor_1",
        "pusher:databus/demo/pusher_1",
        "pusher:acme/pusher-http",
      ]);
    });
  });

  describe("when optional keys are left out", () => {
    it("uses the defaults", () => {
      const c = parseClientConfig("acme", configWith(base));
      expect(c.log_life_span).toBe(DEFAULT_LOG_LIFE_SPAN);
      expect(c.users).toEqual([]);
      const d = c.passengers[0]!;
      expect(d.processors).toEqual([]);
      expect(d.pushers).toEqual([]);
      expect(d.queue_life_span).toBe(DEFAULT_QUEUE_LIFE_SPAN);
      expect(d.sync_frequency_ms).toBe(60_000);
    });

    it("accepts an empty object", () => {
      expect(parseClientConfig("acme", "{}")).toEqual({ client: "acme", log_life_span: 30, passengers: [], users: [], observers: [] });
    });
  });

  describe("when sync_frequency is given", () => {
    it.each([
      [5, 300_000],
      [0.5, 30_000],
      ["30s", 30_000],
      ["5m", 300_000],
      ["2h", 7_200_000],
    ])("reads %p as %d ms", (value, ms) => {
      expect(parseClientConfig("acme", configWith({ ...base, sync_frequency: value })).passengers[0]!.sync_frequency_ms).toBe(ms);
    });

    it.each([0, -1, "soon", "0.5s", true, "5 minutes"])("rejects %p on its line", (value) => {
      const text = configWith({ ...base, sync_frequency: value });
      expectField(text, "passengers[0].sync_frequency", lineOf(text, '"sync_frequency"'));
    });
  });

  describe("when the text is not JSON", () => {
    it("names the line and column of a missing comma", () => {
      const text = '{\n  "log_life_span": 14\n  "passengers": []\n}';
      const e = errorOf(text);
      expect(e.code).toBe("DBUS_CFG_INVALID_JSON");
      expect(e.params).toMatchObject({ client: "acme", file: "clients/acme/config.json", line: 3, column: 3 });
      expect(e.message).toContain("line 3, column 3");
    });

    it("names the position of a trailing comma", () => {
      const e = errorOf('{\n  "users": [],\n}');
      expect(e.code).toBe("DBUS_CFG_INVALID_JSON");
      expect(e.params).toMatchObject({ line: 3, column: 1 });
    });

    it("reports text that ends too early", () => {
      const e = errorOf('{\n  "passengers": [');
      expect(e.code).toBe("DBUS_CFG_INVALID_JSON");
      expect(e.params).toMatchObject({ line: 2, column: 18 });
    });
  });

  describe("when a field has the wrong type", () => {
    it.each([
      ["log_life_span", '{\n  "log_life_span": "14"\n}', 2],
      ["passengers", '{\n  "passengers": {}\n}', 2],
      ["passengers[0]", '{\n  "passengers": [\n    "x"\n  ]\n}', 3],
      ["users", '{\n  "users": "alice"\n}', 2],
      ["users[0]", '{\n  "users": [\n    42\n  ]\n}', 3],
    ])("rejects %s with its path and line", (path, text, line) => {
      expectField(text, path, line);
    });

    it.each([
      ["name", 42],
      ["pullers", "databus/demo/puller_1"],
      ["processors", 1],
      ["pushers", 7],
      ["queue_life_span", "3"],
    ])("rejects passengers[0].%s", (key, value) => {
      const text = configWith({ ...base, [key]: value });
      expectField(text, `passengers[0].${key}`, lineOf(text, `"${key}"`));
    });

    it("rejects a whole file that is not an object", () => {
      const e = errorOf("[]");
      expect(e.code).toBe("DBUS_CFG_INVALID_FIELD");
      expect(e.message).toContain("must be an object, not a list");
    });
  });

  describe("when a key is unknown", () => {
    it("names a top-level typo", () => {
      const text = '{\n  "log_lifespan": 3\n}';
      const e = expectField(text, "log_lifespan", 2);
      expect(e.message).toContain("log_life_span");
    });

    it("names a typo inside a definition", () => {
      const text = configWith({ ...base, pusher: [] });
      expectField(text, "passengers[0].pusher", lineOf(text, '"pusher"'));
    });

    it("names a typo inside a user", () => {
      const text = '{\n  "users": [\n    { "username": "a", "password": "x",\n      "rol": "operator" }\n  ]\n}';
      expectField(text, "users[0].rol", 4);
    });
  });

  describe("when pullers are missing or empty", () => {
    it("points a missing list at its definition, without saying undefined", () => {
      const text = configWith({ name: "databus/demo/passenger_1" });
      const e = expectField(text, "passengers[0].pullers", lineOf(text, "    {"));
      expect(e.message).not.toContain("undefined");
    });

    it("rejects an empty list", () => {
      const text = configWith({ ...base, pullers: [] });
      expectField(text, "passengers[0].pullers", lineOf(text, '"pullers"'));
    });
  });

  describe("when a driver name is bad", () => {
    it.each(["../evil", "acme/", "a b", ""])("rejects the puller %p", (name) => {
      const text = configWith({ ...base, pullers: [name] });
      expectField(text, "passengers[0].pullers[0]", lineOf(text, '"pullers"'));
    });

    it("rejects a bad name in object form", () => {
      const text = configWith({ ...base, pushers: [{ name: "../x" }] });
      expectField(text, "passengers[0].pushers[0].name", lineOf(text, '"pushers"'));
    });

    it("rejects options that are not an object", () => {
      const text = configWith({ ...base, pushers: [{ name: "acme/p", options: "fast" }] });
      expectField(text, "passengers[0].pushers[0].options", lineOf(text, '"pushers"'));
    });

    it("rejects an unknown key in an object-form ref", () => {
      const text = configWith({ ...base, pushers: [{ name: "acme/p", opts: {} }] });
      expectField(text, "passengers[0].pushers[0].opts", lineOf(text, '"pushers"'));
    });
  });

  describe("when a name repeats", () => {
    it("rejects a duplicate definition name on the second one's line", () => {
      const d = `{ "name": "databus/demo/passenger_1", "pullers": ["databus/demo/puller_1"] }`;
      const text = `{\n  "passengers": [\n    ${d},\n    ${d}\n  ]\n}`;
      expectField(text, "passengers[1].name", 4);
    });

    it("rejects a duplicate user on the second one's line", () => {
      const text = `{\n  "users": [\n    { "username": "alice", "password": "a" },\n    { "username": "alice", "password": "b" }\n  ]\n}`;
      expectField(text, "users[1].username", 4);
    });
  });

  describe("when a user is wrong", () => {
    const users = (u: string) => `{\n  "users": [\n    ${u}\n  ]\n}`;

    it("rejects a bad role", () => {
      const e = expectField(users('{ "username": "a", "role": "boss", "password": "x" }'), "users[0].role", 3);
      expect(e.message).toContain("operator, administrator");
    });

    it("rejects a bad user name", () => {
      expectField(users('{ "username": "a b", "password": "x" }'), "users[0].username", 3);
    });

    it("rejects a password_hash that is not an argon2 hash", () => {
      expectField(users('{ "username": "a", "password_hash": "secret" }'), "users[0].password_hash", 3);
    });

    it("rejects an empty password", () => {
      expectField(users('{ "username": "a", "password": "" }'), "users[0].password", 3);
    });

    it("rejects a user with neither password nor hash", () => {
      expectField(users('{ "username": "a" }'), "users[0]", 3);
    });

    it("never shows the password in the message", () => {
      const e = errorOf(users('{ "username": "a b", "password": "Sw0rdf1sh" }'));
      expect(e.message).not.toContain("Sw0rdf1sh");
      expect(e.hint).not.toContain("Sw0rdf1sh");
    });
  });

  describe("when a life span is negative", () => {
    it("rejects log_life_span", () => {
      expectField('{\n  "log_life_span": -1\n}', "log_life_span", 2);
    });

    it("rejects queue_life_span", () => {
      const text = configWith({ ...base, queue_life_span: -2 });
      expectField(text, "passengers[0].queue_life_span", lineOf(text, '"queue_life_span"'));
    });

    it("accepts zero days", () => {
      expect(parseClientConfig("acme", configWith({ ...base, queue_life_span: 0 })).passengers[0]!.queue_life_span).toBe(0);
    });
  });

  describe("when the client id is not valid", () => {
    it.each(["Acme", "a/b", "", "x".repeat(33)])("rejects %p before reading the text", (id) => {
      const e = errorOf("not even json", id);
      expect(e.code).toBe("DBUS_CFG_BAD_CLIENT_ID");
      expect(e.params).toEqual({ id });
    });
  });

  describe("when a definition changes the retry policy and timeouts (#4)", () => {
    const withDef = (extra: Record<string, unknown>) =>
      JSON.stringify({ passengers: [{ name: "a/b", pullers: ["a/p"], ...extra }] }, null, 2);

    it("reads durations and attempts", () => {
      const c = parseClientConfig("acme", withDef({ retry: { base: "10s", max_delay: "2m", max_attempts: 3 }, timeout: { pull: "10m", step: 90 } }));
      expect(c.passengers[0]!.retry).toEqual({ baseMs: 10_000, maxDelayMs: 120_000, maxAttempts: 3 });
      expect(c.passengers[0]!.timeouts).toEqual({ pullMs: 600_000, stepMs: 90_000 });
      expect(parseClientConfig("acme", withDef({ timeout: "2m" })).passengers[0]!.timeouts).toEqual({ stepMs: 120_000 });
      expect(parseClientConfig("acme", withDef({})).passengers[0]!.retry).toEqual({});
    });

    it("names the field of a bad value", () => {
      for (const [extra, path] of [
        [{ retry: { max_attempts: 0 } }, "passengers[0].retry.max_attempts"],
        [{ retry: { base: "soon" } }, "passengers[0].retry.base"],
        [{ retry: { tries: 3 } }, "passengers[0].retry.tries"],
        [{ timeout: { push: "1m" } }, "passengers[0].timeout.push"],
        [{ timeout: "0s" }, "passengers[0].timeout"],
      ] as const) {
        expect(() => parseClientConfig("acme", withDef(extra))).toThrow(expect.objectContaining({ code: "DBUS_CFG_INVALID_FIELD", params: expect.objectContaining({ path }) }));
      }
    });
  });
});

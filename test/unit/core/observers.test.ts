import { describe, expect, it } from "bun:test";
import { parseClientConfig } from "../../../src/core/client";
import { DatabusError } from "../../../src/core/errors";

const DEF = { name: "acme/invoice", pullers: ["acme/puller"] };
const parse = (observers: unknown) => parseClientConfig("acme", JSON.stringify({ passengers: [DEF], observers }, null, 2));
const problem = (observers: unknown): string => {
  try {
    parse(observers);
  } catch (e) {
    if (e instanceof DatabusError) return e.message;
    throw e;
  }
  throw new Error("no problem raised");
};

describe("observers config", () => {
  describe("when it is valid", () => {
    it("reads a webhook with defaults (every event, factor 3, 10s timeout)", () => {
      const [o] = parse([{ webhook: { url: "https://ops.example/hook", secret: "s" } }]).observers;
      expect(o).toEqual({
        name: "observers[0]",
        on: ["run_errors", "entry_dead", "silence"],
        silenceFactor: 3,
        target: { kind: "webhook", url: "https://ops.example/hook", secret: "s", timeoutMs: 10_000 },
      });
    });

    it("reads a mail observer; one address may stand alone and the port follows `secure`", () => {
      const [o] = parse([{ name: "ops", on: ["entry_dead"], mail: { host: "smtp.example", secure: true, from: "db@example.com", to: "ops@example.com", timeout: "5s" } }]).observers;
      expect(o!.target).toEqual({ kind: "mail", host: "smtp.example", port: 465, secure: true, user: null, password: null, from: "db@example.com", to: ["ops@example.com"], timeoutMs: 5000 });
      expect(o!.on).toEqual(["entry_dead"]);
    });

    it("has no observers when the section is missing", () => {
      expect(parseClientConfig("acme", "{}").observers).toEqual([]);
    });
  });

  describe("when it is wrong", () => {
    it("names the field, the line and the reason", () => {
      expect(problem([{ on: ["errors"], webhook: { url: "https://x" } }])).toContain("observers[0].on[0]");
      expect(problem([{ on: ["errors"], webhook: { url: "https://x" } }])).toContain("must be one of run_errors, entry_dead, silence");
      expect(problem([{ webhook: { url: "ftp://x" } }])).toContain("observers[0].webhook.url");
      expect(problem([{ webhook: { url: "https://x" }, mail: {} }])).toContain("needs exactly one of webhook or mail");
      expect(problem([{}])).toContain("needs exactly one of webhook or mail");
      expect(problem([{ silence_factor: 0, webhook: { url: "https://x" } }])).toContain("silence_factor");
      expect(problem([{ mail: { host: "h", from: "nobody", to: ["a@b.c"] } }])).toContain("observers[0].mail.from");
      expect(problem([{ mail: { host: "h", from: "a@b.c", to: [] } }])).toContain("observers[0].mail.to");
      expect(problem([{ webhook: { url: "https://x", retries: 3 } }])).toContain("observers[0].webhook.retries` is not a known setting");
      expect(problem([{ name: "a", webhook: { url: "https://x" } }, { name: "a", webhook: { url: "https://y" } }])).toContain("repeats the observer a");
    });

    it("points at the line of the bad field", () => {
      const text = JSON.stringify({ observers: [{ webhook: { url: "nope" } }] }, null, 2);
      try {
        parseClientConfig("acme", text);
        throw new Error("no problem raised");
      } catch (e) {
        expect((e as DatabusError).message).toContain(`line ${text.split("\n").findIndex((l) => l.includes('"nope"')) + 1}`);
      }
    });
  });
});

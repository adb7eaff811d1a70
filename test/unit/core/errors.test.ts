/**
 * The error catalogue keeps itself honest (Fastify errors.test.js): code shape, required fields,
 * every message rendered with sample parameters, no secret leaks, and docs/errors.md up to date.
 */
import { describe, expect, it } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ERROR_DOCS_PATH, renderErrorDocs } from "../../../scripts/gen-error-docs";
import {
  CATALOGUE,
  DatabusError,
  RETIRED_CODES,
  describeError,
  isDatabusError,
  reasonOf,
  type ErrorCode,
} from "../../../src/core/errors";

const ROOT = join(import.meta.dir, "../../..");
const AREAS = ["SET", "CFG", "AUTH", "WEB", "PLG", "RUN", "DSP", "Q", "STO", "EXP", "INTERNAL"];
const CODE_SHAPE = /^DBUS_(WRN_)?[A-Z]+(_[A-Z0-9]+)+$/;
const AUDIENCES = ["operator", "administrator", "plugin author", "installer"];
const SECRET = "hunter2-Sw0rdfish";
// Our own idea of a secret-looking name, independent of the one in errors.ts, so a too-narrow
// redaction rule there cannot hide itself.
const SECRET_NAME = /pass(word|wd|phrase)|secret|token|hash|key|credential/i;

type Render = (p: unknown) => string;
const codes = Object.keys(CATALOGUE) as ErrorCode[];

/** Types are erased, so learn each entry's parameter names by rendering it with a recording Proxy. */
function paramNamesOf(entry: { message: unknown; hint: unknown }): string[] {
  const seen = new Set<string>();
  const recorder = new Proxy({}, {
    get: (_t, key) => {
      if (typeof key !== "string") return undefined;
      seen.add(key);
      return `v-${key}`;
    },
  });
  (entry.message as Render)(recorder);
  (entry.hint as Render)(recorder);
  return [...seen];
}

/** A plain object (redaction enumerates keys, which a Proxy would hide) with a sample per name. */
function sampleParams(names: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const n of names) out[n] = SECRET_NAME.test(n) ? SECRET : `v-${n}`;
  return { ...out, ...extra };
}

/** What a reader must never see: unfilled placeholders and JavaScript leaking through. */
function leftovers(text: string): string[] {
  const found: string[] = [];
  for (const re of [/%[sdifoj]/, /\{[A-Za-z_$][\w$]*\}/, /\$\{/, /\bundefined\b/, /\[object \w+\]/, /\bNaN\b/])
    if (re.test(text)) found.push(re.source);
  return found;
}

const sentenceCount = (text: string): number => text.match(/[.!?](?=\s|$)/g)?.length ?? 0;

function render(code: ErrorCode, extra: Record<string, unknown> = {}): DatabusError {
  return new DatabusError(code, sampleParams(paramNamesOf(CATALOGUE[code]), extra) as never);
}

describe("error catalogue", () => {
  describe("when reading the codes", () => {
    it("has unique codes", () => {
      expect(new Set(codes).size).toBe(codes.length);
    });

    it.each(codes)("%s has the DBUS_<AREA>_<WHAT> shape and a known area", (code) => {
      const area = code.replace(/^DBUS_(WRN_)?/, "").split("_")[0]!;
      expect(AREAS).toContain(area);
      // DBUS_INTERNAL is the one code that is an area on its own.
      if (code !== "DBUS_INTERNAL") expect(code).toMatch(CODE_SHAPE);
    });

    it("reuses no retired code", () => {
      expect(codes.filter((c) => RETIRED_CODES.includes(c))).toEqual([]);
    });

    it.each(codes)("%s is a warning exactly when its code says DBUS_WRN_", (code) => {
      expect(CATALOGUE[code].level).toBe(code.startsWith("DBUS_WRN_") ? "warning" : "error");
    });
  });

  describe("when reading each entry", () => {
    it.each(codes)("%s has message, hint, level, audience, retryable and since", (code) => {
      const e = CATALOGUE[code] as (typeof CATALOGUE)[ErrorCode] & { status?: number };
      expect(typeof e.message).toBe("function");
      expect(typeof e.hint).toBe("function");
      expect(["error", "warning"]).toContain(e.level);
      expect(AUDIENCES).toContain(e.audience);
      expect(typeof e.retryable).toBe("boolean");
      expect(e.since).toMatch(/^\d+\.\d+\.\d+$/);
      if (e.status !== undefined) expect(e.status >= 400 && e.status <= 599).toBe(true);
    });
  });

  describe("when rendering with sample parameters", () => {
    it.each(codes)("%s leaves no placeholder in message or hint", (code) => {
      const e = render(code);
      expect(leftovers(e.message)).toEqual([]);
      expect(leftovers(e.hint)).toEqual([]);
    });

    it.each(codes)("%s ends message and hint with a full stop, two sentences at most", (code) => {
      const e = render(code);
      for (const text of [e.message, e.hint]) {
        expect(text.trim()).toMatch(/\.$/);
        expect(sentenceCount(text)).toBeLessThanOrEqual(2);
      }
    });

    // Types are erased, so the entries whose type says `line?` are named here.
    it.each(["DBUS_CFG_INVALID_FIELD", "DBUS_PLG_LOAD_FAILED"] as ErrorCode[])(
      "%s reads cleanly when the optional line is not known",
      (code) => {
        const params = sampleParams(paramNamesOf(CATALOGUE[code]).filter((n) => n !== "line"));
        const e = new DatabusError(code, params as never);
        expect(leftovers(e.message)).toEqual([]);
        expect(e.message).not.toContain("line");
      },
    );
  });

  describe("when a parameter holds a secret", () => {
    it.each(codes)("%s shows the value of no secret-named parameter", (code) => {
      const e = render(code, { password: SECRET, token: SECRET, password_hash: SECRET, apiKey: SECRET });
      expect(e.message).not.toContain(SECRET);
      expect(e.hint).not.toContain(SECRET);
      expect(describeError(e)).not.toContain(SECRET);
      expect(JSON.stringify(e.safeParams)).not.toContain(SECRET);
    });

    it("still shows parameters about passengers (pass is not password)", () => {
      const e = new DatabusError("DBUS_Q_ENTRY_NOT_FOUND", { client: "acme", id: "p-1", passenger: "p-1" } as never);
      expect(e.safeParams.passenger).toBe("p-1");
      expect(e.safeParams.id).toBe("p-1");
    });
  });

  describe("when checking the checker itself", () => {
    it("finds every kind of leftover placeholder", () => {
      expect(leftovers("Client %s failed.")).not.toEqual([]);
      expect(leftovers("Client {client} failed.")).not.toEqual([]);
      expect(leftovers("Client undefined failed.")).not.toEqual([]);
      expect(leftovers("Client [object Object] failed.")).not.toEqual([]);
      expect(leftovers("Client ${client} failed.")).not.toEqual([]);
      expect(leftovers("Client acme failed.")).toEqual([]);
    });

    it("learns parameter names, so a message reaching too deep renders undefined", () => {
      const deep = { message: (p: { a: { b: string } }) => `A ${p.a.b}.`, hint: () => "Fix it." };
      expect(paramNamesOf(deep as never)).toEqual(["a"]);
      const text = (deep.message as Render)(sampleParams(["a"]));
      expect(leftovers(text)).not.toEqual([]);
    });

    it("counts sentences", () => {
      expect(sentenceCount("One. Two. Three.")).toBe(3);
      expect(sentenceCount("Add plugins/x.ts. Then run it.")).toBe(2);
    });
  });

  describe("when docs/errors.md is compared with the generator", () => {
    it("is exactly what scripts/gen-error-docs.ts writes now (run it to refresh)", () => {
      const committed = readFileSync(join(ROOT, ERROR_DOCS_PATH), "utf8");
      expect(committed).toBe(renderErrorDocs());
    });

    it("starts with the generated-file banner and lists every code", () => {
      const docs = renderErrorDocs();
      expect(docs.split("\n")[0]).toContain("generated by scripts/gen-error-docs.ts from src/core/errors.ts — do not edit");
      for (const code of codes) expect(docs).toContain(`| \`${code}\` |`);
    });
  });
});

describe("DatabusError", () => {
  describe("when raised by code", () => {
    it("carries the code, params, rendered message, hint, status and retryable flag", () => {
      const e = new DatabusError("DBUS_CFG_INVALID_JSON", { client: "acme", file: "config.json", line: 3, column: 7 });
      expect(e.code).toBe("DBUS_CFG_INVALID_JSON");
      expect(e.params.line).toBe(3);
      expect(e.message).toBe("The configuration of client acme is not valid JSON (config.json, line 3, column 7).");
      expect(e.hint).toContain("Customizing");
      expect(e.status).toBe(400);
      expect(e.retryable).toBe(false);
      expect(e).toBeInstanceOf(Error);
    });

    it("defaults the status to 500 when the entry has none", () => {
      expect(new DatabusError("DBUS_SET_USAGE", { problem: "Unknown flag --x" }).status).toBe(500);
    });

    it("keeps the cause", () => {
      const cause = new Error("ENOSPC");
      expect(new DatabusError("DBUS_STO_DISK_FULL", { path: "/data" }, { cause }).cause).toBe(cause);
    });

    it("ends a plugin's reason with exactly one full stop", () => {
      const a = new DatabusError("DBUS_RUN_PULL_FAILED", { name: "x", definition: "d", reason: "timeout" });
      const b = new DatabusError("DBUS_RUN_PULL_FAILED", { name: "x", definition: "d", reason: "timeout." });
      expect(a.message).toEndWith("failed: timeout.");
      expect(b.message).toEndWith("failed: timeout.");
    });
  });

  describe("when asked about a thrown value", () => {
    it("recognises catalogue errors, optionally by code", () => {
      const e = new DatabusError("DBUS_AUTH_CSRF", {});
      expect(isDatabusError(e)).toBe(true);
      expect(isDatabusError(e, "DBUS_AUTH_CSRF")).toBe(true);
      expect(isDatabusError(e, "DBUS_INTERNAL")).toBe(false);
      expect(isDatabusError(new Error("x"))).toBe(false);
    });

    it("describes it as code, message and hint on one line", () => {
      expect(describeError(new DatabusError("DBUS_AUTH_CSRF", {}))).toBe(
        "DBUS_AUTH_CSRF This form has expired. — Reload the page and submit it again.",
      );
    });

    it("gives the reason of any thrown value without a stack", () => {
      expect(reasonOf(new DatabusError("DBUS_AUTH_CSRF", {}))).toBe("DBUS_AUTH_CSRF This form has expired.");
      expect(reasonOf(new Error("boom"))).toBe("boom");
      expect(reasonOf(new TypeError(""))).toBe("TypeError");
      expect(reasonOf("plain")).toBe("plain");
    });
  });
});

import { describe, expect, it } from "bun:test";
import type { ReportParameter } from "../../../../../src/sdk/index";
import { paramsQuery, parsePluginParams } from "../../../../../src/web/pages/reports/plugin-params";

const NOW = Date.parse("2026-06-07T15:00:00Z");
const PARAMETERS: ReportParameter[] = [
  { name: "period", label: "Period", type: "period" },
  { name: "day", label: "Day", type: "date" },
  { name: "min", label: "Minimum", type: "number", default: 1 },
  { name: "q", label: "Search", type: "text" },
  { name: "state", label: "State", type: "choice", choices: ["delivered", "dead"], required: true },
];

const failure = (raw: Record<string, string>): { code?: string; message?: string } => {
  try {
    parsePluginParams(PARAMETERS, raw, NOW);
  } catch (e) {
    return { code: (e as { code?: string }).code, message: (e as Error).message };
  }
  return {};
};

describe("parsePluginParams", () => {
  describe("when the form is empty", () => {
    it("gives the last seven days, the defaults, nulls, and lists the required field still missing", () => {
      const p = parsePluginParams(PARAMETERS, {}, NOW);
      expect(p.values).toEqual({
        period: { from: "2026-06-01T00:00:00.000Z", to: "2026-06-08T00:00:00.000Z" },
        day: null,
        min: 1,
        q: null,
        state: null,
      });
      expect(p.fields).toEqual({ period_from: "2026-06-01", period_to: "2026-06-07", day: "", min: "1", q: "", state: "" });
      expect(p.missing).toEqual(["State"]);
    });
  });

  describe("when every field is filled in", () => {
    it("types each value and repeats the text for the form", () => {
      const raw = { period_from: "2026-05-01", period_to: "2026-05-31", day: "2026-05-15", min: "2.5", q: " <b>x</b> ", state: "dead" };
      const p = parsePluginParams(PARAMETERS, raw, NOW);
      expect(p.values).toEqual({
        period: { from: "2026-05-01T00:00:00.000Z", to: "2026-06-01T00:00:00.000Z" },
        day: "2026-05-15",
        min: 2.5,
        q: "<b>x</b>",
        state: "dead",
      });
      expect(p.missing).toEqual([]);
    });
  });

  describe("when a value does not fit its type", () => {
    it.each([
      [{ day: "2026-02-30" }, "Day: must be a date"],
      [{ min: "many" }, "Minimum: must be a number"],
      [{ state: "gone" }, "State: must be one of delivered, dead"],
      [{ q: "x".repeat(501) }, "Search: must be at most 500 characters"],
      [{ period_from: "2026-06-05", period_to: "2026-06-01" }, "Period (from): must not be after the last day"],
      [{ period_to: "soon" }, "Period (to): must be a date"],
    ])("raises DBUS_WEB_BAD_INPUT naming the field (%p)", (raw, message) => {
      expect(failure(raw)).toEqual({ code: "DBUS_WEB_BAD_INPUT", message: expect.stringContaining(message) });
    });
  });
});

describe("paramsQuery", () => {
  it("keeps filled-in fields and the client, encoded; nothing gives an empty string", () => {
    expect(paramsQuery({ period_from: "2026-06-01", q: "a&b", day: "" }, "beta")).toBe("?client=beta&period_from=2026-06-01&q=a%26b");
    expect(paramsQuery({ day: "" }, undefined)).toBe("");
  });
});

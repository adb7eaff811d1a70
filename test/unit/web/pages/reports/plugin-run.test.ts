import { describe, expect, it } from "bun:test";
import { Report, type ReportContext, type ReportQuery } from "../../../../../src/sdk/index";
import type { ReportPlugin } from "../../../../../src/web/deps";
import { createReport, runPluginReport, type PluginOutcome } from "../../../../../src/web/pages/reports/plugin-run";

const NOW = Date.parse("2026-06-07T12:00:00Z");
/** The runner only hands the query over; these reports never read it. */
const query = {} as ReportQuery;

/** A report whose run() is `body`. */
function reportOf(body: (params: unknown, ctx: ReportContext) => unknown, timeout = 30): Report {
  class Under extends Report {
    title = "Under test";
    override timeout = timeout;
    run(_q: ReportQuery, params: unknown, ctx: ReportContext) {
      return body(params, ctx) as never;
    }
  }
  return new Under();
}

const run = (report: Report, params = {}): Promise<PluginOutcome> => runPluginReport({ name: "acme/r", report, query, params, client: "acme", nowMs: NOW });
const errorOf = (o: PluginOutcome) => (o.ok ? undefined : { code: o.error.code, message: o.error.message });

describe("runPluginReport", () => {
  describe("when the report returns a table", () => {
    it("orders each row's cells by column, with null for a missing key, and passes params and context", async () => {
      let seen: unknown;
      const report = reportOf((params, ctx) => {
        seen = { params, client: ctx.client, report: ctx.report, now: ctx.now, aborted: ctx.signal.aborted };
        return { columns: [{ key: "b", label: "B" }, { key: "a", label: "A" }], rows: [{ a: 1, b: "x" }, { a: null }] };
      });
      const outcome = await run(report, { n: 2 });
      expect(outcome).toEqual({ ok: true, table: { columns: [{ key: "b", label: "B" }, { key: "a", label: "A" }], rows: [["x", 1], [null, null]] } });
      expect(seen).toEqual({ params: { n: 2 }, client: "acme", report: "acme/r", now: "2026-06-07T12:00:00.000Z", aborted: false });
    });
  });

  describe("when the report throws or rejects", () => {
    it.each([
      ["throws at once", () => { throw new Error("no such customer"); }],
      ["rejects later", async () => { await Bun.sleep(1); throw new Error("no such customer"); }],
    ])("gives DBUS_PLG_REPORT_FAILED with its message when it %s", async (_what, body) => {
      expect(errorOf(await run(reportOf(body)))).toEqual({ code: "DBUS_PLG_REPORT_FAILED", message: "The report `acme/r` failed: no such customer." });
    });
  });

  describe("when the report returns something that is not a table", () => {
    it.each([
      [undefined, "something other than a table"],
      [{ columns: [{ key: 1, label: "x" }], rows: [] }, "column 1 without a text key and label"],
      [{ columns: [{ key: "a", label: "A" }, { key: "a", label: "B" }], rows: [] }, "two columns with the same key"],
      [{ columns: [{ key: "a", label: "A" }], rows: ["x"] }, "row 1 that is not an object"],
      [{ columns: [{ key: "a", label: "A" }], rows: [{ a: 1 }, { a: { nested: true } }] }, "an object in row 2, column a"],
      [{ columns: [{ key: "a", label: "A" }], rows: [{ a: true }] }, "a boolean in row 1, column a"],
    ])("says what is wrong and where (%p)", async (value, problem) => {
      const e = errorOf(await run(reportOf(() => value)));
      expect(e?.code).toBe("DBUS_PLG_REPORT_FAILED");
      expect(e?.message).toContain(`it returned ${problem}`);
    });
  });

  describe("when the report runs longer than its timeout", () => {
    it("gives DBUS_PLG_REPORT_TIMEOUT and aborts the report's signal", async () => {
      let signal: AbortSignal | undefined;
      const hangs = reportOf((_p, ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      }, 0.05);
      expect(errorOf(await run(hangs))).toEqual({ code: "DBUS_PLG_REPORT_TIMEOUT", message: "The report `acme/r` did not finish within 0.05 seconds." });
      expect(signal?.aborted).toBe(true);
    });
  });
});

describe("createReport", () => {
  it("gives DBUS_PLG_REPORT_FAILED when the constructor throws", () => {
    class Throws extends Report {
      title = "x";
      constructor() {
        super();
        throw new Error("missing file");
      }
      run() {
        return { columns: [], rows: [] };
      }
    }
    const created = createReport({ name: "acme/t", cls: Throws } satisfies ReportPlugin);
    expect(created.ok ? undefined : created.error.message).toBe("The report `acme/t` failed: missing file.");
  });
});

import { describe, expect, it } from "bun:test";
import { csvCell, reportCsv, tableCsv } from "../../../../../src/web/pages/reports/csv";

describe("report CSV", () => {
  describe("when a cell could run as a formula", () => {
    it("prefixes = + - @ tab and carriage return with a quote mark", () => {
      expect(["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"].map(csvCell)).toEqual(["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\tx", "\"'\rx\""]);
    });
  });

  describe("when a cell holds commas, quotes or line breaks", () => {
    it("quotes it and doubles the quotes; empty for null", () => {
      expect(csvCell('a,"b"\nc')).toBe('"a,""b""\nc"');
      expect(csvCell(null)).toBe("");
      expect(csvCell(3)).toBe("3");
      expect(csvCell("plain")).toBe("plain");
    });
  });

  describe("when there are no rows", () => {
    it("still writes the header line, ending in CRLF", () => {
      expect(reportCsv([])).toBe("pusher,state,at,idempotency_key,passenger_id,definition,external_id,source_system,attempts,next_attempt_at,error\r\n");
    });
  });

  describe("when a cell is a negative number", () => {
    it("leaves it a number; only text is defused", () => {
      expect([csvCell(-5), csvCell("-5")]).toEqual(["-5", "'-5"]);
    });
  });

  describe("when writing a report plugin's table", () => {
    it("writes the labels, then each row, with the same quoting and defusing", () => {
      const table = { columns: [{ label: "Day" }, { label: "=Total" }], rows: [["2026-06-01", 3], ["=cmd|' /C calc'!A0", null]] };
      expect(tableCsv(table)).toBe("Day,'=Total\r\n2026-06-01,3\r\n'=cmd|' /C calc'!A0,\r\n");
    });
  });
});

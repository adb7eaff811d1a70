import { describe, expect, it } from "bun:test";
import { Counter, escapeLabelValue, Gauge, Histogram, renderExposition } from "../../../src/core/prometheus";
import { parsePrometheusText, valueOf } from "../../support/prometheus";

describe("prometheus exposition", () => {
  describe("when a label value holds a quote, a backslash and a newline", () => {
    it("escapes them so a strict parser reads the value back unchanged", () => {
      const hostile = 'acme "north"\\ops\nline2';
      const c = new Counter("databus_runs_total", "Runs.");
      c.inc({ client: hostile, outcome: "ok" }, 2);
      const text = renderExposition([c]);
      expect(text).toContain('client="acme \\"north\\"\\\\ops\\nline2"');
      const parsed = parsePrometheusText(text);
      expect(valueOf(parsed, "databus_runs_total", { client: hostile, outcome: "ok" })).toBe(2);
    });

    it("escapes exactly backslash, quote and newline", () => {
      expect(escapeLabelValue('a\\b"c\nd\te')).toBe('a\\\\b\\"c\\nd\te');
    });
  });

  describe("when counting", () => {
    it("adds per label set and refuses to go down", () => {
      const c = new Counter("x_total", "X.");
      c.inc({ a: "1" });
      c.inc({ a: "1" }, 4);
      c.inc({ a: "2" });
      const parsed = parsePrometheusText(renderExposition([c]));
      expect(valueOf(parsed, "x_total", { a: "1" })).toBe(5);
      expect(valueOf(parsed, "x_total", { a: "2" })).toBe(1);
      expect(() => c.inc({ a: "1" }, -1)).toThrow("cannot go down");
    });
  });

  describe("when observing a histogram", () => {
    it("writes cumulative buckets, +Inf, _sum and _count per label set", () => {
      const h = new Histogram("d_seconds", "D.", [1, 5]);
      h.observe({ c: "a" }, 0.5);
      h.observe({ c: "a" }, 3);
      h.observe({ c: "a" }, 9);
      const parsed = parsePrometheusText(renderExposition([h]));
      expect(parsed.get("d_seconds")!.type).toBe("histogram");
      expect(valueOf(parsed, "d_seconds", { c: "a", le: "1" }, "d_seconds_bucket")).toBe(1);
      expect(valueOf(parsed, "d_seconds", { c: "a", le: "5" }, "d_seconds_bucket")).toBe(2);
      expect(valueOf(parsed, "d_seconds", { c: "a", le: "+Inf" }, "d_seconds_bucket")).toBe(3);
      expect(valueOf(parsed, "d_seconds", { c: "a" }, "d_seconds_sum")).toBe(12.5);
      expect(valueOf(parsed, "d_seconds", { c: "a" }, "d_seconds_count")).toBe(3);
    });
  });

  describe("when rendering several families", () => {
    it("gives each its HELP and TYPE before its samples and ends with a newline", () => {
      const g = new Gauge("up", "Up.\nsecond line");
      g.set({}, 1);
      const text = renderExposition([g, new Counter("empty_total", "Nothing yet.")]);
      expect(text).toBe("# HELP up Up.\\nsecond line\n# TYPE up gauge\nup 1\n# HELP empty_total Nothing yet.\n# TYPE empty_total counter\n");
      expect(parsePrometheusText(text).get("up")!.help).toBe("Up.\nsecond line");
    });
  });

  describe("when the test parser meets text the format forbids", () => {
    it("throws", () => {
      expect(() => parsePrometheusText('# TYPE a counter\na{x="\\t"} 1\n')).toThrow("bad escape");
      expect(() => parsePrometheusText("# TYPE a counter\na 1")).toThrow("newline");
      expect(() => parsePrometheusText("a 1\n")).toThrow("outside");
      expect(() => parsePrometheusText("# TYPE a counter\na 1\na 2\n")).toThrow("repeated");
    });
  });
});

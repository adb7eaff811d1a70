/** BarChart: SVG bars scaled to the largest value, an accessible title/desc, the numbers as a table, escaping. */
import { describe, expect, it } from "bun:test";
import { BarChart, barGeometry, sumOf } from "../../../../src/web/views/chart";

const render = (props: Partial<Parameters<typeof BarChart>[0]> = {}) =>
  BarChart({
    id: "c1",
    title: "Passengers",
    summary: "Per hour.",
    labels: ["08:00", "09:00", "10:00"],
    series: [
      { name: "pulled", cls: "chart-pulled", values: [2, 4, 0] },
      { name: "failed", cls: "chart-failed", values: [0, 1, 0] },
    ],
    ...props,
  }) as string;

describe("BarChart", () => {
  describe("when given values", () => {
    it("draws one bar per non-zero value, each with its own title", () => {
      const svg = render();
      expect([...svg.matchAll(/<rect /g)].length).toBe(3);
      expect(svg).toContain("<title>09:00 pulled 4</title>");
      expect(svg).toContain("<title>09:00 failed 1</title>");
    });

    it("scales the tallest value to the full plot height and the others in proportion", () => {
      const tallest = barGeometry(3, 2, 4, 4, 1, 0);
      const half = barGeometry(3, 2, 4, 2, 0, 0);
      expect(tallest.height).toBeCloseTo(2 * half.height, 5);
      expect(tallest.y + tallest.height).toBeCloseTo(half.y + half.height, 5);
      expect(barGeometry(3, 2, 4, 0, 2, 0).height).toBe(0);
    });

    it("places bars of one bucket side by side and buckets left to right", () => {
      const a = barGeometry(3, 2, 4, 1, 0, 0);
      const b = barGeometry(3, 2, 4, 1, 0, 1);
      const c = barGeometry(3, 2, 4, 1, 1, 0);
      expect(b.x).toBeCloseTo(a.x + a.width, 5);
      expect(c.x).toBeGreaterThan(b.x + b.width);
    });
  });

  describe("when read by assistive technology", () => {
    it("labels the SVG by its title and a description with the totals", () => {
      const svg = render();
      expect(svg).toContain(`role="img" aria-labelledby="c1-title c1-desc"`);
      expect(svg).toContain(`<title id="c1-title">Passengers</title>`);
      expect(svg).toContain(`<desc id="c1-desc">Per hour. Totals: pulled 6, failed 1. Highest hourly value: 4.</desc>`);
    });

    it("repeats every number in a table with a row per bucket", () => {
      const svg = render();
      expect(svg).toContain(`<tr><th scope="row">09:00</th><td>4</td><td>1</td></tr>`);
      expect(svg).toContain(`<tr><th scope="row">10:00</th><td>0</td><td>0</td></tr>`);
    });
  });

  describe("when every value is zero", () => {
    it("draws no bars and still has the axis and the table", () => {
      const svg = render({ series: [{ name: "pulled", cls: "chart-pulled", values: [0, 0, 0] }] });
      expect(svg).not.toContain("<rect");
      expect(svg).toContain(`<line class="chart-axis"`);
      expect(svg).toContain(`<tr><th scope="row">08:00</th><td>0</td></tr>`);
    });
  });

  describe("when labels and names are hostile", () => {
    it("escapes them everywhere", () => {
      const svg = render({ title: "<script>t()</script>", labels: ["<img src=x>"], series: [{ name: "<b>x</b>", cls: `"><script>`, values: [1] }] });
      expect(svg).not.toContain("<script>");
      expect(svg).not.toContain("<img");
      expect(svg).not.toContain("<b>");
      expect(svg).toContain("&lt;script&gt;t()&lt;/script&gt;");
    });
  });

  describe("sumOf", () => {
    it("adds the values", () => {
      expect(sumOf([1, 2, 3])).toBe(6);
      expect(sumOf([])).toBe(0);
    });
  });
});

/** Home page: the dashboard per visible client (counts, runs, last runs, chart), the polled fragment, roles. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { uuidv7 } from "../../src/core/ids";
import type { LogLevel, RunCounts } from "../../src/core/log";
import type { Database } from "../../src/storage/database";
import { HTMX_FULL, HTMX_PARTIAL, createTestConsole, seatEntries, type TestConsole } from "../support/web";

const user = (username: string, role: "operator" | "administrator") => ({ username, password: `${username}-pw`, role });
const NOW = Date.parse("2025-01-15T10:00:00Z"); // the manual clock's start
const HOUR = 3_600_000;

/** A run log that started `ago` ms before NOW and finished with these counts (null: still running). */
async function seedRun(db: Database, client: string, definition: string | null, ago: number, counts: RunCounts | null, level: LogLevel = "info") {
  const at = new Date(NOW - ago).toISOString();
  const id = uuidv7(NOW - ago);
  await db.createLog(client, { origin: "run", id, at, title: definition ? `run ${definition}` : "export", definition });
  if (level !== "info") await db.appendLog(client, id, [{ at, level, source: "test", message: "something" }]);
  if (counts) await db.finishLog(client, id, at, counts);
}
const counts = (pulled: number, delivered: number, failed: number): RunCounts => ({ pulled, seated: pulled, delivered, failed });

/** The numbers of one hour in the chart's table fallback: [pulled, delivered, failed]. */
function hourRow(html: string, hour: string): number[] {
  const m = new RegExp(`<tr><th scope="row">${hour}</th><td>(\\d+)</td><td>(\\d+)</td><td>(\\d+)</td></tr>`).exec(html);
  if (!m) throw new Error(`no row for ${hour}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

describe("home page", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({
      alias: `<img src=x onerror=alert(1)>LIVE`,
      clients: {
        root: { users: [user("boss", "administrator"), user("watcher", "operator")] },
        acme: { users: [user("ann", "operator"), user("ada", "administrator")], definitions: ["acme/invoice", "acme/order"] },
        globex: { users: [user("gus", "administrator")] },
      },
    });
    await seatEntries(t.db, "acme", [{ external_id: "a-1" }, { external_id: "a-2" }, { external_id: "a-3" }]);
    await seatEntries(t.db, "globex", [{ external_id: "g-1" }]);
  });
  afterEach(() => t.close());

  const loggedIn = async (client: string, username: string) => {
    const b = t.browser();
    expect((await b.login(client, username, `${username}-pw`)).status).toBe(303);
    return b;
  };

  describe("when nobody is logged in", () => {
    it("redirects to /login", async () => {
      const res = await t.browser().get("/");
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/login");
    });

    it("sends htmx polls to /login with HX-Redirect instead of a redirect fetch would follow", async () => {
      const res = await t.browser().get("/", HTMX_PARTIAL);
      expect(res.headers.get("hx-redirect")).toBe("/login");
      expect(res.headers.get("location")).toBeNull();
    });
  });

  describe("when an operator of acme opens it", () => {
    it("renders the whole page with acme's counts by state and a dashboard that polls every 5 s", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.status).toBe(200);
      expect(page.text).toStartWith("<!doctype html>");
      expect(page.text).toContain(`<section id="dashboard" class="dashboard" hx-get="/" hx-trigger="every 5s" hx-swap="outerHTML">`);
      expect(page.text).toContain(`<a href="/queue?state=pending">pending</a></dt><dd data-test="count-pending">3</dd>`);
      expect(page.text).toContain(`<a href="/queue?state=complete">complete</a></dt><dd data-test="count-complete">0</dd>`);
    });

    it("shows only acme, never another client", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).toContain(">acme</a></h2>");
      expect(page.text).not.toContain("globex");
      expect(page.text).not.toContain(">root</a></h2>");
    });

    it("answers 403 DBUS_AUTH_FORBIDDEN when asking for another client", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/?client=globex");
      expect(page.status).toBe(403);
      expect(page.text).toContain("DBUS_AUTH_FORBIDDEN");
    });
  });

  describe("when an administrator of acme opens it", () => {
    it("shows acme only, and 403 for another client", async () => {
      const b = await loggedIn("acme", "ada");
      expect((await b.get("/")).text).toContain(">acme</a></h2>");
      expect((await b.get("/?client=root")).status).toBe(403);
    });
  });

  describe("when runs have been logged", () => {
    beforeEach(async () => {
      await seedRun(t.db, "acme", "acme/invoice", 10 * 60_000, counts(3, 2, 1)); // 09:50 → the 09:00 bucket
      await seedRun(t.db, "acme", "acme/invoice", 20 * 60_000, counts(4, 4, 0), "warning"); // 09:40
      await seedRun(t.db, "acme", "acme/order", 5 * HOUR + 1, counts(10, 7, 3), "error"); // 04:59:59.999 → the 04:00 bucket
      await seedRun(t.db, "acme", "acme/order", 30 * HOUR, counts(99, 99, 99)); // older than 24 hours
      await seedRun(t.db, "acme", null, 5 * 60_000, null); // not a run (an export): not counted
      // A console action on an acme/invoice entry, after its last run: neither a run nor its last run.
      await t.db.createLog("acme", { origin: "console", id: uuidv7(NOW - 60_000), at: new Date(NOW - 60_000).toISOString(), title: "console: retry", definition: "acme/invoice" });
    });

    it("counts runs in the last hour and the last 24 hours, leaving out logs that are not runs", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).toContain(`Runs: <strong>2</strong> in the last hour, <strong>3</strong> in the last 24 hours`);
    });

    it("sums pulled / delivered / failed from run logs into the right hourly buckets", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(hourRow(page.text, "09:00")).toEqual([7, 6, 1]);
      expect(hourRow(page.text, "04:00")).toEqual([10, 7, 3]);
      expect(hourRow(page.text, "10:00")).toEqual([0, 0, 0]);
      expect(hourRow(page.text, "11:00")).toEqual([0, 0, 0]); // yesterday's 11:00, the oldest bucket
      expect(page.text).toContain("Totals: pulled 17, delivered 13, failed 4.");
    });

    it("draws an accessible SVG chart with a title, a description and the numbers in a table", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).toContain(`<svg viewBox="0 0 480 140" role="img" aria-labelledby="chart-acme-title chart-acme-desc"`);
      expect(page.text).toContain(`<title id="chart-acme-title">Passengers of acme, last 24 hours</title>`);
      expect(page.text).toMatch(/<rect class="chart-pulled"[^>]*><title>04:00 pulled 10<\/title><\/rect>/);
      expect(page.text).toContain(`<details class="chart-data">`);
    });

    it("shows the last run of each definition with its worst level", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).toMatch(/acme\/invoice<\/td><td><time datetime="2025-01-15T09:50:00.000Z">[^<]*<\/time><\/td><td><span class="badge level-info">info<\/span><\/td><td>3 \/ 2 \/ 1<\/td>/);
      expect(page.text).toMatch(/acme\/order<\/td><td><time[^>]*>[^<]*<\/time><\/td><td><span class="badge level-error">error<\/span><\/td><td>10 \/ 7 \/ 3<\/td>/);
    });

    it("names the instance that ran the last run, when it was recorded (#5)", async () => {
      const at = new Date(NOW - 60_000).toISOString();
      await t.db.createLog("acme", { origin: "run", id: uuidv7(NOW - 60_000), at, title: "run acme/order", definition: "acme/order", instance: "node-b:7" });
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).toMatch(/acme\/order<\/td><td><time datetime="2025-01-15T09:59:00.000Z">[^<]*<\/time><span class="muted" data-test="run-instance"> on node-b:7<\/span><\/td>/);
      expect([...page.text.matchAll(/data-test="run-instance"/g)]).toHaveLength(1);
    });

    it("still shows the last run of a definition that has not run in the last 24 hours", async () => {
      t.clock.advance(20 * HOUR); // acme/order last ran 25 hours ago now
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).toMatch(/acme\/order<\/td><td><time datetime="2025-01-15T04:59:59.999Z">[^<]*<\/time><\/td><td><span class="badge level-error">error<\/span><\/td><td>10 \/ 7 \/ 3<\/td>/);
      expect(page.text).toContain("Totals: pulled 7, delivered 6, failed 1.");
    });

    it("moves the buckets with the clock", async () => {
      t.clock.advance(5 * HOUR);
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).toContain(`Runs: <strong>0</strong> in the last hour, <strong>3</strong> in the last 24 hours`);
      expect(hourRow(page.text, "09:00")).toEqual([7, 6, 1]);
    });
  });

  describe("when a run is still going", () => {
    it("counts it as a run, adds nothing to the chart, and says it is running", async () => {
      await seedRun(t.db, "acme", "acme/invoice", 60_000, null);
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).toContain(`Runs: <strong>1</strong> in the last hour`);
      expect(page.text).toContain("Totals: pulled 0, delivered 0, failed 0.");
      expect(page.text).toContain("<td>running…</td>");
    });
  });

  describe("when the client's config is broken", () => {
    it("still shows counts and runs, with the config error as an alert", async () => {
      const b = await loggedIn("acme", "ann");
      await t.db.writeConfig("acme", "{ not json");
      const page = await b.get("/");
      expect(page.status).toBe(200);
      expect(page.text).toContain("DBUS_CFG_INVALID_JSON");
      expect(page.text).toContain(`data-test="count-pending">3</dd>`);
    });
  });

  describe("when htmx polls the dashboard", () => {
    it("answers a partial request with the dashboard fragment only, and says it varies on HX-Request-Type", async () => {
      const b = await loggedIn("acme", "ann");
      await seatEntries(t.db, "acme", [{ external_id: "a-4" }]);
      const res = await b.get("/", HTMX_PARTIAL);
      expect(res.status).toBe(200);
      expect(res.text).toStartWith(`<section id="dashboard"`);
      expect(res.text).not.toContain("<html");
      expect(res.text).toContain(`data-test="count-pending">4</dd>`);
      expect(res.headers.get("vary")).toContain("HX-Request-Type");
    });

    it("answers a full htmx request (history restore) with the whole page", async () => {
      const res = await (await loggedIn("acme", "ann")).get("/", HTMX_FULL);
      expect(res.text).toStartWith("<!doctype html>");
    });
  });

  describe("when a root administrator opens it", () => {
    it("shows every client with its own counts", async () => {
      const page = await (await loggedIn("root", "boss")).get("/");
      for (const client of ["acme", "globex", "root"]) expect(page.text).toContain(`>${client}</a></h2>`);
      expect(page.text).toContain(`<a href="/queue?client=globex&state=pending">pending</a></dt><dd data-test="count-pending">1</dd>`);
    });

    it("shows one client when ?client= names it, and keeps it in the poll", async () => {
      const page = await (await loggedIn("root", "boss")).get("/?client=globex");
      expect(page.text).toContain(">globex</a></h2>");
      expect(page.text).not.toContain(">acme</a></h2>");
      expect(page.text).toContain(`hx-get="/?client=globex"`);
    });
  });

  describe("when a root operator opens it", () => {
    it("shows only the root client (seeing every client is for administrators)", async () => {
      const page = await (await loggedIn("root", "watcher")).get("/");
      expect(page.text).toContain(">root</a></h2>");
      expect(page.text).not.toContain("acme");
    });
  });

  describe("when the alias is hostile", () => {
    it("renders the alias escaped in the header and the title", async () => {
      const page = await (await loggedIn("acme", "ann")).get("/");
      expect(page.text).not.toContain("<img src=x");
      expect(page.text).toContain(`<span class="alias">&lt;img src=x onerror=alert(1)&gt;LIVE</span>`);
      expect(page.text).toContain("<title>Home · &lt;img src=x onerror=alert(1)&gt;LIVE · Databus</title>");
    });
  });
});

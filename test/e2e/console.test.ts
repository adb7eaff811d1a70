/**
 * The console in a real browser: log in, look around, log out. Each step leaves a screenshot in
 * test/artifacts/ for people to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import type { Browser, Page } from "playwright-core";
import { eventually, launchBrowser, logIn, screenshot, startServer, USERS, type Server } from "./support";

let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("the console in a browser", () => {
  it("refuses a wrong password without saying which part was wrong", async () => {
    await page.goto(`${server.url}/login`);
    await page.fill('input[name="client"]', USERS.admin.client);
    await page.fill('input[name="username"]', USERS.admin.username);
    await page.fill('input[name="password"]', "not-the-password");
    await page.click('button[type="submit"]');
    expect(await page.textContent("body")).toContain("The client, user name or password is wrong.");
    await screenshot(page, "login-failed");
  });

  it("logs in and shows the home counts", async () => {
    await logIn(page, server.url, USERS.admin);
    // The first run seats ten parcels; two fail at the pusher.
    await eventually("the first run to finish", async () => {
      await page.reload();
      return (await page.textContent("body"))!.includes("acme");
    }, server);
    await screenshot(page, "home");
    expect(await page.textContent("header")).toContain(USERS.admin.username);
  });

  it("filters the queue by text", async () => {
    await page.goto(`${server.url}/queue`);
    await eventually("ten entries in the queue", async () => {
      await page.reload();
      return (await page.locator("tbody tr").count()) === 10;
    }, server);
    await page.fill('input[name="text"]', "parcel-7");
    await page.press('input[name="text"]', "Enter");
    await eventually("the filter to apply", async () => (await page.locator("tbody tr").count()) === 1, server);
    expect(await page.textContent("tbody")).toContain("parcel-7");
    await screenshot(page, "queue-filtered");
  });

  it("opens an entry and retries its failed step without a full page load", async () => {
    await Promise.all([page.waitForURL(/\/queue\/acme\//), page.click('[data-test="entry-link"]')]);
    expect(await page.textContent('[data-test="payload"]')).toContain("Parcel 7");
    const pusherRow = page.locator('[data-test="step-1"]');
    expect(await pusherRow.textContent()).toContain("the depot refuses parcel-7");
    // A marker on the window survives an htmx swap but not a page load.
    await page.evaluate(() => ((window as unknown as { marker: string }).marker = "still here"));
    await page.click('[data-test="retry-1"]');
    await eventually("the step to show pending", async () => (await pusherRow.textContent())!.includes("pending"), server);
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe("still here");
    await screenshot(page, "entry-retried");
  });

  it("runs the definition now and the home counts move", async () => {
    await Bun.write(`${server.home}/fixed`, "the depot accepts parcels again");
    await page.goto(`${server.url}/passengers`);
    await page.click('[data-test="definition-e2e/parcel"] button:has-text("Run now")');
    await eventually("the run to finish", async () => (await page.textContent('[data-test="run-status"]'))!.includes("finished"), server);
    await screenshot(page, "passengers-run-now");
    await page.goto(`${server.url}/`);
    // parcel-7 was retried and delivered; parcel-3 still waits for its backoff.
    expect(await page.textContent('[data-test="count-complete"]')).toBe("9");
    expect(await page.textContent('[data-test="count-failed"]')).toBe("1");
    await screenshot(page, "home-after-run");
  });

  it("names the field of a config error and keeps the text", async () => {
    await page.goto(`${server.url}/customizing`);
    const text = await page.inputValue('textarea[name="text"]');
    const broken = text.replace('"sync_frequency": 60', '"sync_frequency": "soon"');
    expect(broken).not.toBe(text);
    await page.fill('textarea[name="text"]', broken);
    await page.click('[data-test="save-config"]');
    const error = await page.textContent('[data-test="config-error"]');
    expect(error).toContain("passengers[0].sync_frequency");
    expect(await page.inputValue('textarea[name="text"]')).toContain('"sync_frequency": "soon"');
    await screenshot(page, "customizing-error");
  });

  it("logs out, and the session is gone", async () => {
    await page.click('nav form button[type="submit"]');
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/queue`);
    expect(page.url()).toContain("/login");
    await screenshot(page, "logged-out");
  });
});

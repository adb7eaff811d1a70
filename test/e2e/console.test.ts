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

  it("logs out, and the session is gone", async () => {
    await page.click('nav form button[type="submit"]');
    await page.waitForURL(/\/login/);
    await page.goto(`${server.url}/queue`);
    expect(page.url()).toContain("/login");
    await screenshot(page, "logged-out");
  });
});

/** Login's "remember me": a long-lived, hashed, rotating, revocable token that outlives the session store. */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { CONSOLE_STATE, REMEMBER_COOKIE, hashSecret, rememberKey } from "../../src/web/auth/remember-token";
import { createApp } from "../../src/web/app";
import { Browser, createTestConsole, type TestConsole } from "../support/web";

const PASSWORD = "right horse battery";
const ACME = { users: [{ username: "ann", password: PASSWORD, role: "operator" as const }] };

describe("login remember me", () => {
  let t: TestConsole;
  /** The app the browser talks to; replaced to simulate a restart (a fresh, empty session store). */
  let app: { handle(request: Request): Promise<Response> };
  const restart = () => {
    app = createApp({ db: t.db, dispatcher: t.dispatcher, settings: { alias: "" }, version: "0.0.0-test", clock: t.clock });
  };
  const browser = () => new Browser({ handle: (r) => app.handle(r) });
  const rememberedLogin = async () => {
    const b = browser();
    await b.get("/login");
    const res = await b.post("/login", { client: "acme", username: "ann", password: PASSWORD, remember: "on" });
    expect(res.status).toBe(303);
    return { b, res };
  };
  const stored = async () => (await t.db.getState("acme", CONSOLE_STATE, rememberKey("ann"))) as Array<Record<string, string>> | undefined;

  beforeEach(async () => {
    t = await createTestConsole({ clients: { acme: ACME } });
    app = t.app;
  });
  afterEach(() => t.close());

  describe("when the box is ticked", () => {
    it("sets a 30-day HttpOnly, SameSite cookie and stores only a SHA-256 of its secret", async () => {
      const { res } = await rememberedLogin();
      const line = res.headers.getSetCookie().find((c) => c.startsWith(`${REMEMBER_COOKIE}=`))!;
      expect(line).toContain("HttpOnly");
      expect(line).toContain("SameSite=Lax");
      expect(line).toContain(`Max-Age=${30 * 24 * 60 * 60}`);
      const secret = line.split(";")[0]!.split(".").pop()!;
      const records = (await stored())!;
      expect(records).toHaveLength(1);
      expect(records[0]!.hash).toBe(hashSecret(secret));
      expect(JSON.stringify(records)).not.toContain(secret);
      expect(Object.keys(records[0]!).sort()).toEqual(["created_at", "expires_at", "hash", "id"]);
    });

    it("keeps the user logged in after the session store is gone, and rotates the token", async () => {
      const { b } = await rememberedLogin();
      const before = (await stored())![0]!.id;
      restart();
      const home = await b.get("/");
      expect(home.status).toBe(200);
      expect(home.text).toContain("acme / ann (operator)");
      expect(home.headers.getSetCookie().some((c) => c.startsWith("databus_session="))).toBe(true);
      const after = (await stored())!;
      expect(after).toHaveLength(1);
      expect(after[0]!.id).not.toBe(before);
      restart();
      expect((await b.get("/")).status).toBe(200);
    });

    it("refuses an old token once it has been rotated away (after the grace minute)", async () => {
      const { b } = await rememberedLogin();
      const oldCookie = b.cookieLine().split("; ").find((c) => c.startsWith(REMEMBER_COOKIE))!;
      restart();
      await b.get("/");
      t.clock.advance(2 * 60 * 1000);
      restart();
      const replay = await app.handle(new Request("http://localhost/", { headers: { cookie: oldCookie } }));
      expect(replay.status).toBe(303);
      expect(replay.headers.get("location")).toBe("/login");
    });

    it("lets two requests that arrive together with the same cookie share one new session", async () => {
      const { b } = await rememberedLogin();
      const cookie = b.cookieLine().split("; ").find((c) => c.startsWith(REMEMBER_COOKIE))!;
      restart();
      const send = () => app.handle(new Request("http://localhost/", { headers: { cookie } }));
      const [one, two] = await Promise.all([send(), send()]);
      expect([one.status, two.status]).toEqual([200, 200]);
      const sessionOf = (r: Response) => r.headers.getSetCookie().find((c) => c.startsWith("databus_session="))!.split(";")[0];
      expect(sessionOf(one)).toBe(sessionOf(two));
      expect(await stored()).toHaveLength(1);
    });

    it("stops working after 30 days", async () => {
      const { b } = await rememberedLogin();
      t.clock.advance(31 * 24 * 60 * 60 * 1000);
      restart();
      expect((await b.get("/")).headers.get("location")).toBe("/login");
    });
  });

  describe("when the box is not ticked", () => {
    it("issues no token, so a restart logs the user out", async () => {
      const b = browser();
      await b.login("acme", "ann", PASSWORD);
      expect(b.hasCookie(REMEMBER_COOKIE)).toBe(false);
      expect(await stored()).toBeUndefined();
      restart();
      expect((await b.get("/")).headers.get("location")).toBe("/login");
    });
  });

  describe("when the cookie is forged or tampered with", () => {
    it("opens nothing", async () => {
      const { b } = await rememberedLogin();
      const real = b.cookieLine().split("; ").find((c) => c.startsWith(REMEMBER_COOKIE))!;
      restart();
      for (const cookie of [real.slice(0, -3) + "AAA", `${REMEMBER_COOKIE}=acme.YW5u.x.y`, `${REMEMBER_COOKIE}=<script>`]) {
        const res = await app.handle(new Request("http://localhost/", { headers: { cookie } }));
        expect(res.headers.get("location")).toBe("/login");
      }
    });
  });

  describe("when logging out", () => {
    it("revokes the token server-side and clears the cookie", async () => {
      const { b } = await rememberedLogin();
      const cookie = b.cookieLine().split("; ").find((c) => c.startsWith(REMEMBER_COOKIE))!;
      await b.get("/");
      const res = await b.post("/logout", {});
      expect(res.headers.getSetCookie().some((c) => c.startsWith(`${REMEMBER_COOKIE}=;`) && c.includes("Max-Age=0"))).toBe(true);
      expect(await stored()).toBeUndefined();
      restart();
      const replay = await app.handle(new Request("http://localhost/", { headers: { cookie } }));
      expect(replay.headers.get("location")).toBe("/login");
    });
  });

  describe("when the user is deleted from the config", () => {
    it("no longer lets the token in", async () => {
      const { b } = await rememberedLogin();
      await t.db.putUser("acme", { username: "boss", role: "administrator", password_hash: (await t.db.listUsers("acme"))[0]!.password_hash });
      await t.db.deleteUser("acme", "ann");
      restart();
      expect((await b.get("/")).headers.get("location")).toBe("/login");
    });
  });
});

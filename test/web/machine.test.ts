/** Machine endpoints: /healthz (alive) and /readyz (storage answers, dispatcher not stopping). */
import { afterEach, beforeEach, describe, expect, it } from "bun:test";
import { Database } from "../../src/storage/database";
import { createTestConsole, type TestConsole } from "../support/web";

describe("machine endpoints", () => {
  let t: TestConsole;
  beforeEach(async () => {
    t = await createTestConsole({ clients: { acme: {} } });
  });
  afterEach(() => t.close());

  const get = (path: string) => t.app.handle(new Request(`http://localhost${path}`));

  describe("when the process is up", () => {
    it("answers /healthz with 200 ok, without a login", async () => {
      const res = await get("/healthz");
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("ok");
      expect(res.headers.get("content-type")).toStartWith("text/plain");
    });
  });

  describe("when storage answers and the dispatcher runs", () => {
    it("answers /readyz with 200", async () => {
      for (const state of ["running", "idle", "paused"] as const) {
        t.dispatcher.state = state;
        const res = await get("/readyz");
        expect(res.status).toBe(200);
        expect(await res.text()).toBe("ready");
      }
    });
  });

  describe("when the dispatcher is stopping or stopped", () => {
    it("answers /readyz with 503 and says why", async () => {
      for (const state of ["stopping", "stopped"] as const) {
        t.dispatcher.state = state;
        const res = await get("/readyz");
        expect(res.status).toBe(503);
        expect(await res.text()).toBe(`not ready: the dispatcher is ${state}`);
      }
    });
  });

  describe("when storage does not answer", () => {
    it("answers /readyz with 503 and keeps the reason out of the answer", async () => {
      const broken = Object.create(t.db) as Database;
      broken.listClients = async () => {
        throw new Error("connection refused by 10.0.0.7");
      };
      const c = await createTestConsole({ clients: {}, db: broken });
      const errors: unknown[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => void errors.push(args);
      try {
        const res = await c.app.handle(new Request("http://localhost/readyz"));
        expect(res.status).toBe(503);
        const text = await res.text();
        expect(text).toBe("not ready: storage is not reachable");
        expect(text).not.toContain("10.0.0.7");
        expect(errors.length).toBe(1);
      } finally {
        console.error = original;
      }
    });
  });
});

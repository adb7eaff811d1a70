/**
 * databus/mail/imap_puller against a real Dovecot on loopback: what a pull yields, that pulling
 * leaves the mailbox as it was, dedupe across two real pipeline runs, and a malformed mail.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Clock } from "../../../../src/core/clock";
import { Dispatcher } from "../../../../src/dispatcher/dispatcher";
import Email from "../../../../src/drivers/mail/email";
import ImapPuller from "../../../../src/drivers/mail/puller-imap";
import { PluginRegistry } from "../../../../src/plugins/registry";
import { Pusher } from "../../../../src/sdk/index";
import { createJsonDatabase } from "../../../../src/storage/json/index";
import { attachmentPart, buildMessage, openMailbox, startDovecot, type Dovecot } from "../../../support/mail-servers";
import { fakeContext } from "../fake-context";

const USERS = { pull: "pw-pull", dedupe: "pw-dedupe", broken: "pw-broken" };
let dovecot: Dovecot;

beforeAll(async () => {
  dovecot = await startDovecot({ users: USERS });
}, 30_000);
afterAll(async () => {
  await dovecot?.stop();
});

const options = (user: keyof typeof USERS, extra: Record<string, unknown> = {}) => ({
  host: dovecot.host, port: dovecot.port, tls: false, user, password: USERS[user], ...extra,
});

async function deliver(user: keyof typeof USERS, ...messages: string[]): Promise<void> {
  const imap = await openMailbox(dovecot, user, USERS[user]);
  try {
    for (const m of messages) await imap.append("INBOX", m);
  } finally {
    await imap.logout();
  }
}

async function unseenCount(user: keyof typeof USERS): Promise<number> {
  const imap = await openMailbox(dovecot, user, USERS[user]);
  try {
    const status = await imap.status("INBOX", { unseen: true });
    return status ? (status.unseen ?? -1) : -1;
  } finally {
    await imap.logout();
  }
}

const XLSX = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]);

describe("databus/mail/imap_puller", () => {
  describe("when the inbox holds a mail with text, HTML and two files", () => {
    it("pulls it as an Email with header data, body attachments and each file with its media type", async () => {
      await deliver("pull", buildMessage({
        id: "order-1@shop.test", subject: "Order 1", from: "Shop <orders@shop.test>", to: "pull@example.test, Boss <boss@example.test>",
        text: "Please find the order.", html: "<p>Please find the <b>order</b>.</p>",
        parts: [attachmentPart("order.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", XLSX), attachmentPart("../../terms.pdf", "application/pdf", new Uint8Array([37, 80, 68, 70]))],
      }));
      const ctx = fakeContext({ driver: "databus/mail/imap_puller", options: options("pull") });
      const [mail, ...rest] = await new ImapPuller().pull(ctx);
      expect(rest).toHaveLength(0);
      expect(mail).toBeInstanceOf(Email);
      expect(mail!.external_id).toBe("order-1@shop.test");
      expect(mail!.source_system).toBe(`imap://pull@${dovecot.host}`);
      expect(mail!.payload).toMatchObject({
        account: `pull@${dovecot.host}`, folder: "INBOX", message_id: "order-1@shop.test", subject: "Order 1",
        from: '"Shop" <orders@shop.test>', to: ["pull@example.test", "Boss <boss@example.test>"], cc: [], date: "2026-01-05T10:00:00.000Z",
      });
      expect(mail!.bodyText().trim()).toBe("Please find the order.");
      expect(mail!.bodyHtml()).toContain("<b>order</b>");
      expect(mail!.attachments.map((a) => [a.name, a.media_type])).toEqual([
        ["_body.txt", "text/plain"],
        ["_body.html", "text/html"],
        ["order.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"],
        ["terms.pdf", "application/pdf"],
      ]);
      expect(mail!.excelAttachments().map((a) => [...(a.content as Uint8Array)])).toEqual([[...XLSX]]);
    });

    it("leaves the mail unseen in the inbox (pulling reads with PEEK), and peek shows the same", async () => {
      expect(await unseenCount("pull")).toBe(1);
      const ctx = fakeContext({ driver: "databus/mail/imap_puller", options: options("pull") });
      expect((await new ImapPuller().peek(ctx)).map((m) => m.external_id)).toEqual(["order-1@shop.test"]);
      expect(await unseenCount("pull")).toBe(1);
    });
  });

  describe("when one mail of three is not a mail at all", () => {
    it("logs it, pulls the two others, and leaves the broken one in the mailbox for the next run", async () => {
      await deliver("broken", buildMessage({ id: "ok-1@test", subject: "one" }), "this is not a header\r\nnor this\r\n\r\nbody\r\n", buildMessage({ id: "ok-2@test", subject: "two" }));
      const ctx = fakeContext({ driver: "databus/mail/imap_puller", options: options("broken", { on_seated: "mark_seen" }) });
      const puller = new ImapPuller();
      const mails = await puller.pull(ctx);
      expect(mails.map((m) => m.external_id)).toEqual(["ok-1@test", "ok-2@test"]);
      const errors = ctx.lines.filter((l) => l.level === "error").map((l) => l.message);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain("UID 2 in INBOX");
      expect(errors[0]).toContain("neither a From nor a Date header");
      await puller.notifySeated(mails, ctx);
      expect(await unseenCount("broken")).toBe(1);
      expect((await puller.pull(ctx)).length).toBe(0); // the two are seen now; the broken one is logged again
      expect(ctx.lines.filter((l) => l.level === "error")).toHaveLength(2);
    });
  });

  describe("when the real pipeline runs twice over the same unseen mails", () => {
    const delivered: string[] = [];
    class RecordingPusher extends Pusher<Email> {
      push(p: Email) {
        delivered.push(p.external_id);
      }
    }

    it("seats and delivers each mail once (dedupe by Message-ID), and notify leaves them as configured", async () => {
      await deliver("dedupe", buildMessage({ id: "d-1@test", subject: "a" }), buildMessage({ id: "d-2@test", subject: "b" }));
      const dir = await mkdtemp(join(tmpdir(), "databus-mail-dedupe-"));
      let now = Date.parse("2026-01-01T00:00:00Z");
      const clock: Clock = { now: () => now };
      const db = createJsonDatabase(join(dir, "data"), { clock });
      await db.open();
      // on_seated "none": the mails stay unseen, so the second run finds them again.
      const puller = { name: "databus/mail/imap_puller", options: options("dedupe", { on_seated: "none" }) };
      await db.createClient("acme", JSON.stringify({ passengers: [{ name: "databus/mail/email", pullers: [puller], pushers: ["test/recording"], sync_frequency: "1m" }] }));
      const registry = new PluginRegistry();
      for (const [name, kind, cls] of [["databus/mail/email", "passenger", Email], ["databus/mail/imap_puller", "puller", ImapPuller], ["test/recording", "pusher", RecordingPusher]] as const)
        registry.set({ status: "loaded", name, kind, file: null, cls: cls as never });
      const d = new Dispatcher({ db, registry, clock, home: dir, tickMs: 3_600_000, concurrency: 2, graceMs: 1000 });
      try {
        d.start();
        await d.idle();
        now += 61_000;
        await d.tick();
        await d.idle();
        expect((await db.listEntries("acme", {}, { offset: 0, limit: 10 })).total).toBe(2);
        expect(await db.countEntries("acme")).toEqual({ pending: 0, failed: 0, dead: 0, complete: 2 });
        expect(delivered.sort()).toEqual(["d-1@test", "d-2@test"]);
        const logs = await db.listLogs("acme", {}, { offset: 0, limit: 10 });
        expect(logs.total).toBe(2);
        expect(logs.logs.map((l) => l.counts?.seated).sort()).toEqual([0, 2]);
        expect(await unseenCount("dedupe")).toBe(2);
      } finally {
        await d.shutdown();
        await db.close();
        await rm(dir, { recursive: true, force: true });
      }
    }, 30_000);
  });
});

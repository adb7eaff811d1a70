/**
 * Plugins that extend built-in drivers through "databus/mail" and "databus/files", loaded from a
 * real home as users write them: an IMAP puller subclass pulling from a real Dovecot into the
 * plugin's own Email type, and two folder puller subclasses giving one client two definitions.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "bun:test";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Clock } from "../../../src/core/clock";
import { Dispatcher } from "../../../src/dispatcher/dispatcher";
import Document from "../../../src/drivers/files/passenger-document";
import FolderPuller from "../../../src/drivers/files/puller-folder";
import Email from "../../../src/drivers/mail/email";
import ImapPuller from "../../../src/drivers/mail/puller-imap";
import { loadPlugins, reloadPlugin } from "../../../src/plugins/load";
import type { PluginRegistry } from "../../../src/plugins/registry";
import type { Passenger, Puller } from "../../../src/sdk/index";
import type { Database } from "../../../src/storage/database";
import { createJsonDatabase } from "../../../src/storage/json/index";
import { buildMessage, openMailbox, startDovecot, type Dovecot } from "../../support/mail-servers";
import { createTempHome, type TempHome } from "../../support/temp-home";
import { fakeContext } from "../drivers/fake-context";

async function writePlugins(home: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    const file = join(home, "plugins", path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, text);
  }
}

function loaded(registry: PluginRegistry, name: string) {
  const r = registry.get(name);
  if (r?.status !== "loaded") throw new Error(`${name} did not load: ${r?.status === "broken" ? r.error.message : "missing"}`);
  return r;
}

/** A dispatcher over a json store in the home, with one client; runs once per call of `run`. */
async function pipeline(t: TempHome, registry: PluginRegistry, config: unknown) {
  let now = Date.parse("2026-06-01T09:00:00Z");
  const clock: Clock = { now: () => now };
  const db: Database = createJsonDatabase(t.dataDir, { clock });
  await db.open();
  await db.createClient("acme", JSON.stringify(config));
  const d = new Dispatcher({ db, registry, clock, home: t.home, tickMs: 3_600_000, concurrency: 2, graceMs: 1000, random: () => 0 });
  let started = false;
  return {
    db,
    async run() {
      if (started) {
        now += 61_000;
        await d.tick();
      } else {
        d.start();
        started = true;
      }
      await d.idle();
    },
    async close() {
      await d.shutdown();
      await db.close();
    },
  };
}

describe("a plugin extending databus/mail's ImapPuller", () => {
  const PASSWORD = "pw-orders";
  let dovecot: Dovecot;
  let t: TempHome;
  let registry: PluginRegistry;

  beforeAll(async () => {
    dovecot = await startDovecot({ users: { orders: PASSWORD } });
    t = await createTempHome("databus-extend-mail-");
    await writePlugins(t.home, {
      "acme/order_mail.ts": `import { Email } from "databus/mail";
export default class OrderMail extends Email {
  shout(): string { return this.payload.subject.toUpperCase(); }
}
`,
      // Server and user in code; the password and on_seated come from the client config.
      "acme/order_inbox.ts": `import { ImapPuller, type ImapPullerOptions } from "databus/mail";
import OrderMail from "./order_mail";
export default class OrderInbox extends ImapPuller<OrderMail> {
  passengerClass = OrderMail;
  options: ImapPullerOptions = { host: "${dovecot.host}", port: ${dovecot.port}, tls: false, user: "orders", on_seated: "none" };
}
`,
      "acme/outbox.ts": `import { FolderPusher } from "databus/files";
export default class Outbox extends FolderPusher {
  options = { folder: "out", create_folder: true };
}
`,
    });
    registry = await loadPlugins(t.home);
  }, 30_000);
  afterAll(async () => {
    await dovecot?.stop();
    await t?.cleanup();
  });

  async function deliver(...messages: string[]): Promise<void> {
    const imap = await openMailbox(dovecot, "orders", PASSWORD);
    try {
      for (const m of messages) await imap.append("INBOX", m);
    } finally {
      await imap.logout();
    }
  }

  describe("when the home is loaded", () => {
    it("registers the subclasses with their kinds, as subclasses of the host's own driver classes", () => {
      const inbox = loaded(registry, "acme/order_inbox");
      const mail = loaded(registry, "acme/order_mail");
      expect([inbox.kind, mail.kind, loaded(registry, "acme/outbox").kind]).toEqual(["puller", "passenger", "pusher"]);
      expect(inbox.cls.prototype).toBeInstanceOf(ImapPuller);
      expect(mail.cls.prototype).toBeInstanceOf(Email);
    });
  });

  describe("when it pulls from the real mailbox with the password from the config", () => {
    it("yields the plugin's own Email type, with its own methods and Email's helpers", async () => {
      await deliver(buildMessage({ id: "order-7@shop.test", subject: "Order 7", text: "seven" }));
      const OrderMail = loaded(registry, "acme/order_mail").cls;
      const puller = new (loaded(registry, "acme/order_inbox").cls)() as Puller<Email & { shout(): string }>;
      const [mail, ...rest] = (await puller.pull(fakeContext({ driver: "acme/order_inbox", options: { password: PASSWORD } }))) as (Email & { shout(): string })[];
      expect(rest).toHaveLength(0);
      expect(mail).toBeInstanceOf(OrderMail);
      expect(mail!.shout()).toBe("ORDER 7");
      expect(mail!.bodyText().trim()).toBe("seven");
      expect(mail!.payload.account).toBe(`orders@${dovecot.host}`);
    });
  });

  describe("when a client's definition is named after the plugin's passenger type", () => {
    it("seats and delivers the mails as that type, and the config overrides the code's on_seated", async () => {
      const run = await pipeline(t, registry, {
        passengers: [{
          name: "acme/order_mail",
          pullers: [{ name: "acme/order_inbox", options: { password: PASSWORD, on_seated: "mark_seen" } }],
          pushers: ["acme/outbox"],
          sync_frequency: "1m",
        }],
      });
      try {
        await run.run();
        const { entries } = await run.db.listEntries("acme", {}, { offset: 0, limit: 10 });
        expect(entries.map((e) => [e.passenger.type, e.passenger.external_id])).toEqual([["acme/order_mail", "order-7@shop.test"]]);
        expect(await run.db.countEntries("acme")).toMatchObject({ complete: 1, failed: 0, dead: 0 });
        const [written] = await readdir(join(t.home, "out"));
        expect(JSON.parse(await readFile(join(t.home, "out", written!), "utf8"))).toMatchObject({ type: "acme/order_mail", payload: { subject: "Order 7" } });
        const imap = await openMailbox(dovecot, "orders", PASSWORD);
        try {
          const status = await imap.status("INBOX", { unseen: true });
          expect(status ? status.unseen : "no status").toBe(0);
        } finally {
          await imap.logout();
        }
      } finally {
        await run.close();
      }
    }, 30_000);
  });
});

describe("two plugins extending databus/files' FolderPuller", () => {
  let t: TempHome;
  let registry: PluginRegistry;
  const CONFIG = {
    passengers: [
      {
        name: "acme/invoice",
        pullers: ["acme/invoice_folder"],
        pushers: [{ name: "databus/files/folder_pusher", options: { folder: "out/invoices", create_folder: true } }],
        sync_frequency: "1m",
      },
      {
        name: "acme/receipt",
        // The code says in/receipts; this client keeps its receipts elsewhere.
        pullers: [{ name: "acme/receipt_folder", options: { folder: "scans" } }],
        pushers: [{ name: "databus/files/folder_pusher", options: { folder: "out/receipts", create_folder: true, write: "attachments", naming: "original" } }],
        sync_frequency: "1m",
      },
    ],
  };

  beforeEach(async () => {
    t = await createTempHome("databus-extend-files-");
    await writePlugins(t.home, {
      "acme/invoice.ts": `import { Document } from "databus/files";
export default class Invoice extends Document<{ number: string; total: number }> {}
`,
      "acme/receipt.ts": `import { Document, type FileFacts } from "databus/files";
export default class Receipt extends Document<FileFacts> {}
`,
      "acme/invoice_folder.ts": `import { FolderPuller } from "databus/files";
import Invoice from "./invoice";
export default class InvoiceFolder extends FolderPuller<Invoice> {
  passengerClass = Invoice;
  options = { folder: "in/invoices" };
}
`,
      "acme/receipt_folder.ts": `import { FolderPuller, type FolderPullerOptions } from "databus/files";
import Receipt from "./receipt";
export default class ReceiptFolder extends FolderPuller<Receipt> {
  passengerClass = Receipt;
  options: FolderPullerOptions = { folder: "in/receipts", read_as: "attachment", patterns: ["*.pdf"] };
}
`,
    });
    for (const dir of ["in/invoices", "scans"]) await mkdir(join(t.home, dir), { recursive: true });
    await writeFile(join(t.home, "in/invoices/inv-1.json"), JSON.stringify({ number: "INV-1", total: 10 }));
    await writeFile(join(t.home, "scans/r-1.pdf"), "%PDF-1.4 receipt");
    await writeFile(join(t.home, "scans/ignored.json"), "{}");
    registry = await loadPlugins(t.home);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  describe("when one client has a definition for each passenger type", () => {
    it("runs both side by side, each puller yielding its own type with its own options", async () => {
      expect(loaded(registry, "acme/invoice_folder").cls.prototype).toBeInstanceOf(FolderPuller);
      expect(loaded(registry, "acme/receipt").cls.prototype).toBeInstanceOf(Document);
      const run = await pipeline(t, registry, CONFIG);
      try {
        await run.run();
        expect(await run.db.countEntries("acme")).toMatchObject({ complete: 2, failed: 0, dead: 0 });
        const { entries } = await run.db.listEntries("acme", {}, { offset: 0, limit: 10 });
        expect(entries.map((e) => [e.passenger.type, e.passenger.external_id]).sort()).toEqual([["acme/invoice", "inv-1.json"], ["acme/receipt", "r-1.pdf"]]);
        const [invoiceFile] = await readdir(join(t.home, "out/invoices"));
        expect(JSON.parse(await readFile(join(t.home, "out/invoices", invoiceFile!), "utf8"))).toMatchObject({ type: "acme/invoice", payload: { number: "INV-1", total: 10 } });
        expect(await readFile(join(t.home, "out/receipts/r-1.pdf"), "utf8")).toBe("%PDF-1.4 receipt");
        expect((await readdir(join(t.home, "scans"))).sort()).toEqual(["done", "ignored.json"]);
      } finally {
        await run.close();
      }
    });
  });

  describe("when a subclass's file changes", () => {
    it("is re-bundled with the driver modules left to the host, so it still extends the host's FolderPuller", async () => {
      const file = join(t.home, "plugins/acme/receipt_folder.ts");
      await writeFile(file, (await readFile(file, "utf8")).replace(`patterns: ["*.pdf"]`, `patterns: ["*.json"]`));
      const record = await reloadPlugin(t.home, file, registry);
      expect(record?.status).toBe("loaded");
      const puller = new (loaded(registry, "acme/receipt_folder").cls)() as Puller;
      expect(puller).toBeInstanceOf(FolderPuller);
      const peeked = (await puller.peek!(fakeContext({ home: t.home, driver: "acme/receipt_folder", options: { folder: "scans" } }))) as Passenger[];
      expect(peeked.map((p) => p.external_id)).toEqual(["ignored.json"]);
    });
  });

  describe("when a plugin imports a driver module that does not exist", () => {
    it("is reported broken, naming the module, and the others still load", async () => {
      await writePlugins(t.home, { "acme/typo.ts": `import { FolderPuler } from "databus/file";\nexport default class Typo extends FolderPuler {}\n` });
      const again = await loadPlugins(t.home);
      const typo = again.get("acme/typo");
      expect(typo?.status).toBe("broken");
      expect(typo?.status === "broken" && typo.error.message).toBe(
        `Plugin plugins/acme/typo.ts, line 1 could not be loaded: it imports "databus/file", which Databus does not provide; plugins may import "databus", "databus/mail", "databus/files", "databus/http".`,
      );
      expect(again.get("acme/invoice_folder")?.status).toBe("loaded");
    });
  });
});

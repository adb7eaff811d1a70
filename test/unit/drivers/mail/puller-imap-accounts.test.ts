/**
 * databus/mail/imap_accounts_puller on a real Dovecot: several mailboxes in one definition, each
 * mail remembering its account, notifications landing in the right mailbox, one bad mailbox not
 * holding back the others.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import ImapAccountsPuller from "../../../../src/drivers/mail/puller-imap-accounts";
import { buildMessage, openMailbox, startDovecot, type Dovecot } from "../../../support/mail-servers";
import { fakeContext } from "../fake-context";

const USERS = { anna: "pw-anna", ben: "pw-ben" };
let dovecot: Dovecot;

beforeAll(async () => {
  dovecot = await startDovecot({ users: USERS });
  for (const [user, pass] of Object.entries(USERS)) {
    const imap = await openMailbox(dovecot, user, pass);
    await imap.append("INBOX", buildMessage({ id: `${user}-only@test`, subject: `for ${user}` }));
    // The same mail sent to both: one passenger per mailbox, since each mailbox is its own source.
    await imap.append("INBOX", buildMessage({ id: "both@test", subject: "for both" }));
    await imap.logout();
  }
}, 30_000);
afterAll(async () => {
  await dovecot?.stop();
});

const accounts = (extra: Record<string, unknown>[] = []) => ({
  host: dovecot.host, port: dovecot.port, tls: false, // shared by every account
  accounts: [{ name: "anna", user: "anna", password: USERS.anna }, { name: "ben", user: "ben", password: USERS.ben }, ...extra],
});

async function unseenSubjects(user: keyof typeof USERS): Promise<string[]> {
  const imap = await openMailbox(dovecot, user, USERS[user]);
  try {
    const lock = await imap.getMailboxLock("INBOX");
    try {
      const out: string[] = [];
      for await (const m of imap.fetch("1:*", { envelope: true, flags: true })) if (!m.flags?.has("\\Seen")) out.push(m.envelope?.subject ?? "");
      return out.sort();
    } finally {
      lock.release();
    }
  } finally {
    await imap.logout();
  }
}

describe("databus/mail/imap_accounts_puller", () => {
  describe("when two mailboxes are listed", () => {
    it("pulls both, each mail remembering its account, and marks each seen in its own mailbox", async () => {
      const ctx = fakeContext({ driver: "databus/mail/imap_accounts_puller", options: accounts() });
      const puller = new ImapAccountsPuller();
      const mails = await puller.pull(ctx);
      expect(mails.map((m) => `${m.payload.account}:${m.external_id}`).sort()).toEqual(["anna:anna-only@test", "anna:both@test", "ben:ben-only@test", "ben:both@test"]);
      expect(new Set(mails.map((m) => m.source_system))).toEqual(new Set([`imap://anna@${dovecot.host}`, `imap://ben@${dovecot.host}`]));

      // Only anna's are seated (say ben's were duplicates): ben's mailbox must stay untouched.
      await puller.notifySeated(mails.filter((m) => m.payload.account === "anna"), ctx);
      expect(await unseenSubjects("anna")).toEqual([]);
      expect(await unseenSubjects("ben")).toEqual(["for ben", "for both"]);
    });
  });

  describe("when a passenger's account is no longer in the options", () => {
    it("fails the notify with a message naming the account", async () => {
      const ctx = fakeContext({ driver: "databus/mail/imap_accounts_puller", options: accounts() });
      const puller = new ImapAccountsPuller();
      const ben = (await puller.pull(ctx)).filter((m) => m.payload.account === "ben");
      const annaOnly = fakeContext({ driver: "databus/mail/imap_accounts_puller", options: { ...accounts(), accounts: [accounts().accounts[0]] } });
      await expect(puller.notifySeated(ben, annaOnly)).rejects.toThrow("came from the mailbox ben, which databus/mail/imap_accounts_puller's options no longer list");
    });
  });

  describe("when the options hold no accounts list", () => {
    it("refuses to start, saying what to add", async () => {
      const ctx = fakeContext({ driver: "databus/mail/imap_accounts_puller", options: { host: "h", user: "u", password: "p" } });
      await expect(new ImapAccountsPuller().pull(ctx)).rejects.toThrow("databus/mail/imap_accounts_puller: give `accounts`, a list of mailboxes.");
    });
  });

  // Last: Dovecot slows down logins after a failure.
  describe("when one mailbox refuses the login", () => {
    it("logs that mailbox's error and still pulls the others", async () => {
      const ctx = fakeContext({ driver: "databus/mail/imap_accounts_puller", options: accounts([{ name: "ghost", user: "ghost", password: "nope" }]) });
      const mails = await new ImapAccountsPuller().pull(ctx);
      expect(mails.map((m) => m.payload.account).sort()).toEqual(["ben", "ben"]);
      const errors = ctx.lines.filter((l) => l.level === "error").map((l) => l.message);
      expect(errors).toEqual([`Mailbox ghost: The IMAP server 127.0.0.1:${dovecot.port} refused the login of ghost: wrong password, or the account is locked.`]);
    });
  });
});

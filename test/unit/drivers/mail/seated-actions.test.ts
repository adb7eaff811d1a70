/**
 * The on_seated actions of the IMAP pullers, each checked on a real Dovecot (and forward on a
 * real smtp-sink): mark seen, move, delete, forward, and a UIDVALIDITY change.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import ImapPuller from "../../../../src/drivers/mail/puller-imap";
import { buildMessage, openMailbox, startDovecot, startSmtpSink, type Dovecot, type SmtpSink } from "../../../support/mail-servers";
import { fakeContext } from "../fake-context";

const USERS = { seen: "pw-1", move: "pw-2", del: "pw-3", fwd: "pw-4", renumber: "pw-5" };
type User = keyof typeof USERS;
let dovecot: Dovecot;
let sink: SmtpSink;

beforeAll(async () => {
  [dovecot, sink] = await Promise.all([startDovecot({ users: USERS }), startSmtpSink()]);
}, 30_000);
afterAll(async () => {
  await Promise.all([dovecot?.stop(), sink?.stop()]);
});

const ctxFor = (user: User, extra: Record<string, unknown>) =>
  fakeContext({ driver: "databus/mail/imap_puller", options: { host: dovecot.host, port: dovecot.port, tls: false, user, password: USERS[user], ...extra } });

/** Delivers two mails, pulls them, and tells the puller they are seated. */
async function pullAndNotify(user: User, extra: Record<string, unknown>) {
  const imap = await openMailbox(dovecot, user, USERS[user]);
  await imap.append("INBOX", buildMessage({ id: `${user}-1@test`, subject: `${user} one` }));
  await imap.append("INBOX", buildMessage({ id: `${user}-2@test`, subject: `${user} two` }));
  await imap.logout();
  const ctx = ctxFor(user, extra);
  const puller = new ImapPuller();
  const mails = await puller.pull(ctx);
  expect(mails).toHaveLength(2);
  await puller.notifySeated(mails, ctx);
  return { puller, ctx, mails };
}

/** Folder → [subject, seen] of each mail in it. */
async function mailboxOf(user: User): Promise<Record<string, [string, boolean][]>> {
  const imap = await openMailbox(dovecot, user, USERS[user]);
  const out: Record<string, [string, boolean][]> = {};
  try {
    for (const folder of await imap.list()) {
      const lock = await imap.getMailboxLock(folder.path);
      try {
        out[folder.path] = [];
        if (imap.mailbox && imap.mailbox.exists > 0)
          for await (const m of imap.fetch("1:*", { envelope: true, flags: true })) out[folder.path]!.push([m.envelope?.subject ?? "", m.flags?.has("\\Seen") ?? false]);
      } finally {
        lock.release();
      }
    }
  } finally {
    await imap.logout();
  }
  return out;
}

describe("on_seated actions of the IMAP puller", () => {
  describe("when on_seated is mark_seen (the default)", () => {
    it("marks the seated mails seen, so the default search no longer finds them", async () => {
      const { puller, ctx } = await pullAndNotify("seen", {});
      expect(await mailboxOf("seen")).toEqual({ INBOX: [["seen one", true], ["seen two", true]] });
      expect(await puller.pull(ctx)).toHaveLength(0);
    });
  });

  describe("when on_seated is move", () => {
    it("moves them to move_to, creating the folder, and a second notify finds nothing left to move", async () => {
      const { puller, ctx, mails } = await pullAndNotify("move", { on_seated: "move", move_to: "Processed" });
      expect(await mailboxOf("move")).toEqual({ INBOX: [], Processed: [["move one", false], ["move two", false]] });
      await puller.notifySeated(mails, ctx); // a retried notify is harmless
      expect((await mailboxOf("move")).Processed).toHaveLength(2);
    });
  });

  describe("when on_seated is delete", () => {
    it("removes them from the mailbox", async () => {
      await pullAndNotify("del", { on_seated: "delete", search: { all: true } });
      expect(await mailboxOf("del")).toEqual({ INBOX: [] });
    });
  });

  describe("when on_seated is forward, then mark_seen", () => {
    it("sends each mail to forward_to through SMTP with the original attached, and marks it seen", async () => {
      await sink.clear();
      await pullAndNotify("fwd", {
        on_seated: ["forward", "mark_seen"], forward_to: "archive@example.test",
        smtp: { host: sink.host, port: sink.port, tls: false, from: "databus@example.test" },
      });
      const received = await sink.received();
      expect(received).toHaveLength(2);
      for (const raw of received) {
        expect(raw).toContain("X-Rcpt-Args: <archive@example.test>");
        expect(raw).toMatch(new RegExp(`Subject: Fwd: fwd (one|two)`));
        expect(raw).toContain("Content-Type: message/rfc822");
        expect(raw).toMatch(/Message-ID: <fwd-[12]@test>/); // the original, inside the attachment
      }
      expect(await mailboxOf("fwd")).toEqual({ INBOX: [["fwd one", true], ["fwd two", true]] });
    });
  });

  describe("when the mails' UIDs no longer hold (the folder's UIDVALIDITY changed)", () => {
    it("finds them by Message-ID instead", async () => {
      const imap = await openMailbox(dovecot, "renumber", USERS.renumber);
      await imap.append("INBOX", buildMessage({ id: "renumber-1@test", subject: "renumber one" }));
      await imap.logout();
      const ctx = ctxFor("renumber", {});
      const puller = new ImapPuller();
      const mails = await puller.pull(ctx);
      mails[0]!.payload.uid_validity = "1";
      mails[0]!.payload.uid = 999;
      await puller.notifySeated(mails, ctx);
      expect(await mailboxOf("renumber")).toEqual({ INBOX: [["renumber one", true]] });
    });
  });
});

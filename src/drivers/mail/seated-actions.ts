/**
 * What an IMAP puller does with mails once they are seated: forward, mark seen, move, delete, in
 * the order the account's `on_seated` lists them. Idempotent where the server allows: a mail
 * already moved or deleted by an earlier attempt is simply not found again. Forward is not
 * (a retry after a later action failed sends it again), as at-least-once allows.
 */
import type { ImapFlow } from "imapflow";
import type { PullContext } from "../../sdk/index";
import type Email from "./email";
import { withImap } from "./imap-session";
import type { ImapAccount } from "./mail-options";
import { sendMail } from "./smtp";

/** Applies the account's actions to `emails`, which all came from this account. */
export async function applySeatedActions(account: ImapAccount, emails: Email[], ctx: PullContext): Promise<void> {
  const actions = account.onSeated.filter((a) => a !== "none");
  if (actions.length === 0 || emails.length === 0) return;
  await withImap(account, ctx.signal, async (imap) => {
    for (const [folder, group] of groupBy(emails, (e) => e.payload.folder)) {
      const lock = await imap.getMailboxLock(folder);
      try {
        const uids = await findUids(imap, group);
        if (uids.length === 0) continue;
        if (uids.length < group.length) ctx.log.info(`${group.length - uids.length} of ${group.length} mails were no longer in ${folder} of ${account.name}.`);
        for (const action of actions) await apply(action, imap, account, uids, ctx);
      } finally {
        lock.release();
      }
    }
  });
}

async function apply(action: string, imap: ImapFlow, account: ImapAccount, uids: number[], ctx: PullContext): Promise<void> {
  const range = uids.join(",");
  switch (action) {
    case "forward":
      for (const uid of uids) await forward(imap, account, uid, ctx);
      return;
    case "mark_seen":
      await imap.messageFlagsAdd(range, ["\\Seen"], { uid: true });
      return;
    case "move":
      await ensureFolder(imap, account.moveTo!);
      await imap.messageMove(range, account.moveTo!, { uid: true });
      return;
    case "delete":
      await imap.messageDelete(range, { uid: true });
      return;
  }
}

/**
 * The mails' UIDs in the open folder. UIDs hold while UIDVALIDITY is unchanged; after the server
 * renumbered the folder, the Message-ID finds them instead.
 */
async function findUids(imap: ImapFlow, emails: Email[]): Promise<number[]> {
  const validity = String(imap.mailbox ? imap.mailbox.uidValidity : "");
  const out = new Set<number>();
  const byUid = emails.filter((e) => e.payload.uid_validity === validity);
  if (byUid.length > 0) {
    const present = await imap.search({ uid: byUid.map((e) => e.payload.uid).join(",") }, { uid: true });
    for (const uid of present || []) out.add(uid);
  }
  for (const e of emails.filter((m) => m.payload.uid_validity !== validity && m.payload.message_id)) {
    const found = await imap.search({ header: { "message-id": e.payload.message_id } }, { uid: true });
    for (const uid of found || []) out.add(uid);
  }
  return [...out].sort((a, b) => a - b);
}

/** Sends the original as a message/rfc822 attachment to `forward_to`, with `Fwd:` before its subject. */
async function forward(imap: ImapFlow, account: ImapAccount, uid: number, ctx: PullContext): Promise<void> {
  const msg = await imap.fetchOne(String(uid), { source: true, envelope: true }, { uid: true });
  if (!msg || !msg.source) return;
  const subject = msg.envelope?.subject ?? "";
  await sendMail(
    account.smtp!,
    {
      to: account.forwardTo,
      subject: `Fwd: ${subject}`,
      text: `Forwarded by Databus from the mailbox ${account.name}.`,
      attachments: [{ filename: "original.eml", content: msg.source, contentType: "message/rfc822" }],
    },
    ctx.signal,
  );
}

async function ensureFolder(imap: ImapFlow, folder: string): Promise<void> {
  const folders = await imap.list();
  if (!folders.some((f) => f.path === folder)) await imap.mailboxCreate(folder);
}

function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const i of items) out.set(key(i), [...(out.get(key(i)) ?? []), i]);
  return out;
}

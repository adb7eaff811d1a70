/**
 * `databus/mail/imap_puller`: pulls the mails of one IMAP folder that match a search as Email
 * passengers, and once they are seated does what `on_seated` says (mark seen, move, delete,
 * forward). Pulling never changes the mailbox (bodies are fetched with PEEK), so a crash before
 * seating loses nothing. A mail that cannot be read is logged and left where it is.
 *
 * Options (client config): host, port, tls (true | false | "starttls"), user, password |
 * password_file | access_token | access_token_file (XOAUTH2), folder ("INBOX"), search
 * ({"seen": false}), on_seated ("mark_seen", or a list of mark_seen, move, delete, forward, none),
 * move_to, forward_to, smtp {…} (for forward), timeout_seconds (30), max_messages (100), name.
 */
import { Puller, type PullContext } from "../../sdk/index";
import type Email from "./email";
import { withImap } from "./imap-session";
import { MailOptionError, readImapAccount, type ImapAccount } from "./mail-options";
import { parseMessage } from "./parse-message";
import { applySeatedActions } from "./seated-actions";

/** `databus/mail/imap_puller` */
export default class ImapPuller extends Puller<Email> {
  /** Whether the options must list `accounts` (the multi-account variant) or may describe one mailbox. */
  protected readonly requiresAccounts: boolean = false;

  async pull(ctx: PullContext): Promise<Email[]> {
    const accounts = await this.accounts(ctx);
    const out: Email[] = [];
    const failures: Error[] = [];
    for (const account of accounts) {
      try {
        out.push(...(await pullAccount(account, ctx)));
      } catch (e) {
        // One unreachable mailbox must not keep the others' mail back.
        if (accounts.length === 1) throw e;
        failures.push(e as Error);
        ctx.log.error(`Mailbox ${account.name}: ${(e as Error).message}`);
      }
    }
    if (failures.length === accounts.length && failures.length > 0) throw new Error(`No mailbox could be read; the first said: ${failures[0]!.message}`);
    return out;
  }

  /** Tells each mail's own mailbox (by the account it remembers) what to do with it. */
  override async notifySeated(passengers: Email[], ctx: PullContext): Promise<void> {
    const accounts = new Map((await this.accounts(ctx)).map((a) => [a.name, a]));
    const byAccount = new Map<string, Email[]>();
    for (const p of passengers) byAccount.set(p.payload.account, [...(byAccount.get(p.payload.account) ?? []), p]);
    for (const [name, emails] of byAccount) {
      const account = accounts.get(name);
      if (!account) throw new Error(`${emails.length} mails came from the mailbox ${name}, which ${ctx.driver}'s options no longer list; add it back or skip these entries.`);
      await applySeatedActions(account, emails, ctx);
    }
  }

  /** The same search as pull; nothing in the mailbox changes. */
  override async peek(ctx: PullContext): Promise<Email[]> {
    return this.pull(ctx);
  }

  /** The mailboxes this driver reads: `options.accounts` (each over the shared options), or the options themselves. */
  protected async accounts(ctx: PullContext): Promise<ImapAccount[]> {
    const { accounts, ...shared } = ctx.options as Record<string, unknown>;
    if (accounts === undefined) {
      if (this.requiresAccounts) throw new MailOptionError(`${ctx.driver}: give \`accounts\`, a list of mailboxes.`);
      return [await readImapAccount(shared, ctx.driver, ctx.files)];
    }
    if (!Array.isArray(accounts) || accounts.length === 0) throw new MailOptionError(`${ctx.driver}: \`accounts\` must be a non-empty list of mailboxes.`);
    const out: ImapAccount[] = [];
    for (const [i, a] of accounts.entries()) {
      if (typeof a !== "object" || a === null) throw new MailOptionError(`${ctx.driver}: accounts[${i}] must be an object.`);
      out.push(await readImapAccount({ ...shared, ...(a as Record<string, unknown>) }, `${ctx.driver} accounts[${i}]`, ctx.files));
    }
    const names = out.map((a) => a.name);
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) throw new MailOptionError(`${ctx.driver}: two accounts are called ${twice}; give each a distinct \`name\`.`);
    return out;
  }
}

/** The matching mails of one mailbox, oldest first, at most `max_messages`. */
async function pullAccount(account: ImapAccount, ctx: PullContext): Promise<Email[]> {
  const raw = await withImap(account, ctx.signal, async (imap) => {
    const lock = await imap.getMailboxLock(account.folder, { readOnly: true });
    try {
      const uids = ((await imap.search(account.search, { uid: true })) || []).sort((a, b) => a - b).slice(0, account.maxMessages);
      const uidValidity = String(imap.mailbox ? imap.mailbox.uidValidity : "");
      const found: { uid: number; source: Uint8Array }[] = [];
      if (uids.length === 0) return { uidValidity, found };
      // source is fetched as BODY.PEEK[]: reading a mail does not mark it seen.
      for await (const m of imap.fetch(uids.join(","), { uid: true, source: true }, { uid: true }))
        if (m.source) found.push({ uid: m.uid, source: m.source });
      return { uidValidity, found };
    } finally {
      lock.release();
    }
  });
  const out: Email[] = [];
  for (const { uid, source } of raw.found) {
    const origin = { account: account.name, sourceSystem: `imap://${account.user}@${account.host}`, folder: account.folder, uid, uidValidity: raw.uidValidity };
    const parsed = await parseMessage(source, origin);
    if (parsed.ok) out.push(parsed.email);
    else ctx.log.error(`The mail with UID ${uid} in ${account.folder} of ${account.name} cannot be read (${parsed.reason}); it stays in the mailbox and is tried again on the next run.`);
  }
  if (raw.found.length > 0) ctx.log.info(`Mailbox ${account.name}: ${out.length} mails pulled from ${account.folder}.`);
  return out;
}

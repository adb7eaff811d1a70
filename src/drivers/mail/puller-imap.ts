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
 *
 * Plugins extend it (`import { ImapPuller } from "databus/mail"`): `passengerClass` makes it pull
 * the plugin's own Email type, `options` gives option defaults in code that the config overrides.
 */
import { Puller, type PullContext } from "../../sdk/index";
import Email, { type EmailClass } from "./email";
import { withImap } from "./imap-session";
import { MailOptionError, readImapAccount, withCodeDefaults, type ImapAccount, type ImapPullerOptions } from "./mail-options";
import { parseMessage } from "./parse-message";
import { applySeatedActions } from "./seated-actions";

/**
 * `databus/mail/imap_puller`: the mails of one IMAP folder as Email passengers. Extend it to give a
 * mailbox its own passenger type and definition, with its settings in code or in the client config.
 *
 * @example
 * ```ts
 * import { ImapPuller, type ImapPullerOptions } from "databus/mail";
 * import OrderMail from "./order_mail"; // export default class OrderMail extends Email {}
 * export default class OrderInbox extends ImapPuller<OrderMail> {
 *   passengerClass = OrderMail;
 *   options: ImapPullerOptions = { host: "imap.example.com", user: "orders@example.com", password_file: "orders.secret" };
 * }
 * ```
 */
export default class ImapPuller<T extends Email = Email> extends Puller<T> {
  /** The passenger type it pulls: Email, or a subclass (name the definition after that type). */
  passengerClass: EmailClass<T> = Email as EmailClass as EmailClass<T>;
  /** Option defaults in code; the client config's options override them key by key. */
  options: ImapPullerOptions = {};
  /** Whether the options must list `accounts` (the multi-account variant) or may describe one mailbox. */
  protected readonly requiresAccounts: boolean = false;

  async pull(context: PullContext): Promise<T[]> {
    const ctx = withCodeDefaults(context, this.options);
    const accounts = await this.accounts(ctx);
    const out: T[] = [];
    const failures: Error[] = [];
    for (const account of accounts) {
      try {
        out.push(...(await pullAccount(account, ctx, this.passengerClass)));
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
  override async notifySeated(passengers: T[], context: PullContext): Promise<void> {
    const ctx = withCodeDefaults(context, this.options);
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
  override async peek(ctx: PullContext): Promise<T[]> {
    return this.pull(ctx);
  }

  /**
   * The mailboxes this driver reads: `options.accounts` (each over the shared options), or the
   * options themselves. `ctx` already holds the code defaults under the config's options.
   */
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
async function pullAccount<T extends Email>(account: ImapAccount, ctx: PullContext, passengerClass: EmailClass<T>): Promise<T[]> {
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
  const out: T[] = [];
  for (const { uid, source } of raw.found) {
    const origin = { account: account.name, sourceSystem: `imap://${account.user}@${account.host}`, folder: account.folder, uid, uidValidity: raw.uidValidity };
    const parsed = await parseMessage(source, origin, passengerClass);
    if (parsed.ok) out.push(parsed.email);
    else ctx.log.error(`The mail with UID ${uid} in ${account.folder} of ${account.name} cannot be read (${parsed.reason}); it stays in the mailbox and is tried again on the next run.`);
  }
  if (raw.found.length > 0) ctx.log.info(`Mailbox ${account.name}: ${out.length} mails pulled from ${account.folder}.`);
  return out;
}

/**
 * The options of the mail drivers (`ctx.options` from the client config), read into typed
 * settings. Every problem names the driver and the option, and never repeats a secret. Secrets
 * may sit in the client's files (`password_file`) instead of the config.
 */
import { UnrecoverableError, type ClientFiles, type StepContext } from "../../sdk/index";

export type SeatedAction = "mark_seen" | "move" | "delete" | "forward" | "none";
const ACTIONS: readonly SeatedAction[] = ["mark_seen", "move", "delete", "forward", "none"];

/** `true`: TLS from the first byte (993); `"starttls"`: upgrade, and refuse a server that cannot; `false`: cleartext. */
export type TlsMode = true | false | "starttls";

export interface SmtpSettings {
  host: string;
  port: number;
  tls: TlsMode;
  user?: string;
  password?: string;
  from: string;
  timeoutMs: number;
}

export interface ImapAccount {
  /** How passengers remember their mailbox: `name`, or `user@host`. */
  name: string;
  host: string;
  port: number;
  tls: TlsMode;
  user: string;
  password?: string;
  accessToken?: string;
  folder: string;
  /** An imapflow search query (`{ "seen": false, "from": "…" }`). */
  search: Record<string, unknown>;
  onSeated: SeatedAction[];
  moveTo?: string;
  forwardTo: string[];
  smtp?: SmtpSettings;
  timeoutMs: number;
  maxMessages: number;
}

/** Where a mail server is and how Databus logs in to it: what IMAP accounts and SMTP servers share. */
export interface MailServerOptions {
  host?: string;
  port?: number;
  tls?: TlsMode;
  user?: string;
  password?: string;
  /** A file of the client's files holding the password. */
  password_file?: string;
  timeout_seconds?: number;
}

/** One mailbox as a client config (or a subclass's `options`) writes it; see puller-imap.ts. */
export interface ImapAccountOptions extends MailServerOptions {
  /** An OAuth2 access token (XOAUTH2), instead of a password. */
  access_token?: string;
  access_token_file?: string;
  folder?: string;
  /** An imapflow search query; default `{ seen: false }`. */
  search?: Record<string, unknown>;
  on_seated?: SeatedAction | SeatedAction[];
  move_to?: string;
  forward_to?: string | string[];
  smtp?: SmtpOptions;
  max_messages?: number;
  /** What passengers remember as their mailbox; default `user@host`. */
  name?: string;
}

/** The options of `databus/mail/imap_puller` and `imap_accounts_puller`. */
export interface ImapPullerOptions extends ImapAccountOptions {
  /** Several mailboxes; the options beside `accounts` are their shared defaults. */
  accounts?: ImapAccountOptions[];
}

/** An SMTP server as options write it (the smtp_pusher's, or an IMAP account's `smtp`). */
export interface SmtpOptions extends MailServerOptions {
  from?: string;
}

/** The options of `databus/mail/smtp_pusher`. */
export interface SmtpPusherOptions extends SmtpOptions {
  to?: string | string[];
  cc?: string | string[];
  subject?: string;
}

export { withCodeDefaults } from "../shared/options";

/**
 * A config mistake, for the person who edits the config. Unrecoverable: retrying the same
 * options cannot help, so the entry waits until the config is fixed and someone chooses Retry.
 */
export class MailOptionError extends UnrecoverableError {}

type Raw = Readonly<Record<string, unknown>>;

/** Reads one mailbox. `where` names it in messages (`databus/mail/imap_puller`, `accounts[1]`). */
export async function readImapAccount(raw: Raw, where: string, files: ClientFiles): Promise<ImapAccount> {
  const o = new Reader(raw, where);
  const tls = o.tls();
  const host = o.text("host");
  const user = o.text("user");
  const password = await o.secret("password", files);
  const accessToken = await o.secret("access_token", files);
  if (password === undefined && accessToken === undefined)
    throw new MailOptionError(`${where}: give \`password\` (or \`password_file\`) or \`access_token\` (or \`access_token_file\`) for ${user}.`);
  const onSeated = o.list("on_seated", ["mark_seen"]).map((a) => {
    if (!ACTIONS.includes(a as SeatedAction)) throw new MailOptionError(`${where}: \`on_seated\` has ${JSON.stringify(a)}; use ${ACTIONS.join(", ")}.`);
    return a as SeatedAction;
  });
  const account: ImapAccount = {
    name: o.optionalText("name") ?? `${user}@${host}`,
    host,
    port: o.number("port", tls === true ? 993 : 143),
    tls,
    user,
    password,
    accessToken,
    folder: o.optionalText("folder") ?? "INBOX",
    search: o.object("search") ?? { seen: false },
    onSeated,
    moveTo: o.optionalText("move_to"),
    forwardTo: o.list("forward_to", []),
    timeoutMs: o.number("timeout_seconds", 30) * 1000,
    maxMessages: o.number("max_messages", 100),
  };
  if (onSeated.includes("move") && !account.moveTo) throw new MailOptionError(`${where}: \`on_seated\` says move, so give \`move_to\` (the folder).`);
  if (onSeated.includes("forward")) {
    if (account.forwardTo.length === 0) throw new MailOptionError(`${where}: \`on_seated\` says forward, so give \`forward_to\` (one address or a list).`);
    const smtp = o.object("smtp");
    if (!smtp) throw new MailOptionError(`${where}: \`on_seated\` says forward, so give \`smtp\` (the server that sends it).`);
    account.smtp = await readSmtp(smtp, `${where}.smtp`, files);
  }
  return account;
}

/** Reads SMTP settings (the smtp_pusher's options, or an IMAP account's `smtp`). */
export async function readSmtp(raw: Raw, where: string, files: ClientFiles): Promise<SmtpSettings> {
  const o = new Reader(raw, where);
  const tls = o.tls();
  const user = o.optionalText("user");
  const password = await o.secret("password", files);
  return {
    host: o.text("host"),
    port: o.number("port", tls === true ? 465 : 587),
    tls,
    user,
    password,
    from: o.optionalText("from") ?? user ?? "databus@localhost",
    timeoutMs: o.number("timeout_seconds", 30) * 1000,
  };
}

class Reader {
  constructor(
    private raw: Raw,
    private where: string,
  ) {}

  private fail(key: string, problem: string): never {
    throw new MailOptionError(`${this.where}: the option \`${key}\` ${problem}.`);
  }

  text(key: string): string {
    return this.optionalText(key) ?? this.fail(key, "is missing");
  }

  optionalText(key: string): string | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "string" || v.trim() === "") this.fail(key, "must be a non-empty text");
    return v.trim();
  }

  number(key: string, fallback: number): number {
    const v = this.raw[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) this.fail(key, "must be a positive number");
    return v;
  }

  list(key: string, fallback: string[]): string[] {
    const v = this.raw[key];
    if (v === undefined || v === null) return fallback;
    const items = Array.isArray(v) ? v : [v];
    if (!items.every((i) => typeof i === "string" && i.trim() !== "")) this.fail(key, "must be a text or a list of texts");
    return (items as string[]).map((i) => i.trim());
  }

  object(key: string): Record<string, unknown> | undefined {
    const v = this.raw[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "object" || Array.isArray(v)) this.fail(key, "must be an object");
    return v as Record<string, unknown>;
  }

  tls(): TlsMode {
    const v = this.raw.tls;
    if (v === undefined || v === null) return true;
    if (v === true || v === false || v === "starttls") return v;
    return this.fail("tls", 'must be true, false or "starttls"');
  }

  /** `key` itself, or `<key>_file` naming a file of the client's files (trimmed). */
  async secret(key: string, files: ClientFiles): Promise<string | undefined> {
    const direct = this.raw[key];
    if (typeof direct === "string" && direct !== "") return direct;
    if (direct !== undefined && direct !== null) this.fail(key, "must be a text");
    const file = this.optionalText(`${key}_file`);
    if (file === undefined) return undefined;
    try {
      return (await files.read(file)).trim();
    } catch {
      // The reader's own error may name paths; the config author needs the file name only.
      return this.fail(`${key}_file`, `names ${file}, which is not among the client's files`);
    }
  }
}

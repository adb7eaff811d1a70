/**
 * `databus/mail/imap_accounts_puller`: the IMAP puller over several mailboxes in one definition.
 * Options: `accounts`, a list of mailboxes (each with the imap_puller's options and a distinct
 * `name`); options beside `accounts` are shared defaults. Each mail remembers its account
 * (`payload.account`), so on_seated acts in the mailbox it came from; one mailbox failing does
 * not hold back the others.
 */
import type Email from "./email";
import ImapPuller from "./puller-imap";

/**
 * `databus/mail/imap_accounts_puller`: ImapPuller over the mailboxes listed in `accounts`.
 *
 * @example
 * ```ts
 * import { ImapAccountsPuller, type ImapPullerOptions } from "databus/mail";
 * export default class Shops extends ImapAccountsPuller {
 *   options: ImapPullerOptions = { host: "imap.example.com", accounts: [{ user: "a@example.com", password_file: "a.secret" }] };
 * }
 * ```
 */
export default class ImapAccountsPuller<T extends Email = Email> extends ImapPuller<T> {
  protected override readonly requiresAccounts = true;
}

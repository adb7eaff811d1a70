/**
 * `databus/mail/imap_accounts_puller`: the IMAP puller over several mailboxes in one definition.
 * Options: `accounts`, a list of mailboxes (each with the imap_puller's options and a distinct
 * `name`); options beside `accounts` are shared defaults. Each mail remembers its account
 * (`payload.account`), so on_seated acts in the mailbox it came from; one mailbox failing does
 * not hold back the others.
 */
import ImapPuller from "./puller-imap";

/** `databus/mail/imap_accounts_puller` */
export default class ImapAccountsPuller extends ImapPuller {
  protected override readonly requiresAccounts = true;
}

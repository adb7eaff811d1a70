// Must fail: a built-in driver subclass checks its passenger type and its options in code.
import { Document, FolderPuller, type FolderPullerOptions } from "databus/files";
import { Email, ImapPuller, type ImapPullerOptions } from "databus/mail";

class OrderMail extends Email {
  orderNumber(): string {
    return this.payload.subject;
  }
}

export class WrongClass extends ImapPuller<OrderMail> {
  // @ts-expect-error an IMAP puller of OrderMail cannot create plain Emails.
  override passengerClass = Email;
}

export class NotAnEmail extends ImapPuller<OrderMail> {
  // @ts-expect-error an IMAP puller creates Emails, not Documents.
  override passengerClass = Document;
}

export class Typo extends ImapPuller {
  // @ts-expect-error `on_seen` is not an option of the IMAP puller.
  override options: ImapPullerOptions = { host: "imap.example.com", on_seen: "move" };
}

export class WrongChoice extends FolderPuller {
  // @ts-expect-error read_as is "json" or "attachment".
  override options: FolderPullerOptions = { folder: "in", read_as: "csv" };
}

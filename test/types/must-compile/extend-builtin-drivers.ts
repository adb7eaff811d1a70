/// <reference path="../../../plugins/types/databus.d.ts" />
// Must compile: plugins extending the built-in drivers of "databus/mail", "databus/files" and
// "databus/http", with their own passenger types and option defaults in code.
import { Passenger, type PullContext } from "databus";
import { Document, FolderPuller, FolderPusher, type FileFacts, type FolderPullerOptions } from "databus/files";
import { Item, PollPuller, WebhookPusher, type PollPullerOptions } from "databus/http";
import { Email, ImapAccountsPuller, ImapPuller, SmtpPusher, type ImapPullerOptions, type SmtpPusherOptions } from "databus/mail";

export class OrderMail extends Email {
  orderNumber(): string {
    return /#(\d+)/.exec(this.payload.subject)?.[1] ?? this.bodyText().slice(0, 10);
  }
}

export class OrderInbox extends ImapPuller<OrderMail> {
  override passengerClass = OrderMail;
  override options: ImapPullerOptions = { host: "imap.example.com", tls: "starttls", on_seated: ["mark_seen", "move"], move_to: "Done" };

  override async pull(ctx: PullContext): Promise<OrderMail[]> {
    const mails = await super.pull(ctx);
    return mails.filter((m) => m.orderNumber() !== "" && m.excelAttachments().length > 0);
  }
}

export class Shops extends ImapAccountsPuller<OrderMail> {
  override passengerClass = OrderMail;
}

export class Scan extends Document<FileFacts> {}
export class ScanFolder extends FolderPuller<Scan> {
  override passengerClass = Scan;
  override options: FolderPullerOptions = { folder: "scans", read_as: "attachment", patterns: ["*.pdf"] };
}

// Any passenger type will do for the folder and poll pullers.
class Order extends Passenger<{ number: string }> {}
export class OrderFolder extends FolderPuller<Order> {
  override passengerClass = Order;
}

class Ticket extends Item<{ id: number; title: string }> {}
export class Tickets extends PollPuller<Ticket> {
  override passengerClass = Ticket;
  override options: PollPullerOptions = { url: "https://desk.example.com/api/tickets", items_path: "data", max_pages: 3 };
}

export class Archive extends FolderPusher {
  override options = { folder: "archive", create_folder: true };
}
export class Hook extends WebhookPusher {
  override options = { url: "https://erp.example.com/hook", secret_file: "erp.secret" };
}
export class Sender extends SmtpPusher {
  override options: SmtpPusherOptions = { host: "smtp.example.com", to: ["a@example.com"] };
}

export const defaults: Document = new Document({ external_id: "x", payload: { any: 1 } });

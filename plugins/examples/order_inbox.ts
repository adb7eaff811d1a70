/**
 * Example of extending a built-in driver: `databus/mail/imap_puller` with its settings in code,
 * pulling the orders mailbox as `examples/order_mail` passengers. The client config may add or
 * override any option (`{ "name": "examples/order_inbox", "options": { "folder": "Orders" } }`);
 * keep the password in the client's files (`password_file`), edited under Customizing.
 */
import { ImapPuller, type ImapPullerOptions } from "databus/mail";
import OrderMail from "./order_mail";

export default class OrderInbox extends ImapPuller<OrderMail> {
  override passengerClass = OrderMail;
  override options: ImapPullerOptions = {
    host: "imap.example.com",
    user: "orders@example.com",
    password_file: "orders-imap.secret",
    on_seated: ["mark_seen", "move"],
    move_to: "Archive",
  };
}

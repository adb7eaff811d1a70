/**
 * Example passenger type built on a built-in one: the mails of an orders mailbox, with every helper
 * of `Email` (`bodyText()`, `excelAttachments()`, `unzipAttachments()`, …). Its own type means its
 * own definition, beside other mailboxes' definitions in the same client:
 *   "passengers": [{ "name": "examples/order_mail", "pullers": ["examples/order_inbox"], … }]
 */
import { Email } from "databus/mail";

export default class OrderMail extends Email {}

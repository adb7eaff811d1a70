/**
 * The built-in drivers, by the name client configs use (`databus/demo/puller_1`). Imported
 * statically so `bun build --compile` embeds them; they are validated like user plugins.
 */
import BinaryPassenger from "../drivers/demo/binary_passenger";
import BinaryPuller from "../drivers/demo/binary_puller";
import BinaryPusher from "../drivers/demo/binary_pusher";
import Passenger1 from "../drivers/demo/passenger_1";
import Passenger2 from "../drivers/demo/passenger_2";
import Passenger3 from "../drivers/demo/passenger_3";
import Processor1 from "../drivers/demo/processor_1";
import Processor2 from "../drivers/demo/processor_2";
import Puller1 from "../drivers/demo/puller_1";
import Puller2 from "../drivers/demo/puller_2";
import Puller3 from "../drivers/demo/puller_3";
import Pusher1 from "../drivers/demo/pusher_1";
import Pusher2 from "../drivers/demo/pusher_2";
import Email from "../drivers/mail/email";
import ExcelFilter from "../drivers/mail/processor-excel-filter";
import ImapAccountsPuller from "../drivers/mail/puller-imap-accounts";
import ImapPuller from "../drivers/mail/puller-imap";
import SmtpPusher from "../drivers/mail/pusher-smtp";
import FilesDocument from "../drivers/files/passenger-document";
import FolderPuller from "../drivers/files/puller-folder";
import FolderPusher from "../drivers/files/pusher-folder";
import HttpItem from "../drivers/http/passenger-item";
import PollPuller from "../drivers/http/puller-poll";
import WebhookPusher from "../drivers/http/pusher-webhook";
import * as filesModule from "../drivers/files/index";
import * as httpModule from "../drivers/http/index";
import * as mailModule from "../drivers/mail/index";

export const BUILTIN_PREFIX = "databus/";

/** Name → the driver module's default export. */
export const BUILTIN_DRIVERS: Readonly<Record<string, unknown>> = {
  "databus/demo/passenger_1": Passenger1,
  "databus/demo/passenger_2": Passenger2,
  "databus/demo/passenger_3": Passenger3,
  "databus/demo/binary_passenger": BinaryPassenger,
  "databus/demo/puller_1": Puller1,
  "databus/demo/puller_2": Puller2,
  "databus/demo/puller_3": Puller3,
  "databus/demo/binary_puller": BinaryPuller,
  "databus/demo/processor_1": Processor1,
  "databus/demo/processor_2": Processor2,
  "databus/demo/pusher_1": Pusher1,
  "databus/demo/pusher_2": Pusher2,
  "databus/demo/binary_pusher": BinaryPusher,
  "databus/mail/email": Email,
  "databus/mail/imap_puller": ImapPuller,
  "databus/mail/imap_accounts_puller": ImapAccountsPuller,
  "databus/mail/excel_filter": ExcelFilter,
  "databus/mail/smtp_pusher": SmtpPusher,
  "databus/files/document": FilesDocument,
  "databus/files/folder_puller": FolderPuller,
  "databus/files/folder_pusher": FolderPusher,
  "databus/http/item": HttpItem,
  "databus/http/poll_puller": PollPuller,
  "databus/http/webhook_pusher": WebhookPusher,
};

/**
 * The modules plugins import to extend a built-in driver (`import { ImapPuller } from "databus/mail"`),
 * by specifier. They hold the very classes registered above, so `instanceof` holds across both.
 */
export const BUILTIN_MODULES: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  "databus/mail": mailModule,
  "databus/files": filesModule,
  "databus/http": httpModule,
};

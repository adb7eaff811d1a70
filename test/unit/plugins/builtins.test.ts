import { describe, expect, it } from "bun:test";
import { BUILTIN_DRIVERS } from "../../../src/plugins/builtins";
import { kindOfClass } from "../../../src/plugins/registry";

describe("BUILTIN_DRIVERS", () => {
  describe("when listed", () => {
    it("holds the demo set under databus/demo/ with the kind its name says", () => {
      const kinds = Object.fromEntries(Object.entries(BUILTIN_DRIVERS).map(([name, cls]) => [name, kindOfClass(cls)]));
      expect(kinds).toEqual({
        "databus/demo/passenger_1": "passenger",
        "databus/demo/passenger_2": "passenger",
        "databus/demo/passenger_3": "passenger",
        "databus/demo/binary_passenger": "passenger",
        "databus/demo/puller_1": "puller",
        "databus/demo/puller_2": "puller",
        "databus/demo/puller_3": "puller",
        "databus/demo/binary_puller": "puller",
        "databus/demo/processor_1": "processor",
        "databus/demo/processor_2": "processor",
        "databus/demo/pusher_1": "pusher",
        "databus/demo/pusher_2": "pusher",
        "databus/demo/binary_pusher": "pusher",
        "databus/files/document": "passenger",
        "databus/files/folder_puller": "puller",
        "databus/files/folder_pusher": "pusher",
        "databus/http/item": "passenger",
        "databus/http/poll_puller": "puller",
        "databus/http/webhook_pusher": "pusher",
        "databus/mail/email": "passenger",
        "databus/mail/imap_puller": "puller",
        "databus/mail/imap_accounts_puller": "puller",
        "databus/mail/excel_filter": "processor",
        "databus/mail/smtp_pusher": "pusher",
      });
    });
  });
});

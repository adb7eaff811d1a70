import { describe, expect, it } from "bun:test";
import ExcelFilter from "../../../../src/drivers/mail/processor-excel-filter";
import { isSkipDelivery, Passenger } from "../../../../src/sdk/index";
import { fakeContext } from "../fake-context";

describe("databus/mail/excel_filter", () => {
  it("lets a passenger with an Excel attachment through", () => {
    const p = new Passenger({ external_id: "1", attachments: [{ name: "_body.txt", content: "" }, { name: "stock.xlsx", content: new Uint8Array([1]) }] });
    expect(new ExcelFilter().process(p, fakeContext())).toBeUndefined();
  });

  it("skips delivery of one without, saying why", () => {
    const p = new Passenger({ external_id: "2", attachments: [{ name: "_body.txt", content: "see stock.xlsx" }, { name: "scan.pdf", content: "%PDF" }] });
    const result = new ExcelFilter().process(p, fakeContext());
    expect(isSkipDelivery(result)).toBe(true);
    expect(result).toEqual({ skipDelivery: true, reason: "it has no Excel attachment" });
  });
});

import { describe, expect, it } from "bun:test";
import { passengerDocument } from "../../../../src/drivers/shared/passenger-document";
import { Passenger } from "../../../../src/sdk/index";

describe("passengerDocument", () => {
  it("carries the passenger's identity, the idempotency key, the payload and the attachments as given", () => {
    const p = new Passenger({ external_id: "INV-7", source_system: "erp", payload: { total: 12 } });
    p.id = "0194f7a0-0000-7000-8000-000000000001";
    p.type = "acme/invoice";
    p.pulled_at = "2026-11-28T06:00:00.000Z";
    expect(passengerDocument(p, "key-1", ["a.pdf"])).toEqual({
      id: "0194f7a0-0000-7000-8000-000000000001",
      type: "acme/invoice",
      external_id: "INV-7",
      source_system: "erp",
      pulled_at: "2026-11-28T06:00:00.000Z",
      idempotency_key: "key-1",
      payload: { total: 12 },
      attachments: ["a.pdf"],
    });
  });
});

// Must fail: a typed passenger checks its payload.
import { Passenger } from "databus";

class Invoice extends Passenger<{ total: number }> {}

// @ts-expect-error total must be a number.
export const i = new Invoice({ external_id: "INV-1", payload: { total: "ten" } });

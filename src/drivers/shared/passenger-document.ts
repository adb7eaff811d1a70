/**
 * A passenger as the pushers that hand it to another system write it: its identity, the idempotency
 * key the target can deduplicate on, the payload, and its attachments as each pusher describes them
 * (names in a folder, facts or inline content in a webhook body).
 */
import type { Passenger } from "../../sdk/index";

export function passengerDocument<A>(p: Passenger, idempotencyKey: string, attachments: A[]) {
  return {
    id: p.id,
    type: p.type,
    external_id: p.external_id,
    source_system: p.source_system,
    pulled_at: p.pulled_at,
    idempotency_key: idempotencyKey,
    payload: p.payload,
    attachments,
  };
}

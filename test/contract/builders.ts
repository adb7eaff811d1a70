/** Builders for the contract suite: configs, passengers, seat requests, errors by code. */
import { expect } from "bun:test";
import { uuidv7 } from "../../src/core/ids";
import { initialSteps } from "../../src/core/queue-entry";
import type { Attachment, PassengerData } from "../../src/core/passenger";
import type { SeatRequest } from "../../src/sdk/database";

export const CLIENT = "acme";
export const OTHER = "globex";
export const DEFINITION = "databus/demo/passenger_1";
export const PULLER = "databus/demo/puller_1";
export const T0 = "2024-05-01T10:00:00.000Z";

/** A valid config, written with odd spacing so "kept exactly" can be checked. */
export function clientConfig(extra: Record<string, unknown> = {}): string {
  return `{ "log_life_span": 30,\n  "passengers": [ { "name": "${DEFINITION}", "pullers": ["${PULLER}"] } ]${Object.entries(extra)
    .map(([k, v]) => `,\n  "${k}": ${JSON.stringify(v)}`)
    .join("")} }\n`;
}

let counter = 0;
const BASE = Date.parse("2024-05-01T00:00:00.000Z");

/** Ids increase with each call so seated order and id order agree. */
export const nextId = (): string => uuidv7(BASE + ++counter);

export function passenger(over: Partial<PassengerData> = {}): PassengerData {
  const id = over.id ?? nextId();
  return {
    id,
    type: DEFINITION,
    external_id: `ext-${id.slice(-6)}`,
    source_system: "mailbox",
    pulled_at: T0,
    puller: PULLER,
    payload: { n: 1 },
    log_ids: [],
    attachments: [],
    ...over,
  };
}

/** notify + the given processors and pushers, all pending. */
export function request(over: Partial<PassengerData> = {}, processors: string[] = [], pushers: string[] = ["acme/pusher"]): SeatRequest {
  const p = passenger(over);
  return { passenger: p, steps: initialSteps(p.puller, processors, pushers, T0) };
}

export const textAttachment = (name: string, content: string): Attachment => ({ name, content, media_type: "text/plain" });

/** Awaits a promise that must reject with a catalogue error of this code. */
export async function expectCode(p: Promise<unknown>, code: string): Promise<void> {
  let caught: unknown;
  try {
    await p;
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeDefined();
  expect((caught as { code?: string }).code).toBe(code);
}

/**
 * The "databus/http" module: the HTTP drivers as classes plugins extend (`class Tickets extends
 * PollPuller<Ticket>`), with their option types. Re-exports only; the host registers it as a
 * virtual module beside "databus", and `databus types` declares it for editors.
 */
export { default as Item, type PassengerClass } from "./passenger-item";
export { default as PollPuller, type PollPullerOptions } from "./puller-poll";
export { default as WebhookPusher, type WebhookPusherOptions } from "./pusher-webhook";

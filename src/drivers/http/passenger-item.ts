/** `databus/http/item`: one item of a JSON API, as the poll puller pulls it; the payload is the item. */
import { Passenger, type PassengerInit } from "../../sdk/index";

/**
 * `databus/http/item`. Extend it (or any passenger type) to give an API its own passenger type,
 * with a payload type when the items have a known shape.
 *
 * @example
 * ```ts
 * import { Item } from "databus/http";
 * export default class Ticket extends Item<{ id: number; title: string }> {}
 * ```
 */
export default class Item<P = unknown> extends Passenger<P> {}

/** The class of a passenger type a driver creates: what a puller's `passengerClass` holds. */
export type PassengerClass<T extends Passenger> = new (init: PassengerInit<T["payload"]>) => T;

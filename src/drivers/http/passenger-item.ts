/** `databus/http/item`: one item of a JSON API, as the poll puller pulls it; the payload is the item. */
import { Passenger } from "../../sdk/index";

export default class Item extends Passenger<unknown> {}

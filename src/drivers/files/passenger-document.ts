/**
 * `databus/files/document`: what the folder puller pulls. With `read_as: "json"` the payload is the
 * file's JSON object; with `read_as: "attachment"` the payload describes the file
 * (`{ path, name, size, modified_at }`) and its bytes are the one attachment.
 */
import { Passenger } from "../../sdk/index";

export default class Document extends Passenger<Record<string, unknown>> {}

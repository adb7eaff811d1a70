/** The Passenger base class: the item a puller fetches and pushers deliver. */
import type { Attachment } from "../core/passenger";

export type { Attachment };

/** What a puller gives when it creates a passenger. */
export interface PassengerInit<P> {
  /** The id in the source system; with `source_system` it is the dedupe key. */
  external_id: string;
  /** Defaults to the puller's name. */
  source_system?: string;
  payload?: P;
  attachments?: Attachment[];
}

/**
 * A passenger type. Extend it to name your type and to type its payload; the file's name under
 * `plugins/` is the type's name in client configs (`passengers[].name`).
 *
 * @example
 * ```ts
 * import { Passenger } from "databus";
 * export default class Invoice extends Passenger<{ number: string; total: number }> {}
 * ```
 */
export class Passenger<P = unknown> {
  /** Set by Databus when seated (UUID v7). */
  id = "";
  /** Set by Databus: the passenger type name. */
  type = "";
  /** Set by Databus: when it was pulled (ISO time). */
  pulled_at = "";
  /** Set by Databus: the puller that pulled it. */
  puller = "";
  external_id: string;
  source_system: string;
  payload: P;
  attachments: Attachment[];

  constructor(init: PassengerInit<P>) {
    this.external_id = init.external_id;
    this.source_system = init.source_system ?? "";
    this.payload = init.payload as P;
    this.attachments = init.attachments ?? [];
  }

  /** The attachment with this name, if any. */
  attachment(name: string): Attachment | undefined {
    return this.attachments.find((a) => a.name === name);
  }

  /** The text of an attachment (bytes are decoded as UTF-8). */
  attachmentText(name: string): string | undefined {
    const a = this.attachment(name);
    if (!a) return undefined;
    return typeof a.content === "string" ? a.content : new TextDecoder().decode(a.content);
  }
}

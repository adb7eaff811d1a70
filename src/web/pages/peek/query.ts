/**
 * Peek's inputs: the optional `?definition=` of the page, and the attachment a download names
 * (definition, puller, source, external id, attachment name), each validated before use.
 */
import { DatabusError } from "../../../core/errors";
import { isDriverName } from "../../../core/ids";
import { attachmentNameProblem } from "../../../core/passenger";
import { parseDefinitionName, withClient } from "../passengers/definitions";

const MAX_ID = 1000;

export interface AttachmentRef {
  definition: string;
  puller: string;
  source: string;
  external_id: string;
  name: string;
}

const bad = (field: string, problem: string) => new DatabusError("DBUS_WEB_BAD_INPUT", { field, problem });

function text(raw: Record<string, string | undefined>, field: keyof AttachmentRef): string {
  const v = raw[field];
  if (!v) throw bad(field, "is missing");
  if (v.length > MAX_ID) throw bad(field, `must be at most ${MAX_ID} characters`);
  return v;
}

export function parseAttachmentRef(raw: Record<string, string | undefined>): AttachmentRef {
  const definition = parseDefinitionName(raw.definition);
  const puller = text(raw, "puller");
  if (!isDriverName(puller)) throw bad("puller", "must be the name of a puller");
  const name = text(raw, "name");
  if (attachmentNameProblem(name)) throw bad("name", "must be the name of an attachment");
  return { definition, puller, source: text(raw, "source"), external_id: text(raw, "external_id"), name };
}

/** The download link of one peeked attachment (it re-peeks; nothing is stored in between). */
export const attachmentHref = (client: string | undefined, ref: AttachmentRef): string =>
  withClient("/peek/attachment", client, { ...ref });

/** `/peek`, or `/peek?definition=x`, with the client when a root administrator picked one. */
export const peekHref = (client: string | undefined, definition?: string): string => withClient("/peek", client, { definition });

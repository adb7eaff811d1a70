/** URLs of the queue's entry pages and their actions, built in one place from validated ids. */
export { logHref } from "../logs/query";

export const entryHref = (client: string, id: string): string => `/queue/${client}/${id}`;

export const stepActionHref = (client: string, id: string, step: number, action: "retry" | "skip"): string =>
  `${entryHref(client, id)}/steps/${step}/${action}`;

export const attachmentHref = (client: string, id: string, name: string): string =>
  `${entryHref(client, id)}/attachments/${encodeURIComponent(name)}`;

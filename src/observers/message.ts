/**
 * What an observer says: one message shape for an incident and for its recovery, as a webhook's
 * JSON body and as a mail's subject and text. Pure.
 */
import type { ObserverEvent } from "../core/observers";

export interface ObserverMessage {
  /** `incident` when it opens (sent once), `recovery` when it clears. */
  type: "incident" | "recovery";
  event: ObserverEvent;
  client: string;
  definition: string;
  observer: string;
  /** One sentence for people. */
  summary: string;
  opened_at: string;
  /** When this message was made. */
  at: string;
  /** The instance's alias (TEST, LIVE), when it has one. */
  alias?: string;
  /** Event specifics: counts and log id of a run, passenger id and step of a dead entry, times of a silence. */
  details: Record<string, unknown>;
}

export function mailSubject(m: ObserverMessage): string {
  const where = m.alias ? `[Databus ${m.alias}]` : "[Databus]";
  return `${where} ${m.client}: ${m.type === "recovery" ? "resolved: " : ""}${m.summary}`;
}

export function mailText(m: ObserverMessage): string {
  const lines = [
    m.type === "recovery" ? `Resolved: ${m.summary}` : m.summary,
    "",
    `Client:     ${m.client}`,
    `Definition: ${m.definition}`,
    `Incident:   ${m.event}, opened ${m.opened_at}`,
    ...(m.type === "recovery" ? [`Resolved:   ${m.at}`] : []),
    ...Object.entries(m.details).map(([k, v]) => `${`${k}:`.padEnd(12)}${typeof v === "string" ? v : JSON.stringify(v)}`),
    "",
    `Sent by the observer ${m.observer}${m.alias ? ` of the Databus instance ${m.alias}` : ""}. You hear once per incident, and once when it clears.`,
  ];
  return `${lines.join("\n")}\n`;
}

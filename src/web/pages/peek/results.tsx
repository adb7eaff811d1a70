/**
 * What waits in the source, per definition and per puller: the fragment the definition picker swaps.
 * A puller without peek, a puller that failed and a definition that cannot run each show a message.
 */
import type { DatabusError } from "../../../core/errors";
import { byteLength } from "../../../core/passenger";
import type { PeekedPassenger, PeekResult } from "../../../dispatcher/api";
import { Alert } from "../../views/alert";
import { attr } from "../../views/escape";
import { Table } from "../../views/table";
import { attachmentHref } from "./query";

export const RESULTS_ID = "peek-results";
/** More than this per puller are counted, not listed. */
export const SHOWN_PER_PULLER = 100;
const PREVIEW_CHARS = 300;

export type DefinitionPeek =
  | { definition: string; results: PeekResult[] }
  | { definition: string; error: DatabusError }
  | { definition: string; failure: string };

export function PeekResults({ peeks, client }: { peeks: DefinitionPeek[]; client?: string }): JSX.Element {
  return (
    <div id={RESULTS_ID}>
      {peeks.length === 0 ? <p>There is nothing to peek at: this client has no passenger definitions.</p> : ""}
      {peeks.map((peek) => (
        <section class="peek" data-test={attr(`peek-${peek.definition}`)}>
          <h2 class="mono" safe>
            {peek.definition}
          </h2>
          {"results" in peek ? (
            peek.results.map((r) => <PullerResult result={r} definition={peek.definition} client={client} />)
          ) : "error" in peek ? (
            <Alert error={peek.error} />
          ) : (
            <p class="alert" role="alert" safe>
              {peek.failure}
            </p>
          )}
        </section>
      ))}
    </div>
  );
}

function PullerResult({ result, definition, client }: { result: PeekResult; definition: string; client?: string }): JSX.Element {
  return (
    <div class="puller" data-test="puller">
      <h3>
        Puller <span class="mono" safe>{result.puller}</span>
      </h3>
      {result.status === "unsupported" ? (
        <p class="muted" data-test="unsupported">This puller cannot peek: it has no peek() method, so what waits in its source cannot be shown without pulling it.</p>
      ) : result.status === "failed" ? (
        <div class="alert" role="alert" data-test="failed">
          <p>The puller failed while peeking:</p>
          <p class="mono" safe>{result.error}</p>
        </div>
      ) : (
        <Waiting passengers={result.passengers} definition={definition} puller={result.puller} client={client} />
      )}
    </div>
  );
}

const HEADINGS = ["Source", "External id", "Payload", "Attachments"] as const;

function Waiting(props: { passengers: PeekedPassenger[]; definition: string; puller: string; client?: string }): JSX.Element {
  const { passengers } = props;
  const shown = passengers.slice(0, SHOWN_PER_PULLER);
  return (
    <>
      <p data-test="waiting" safe>{`${passengers.length} ${passengers.length === 1 ? "passenger waits" : "passengers wait"} in the source.`}</p>
      {passengers.length > 0 ? (
        <Table headings={HEADINGS} rowCount={shown.length} empty={<>Nothing waits.</>}>
          {shown.map((p) => (
            <tr>
              <td safe>{p.source_system}</td>
              <td class="mono" safe>
                {p.external_id}
              </td>
              <td>
                <code class="preview" safe>
                  {preview(p.payload)}
                </code>
              </td>
              <td>
                {p.attachments.map((a) => (
                  <div>
                    <a
                      href={attr(attachmentHref(props.client, { definition: props.definition, puller: props.puller, source: p.source_system, external_id: p.external_id, name: a.name }))}
                      download={attr(a.name)}
                      safe
                    >
                      {a.name}
                    </a>{" "}
                    <span class="muted" safe>{`(${byteLength(a.content)} bytes)`}</span>
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </Table>
      ) : ""}
      {passengers.length > shown.length ? <p class="muted" safe>{`And ${passengers.length - shown.length} more.`}</p> : ""}
    </>
  );
}

/** The payload as one line of JSON, cut short; a payload JSON cannot show says so. */
export function preview(payload: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(payload) ?? String(payload);
  } catch {
    return "(a payload that cannot be shown as JSON)";
  }
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

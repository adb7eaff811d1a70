/**
 * The Passengers page: each definition of the client with its drivers, frequency, life span, next
 * run, problems and Run now. A config that cannot be read shows its error instead.
 */
import type { PassengerDefinition } from "../../../core/client";
import { formatDuration } from "../../../core/duration";
import type { DatabusError } from "../../../core/errors";
import { Alert } from "../../views/alert";
import { attr } from "../../views/escape";
import { Time } from "../../views/time";
import { withClient } from "./definitions";
import { RunCell, type RunState } from "./run";
import { ClientPicker } from "../../views/client-picker";

export interface DefinitionRow {
  definition: PassengerDefinition;
  nextRunAt: string | null;
  run: RunState;
  problems: string[];
}

export interface PassengersProps {
  client: string;
  /** Set when a root administrator looks at another client (links and forms carry it). */
  linkClient?: string;
  /** Every client, for root administrators' picker. */
  clients?: string[];
  csrf: string;
  rows: DefinitionRow[];
  configError: DatabusError | null;
}

export function PassengersPage(props: PassengersProps): JSX.Element {
  const { client, clients, rows, configError } = props;
  return (
    <>
      <h1>
        Passengers of <span safe>{client}</span>
      </h1>
      {clients ? <ClientPicker action="/passengers" clients={clients} current={client} /> : ""}
      {configError ? <Alert error={configError} /> : ""}
      {!configError && rows.length === 0 ? <p>This client has no passenger definitions yet.</p> : ""}
      <div class="definitions">
        {rows.map((row) => (
          <DefinitionCard row={row} linkClient={props.linkClient} csrf={props.csrf} />
        ))}
      </div>
    </>
  );
}

function DefinitionCard({ row, linkClient, csrf }: { row: DefinitionRow; linkClient?: string; csrf: string }): JSX.Element {
  const d = row.definition;
  return (
    <article class="card definition" data-test={attr(`definition-${d.name}`)}>
      <h2 class="mono" safe>
        {d.name}
      </h2>
      <dl class="facts">
        <Drivers label="Pullers" names={d.pullers.map((p) => p.name)} />
        <Drivers label="Processors" names={d.processors.map((p) => p.name)} />
        <Drivers label="Pushers" names={d.pushers.map((p) => p.name)} />
        <dt>Frequency</dt>
        <dd safe>{`every ${formatDuration(d.sync_frequency_ms)}`}</dd>
        <dt>Queue life span</dt>
        <dd safe>{`${d.queue_life_span} ${d.queue_life_span === 1 ? "day" : "days"}`}</dd>
        <dt>Next run</dt>
        <dd>{row.nextRunAt ? <Time iso={row.nextRunAt} /> : "not scheduled"}</dd>
      </dl>
      {row.problems.length > 0 ? (
        <ul class="problems" aria-label="Problems">
          {row.problems.map((p) => (
            <li safe>{p}</li>
          ))}
        </ul>
      ) : ""}
      <p>
        <a href={attr(withClient("/peek", linkClient, { definition: d.name }))}>Peek</a>
        {" · "}
        <a href={attr(withClient("/queue", linkClient, { definition: d.name }))}>Queue</a>
      </p>
      <RunCell definition={d.name} client={linkClient} csrf={csrf} run={row.run} />
    </article>
  );
}

function Drivers({ label, names }: { label: string; names: string[] }): JSX.Element {
  return (
    <>
      <dt safe>{label}</dt>
      <dd class="mono">{names.length === 0 ? "none" : names.map((n) => <div safe>{n}</div>)}</dd>
    </>
  );
}

/** A plain GET form to switch client (root administrators); the whole page reloads. */

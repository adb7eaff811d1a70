/** The Peek page: the client picker (root administrators), the definition picker, and the results. */
import { attr } from "../../views/escape";
import { ClientPicker } from "../../views/client-picker";
import { PeekResults, RESULTS_ID, type DefinitionPeek } from "./results";

export interface PeekPageProps {
  client: string;
  linkClient?: string;
  clients?: string[];
  definitions: string[];
  selected?: string;
  peeks: DefinitionPeek[];
}

export function PeekPage(props: PeekPageProps): JSX.Element {
  const { client, clients, definitions, selected, linkClient } = props;
  return (
    <>
      <h1>
        Peek at what waits for <span safe>{client}</span>
      </h1>
      <p>Pullers are asked what waits in their sources; nothing is pulled, seated or consumed.</p>
      {clients ? <ClientPicker action="/peek" clients={clients} current={client} /> : ""}
      <form class="filters" method="get" action="/peek" hx-get="/peek" hx-target={`#${RESULTS_ID}`} hx-swap="outerHTML" hx-push-url="true">
        {linkClient ? <input type="hidden" name="client" value={attr(linkClient)} /> : ""}
        <label>
          Definition
          <select name="definition">
            <option value="">(all)</option>
            {definitions.map((d) => (
              <option value={attr(d)} selected={d === selected} safe>
                {d}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">Peek</button>
      </form>
      <PeekResults peeks={props.peeks} client={linkClient} />
    </>
  );
}

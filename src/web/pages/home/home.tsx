/** The Home page: the dashboard of every client the viewer may see. */
import { Counts, type ClientCounts } from "./counts";

export function Home({ clients, linkClient }: { clients: ClientCounts[]; linkClient: boolean }): JSX.Element {
  return (
    <>
      <h1>Home</h1>
      <Counts clients={clients} linkClient={linkClient} />
    </>
  );
}

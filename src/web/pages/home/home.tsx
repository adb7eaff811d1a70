/** The Home page: the dashboard of every client the viewer may see. */
import { Dashboard, type DashboardProps } from "./dashboard";

export function Home(props: DashboardProps): JSX.Element {
  return (
    <>
      <h1>Home</h1>
      <Dashboard {...props} />
    </>
  );
}

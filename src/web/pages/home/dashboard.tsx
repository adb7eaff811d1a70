/**
 * The dashboard fragment: every visible client's card. It polls itself every 5 s (htmx swaps the
 * whole section, so the fresh copy schedules the next poll); `/` answers partial requests with it.
 */
import { attr } from "../../views/escape";
import { ClientCard } from "./client-card";
import type { ClientDashboard } from "./gather";

export const DASHBOARD_ID = "dashboard";
export const POLL_EVERY = "5s";

export interface DashboardProps {
  boards: ClientDashboard[];
  linkClient: boolean;
  /** What the poll asks for: `/`, or `/?client=x` when a root administrator picked one client. */
  pollUrl: string;
}

export function Dashboard({ boards, linkClient, pollUrl }: DashboardProps): JSX.Element {
  return (
    <section id={DASHBOARD_ID} class="dashboard" hx-get={attr(pollUrl)} hx-trigger={`every ${POLL_EVERY}`} hx-swap="outerHTML">
      {boards.map((board) => (
        <ClientCard board={board} linkClient={linkClient} />
      ))}
    </section>
  );
}

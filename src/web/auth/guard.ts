/**
 * Who is asking, and may they: the session becomes a Viewer, and role checks use core/users `can()`.
 * Checks happen here on the server; hiding a button is never the check.
 */
import { DatabusError } from "../../core/errors";
import { can, type Action, type Role } from "../../core/users";
import type { Web } from "../deps";
import type { Session } from "./session";

export const ROOT_CLIENT = "root";

export interface Viewer {
  client: string;
  username: string;
  role: Role;
  /** Logged in to the `root` client. */
  isRoot: boolean;
  authOff: boolean;
  csrf: string;
  sessionId: string;
}

export function viewerOf(session: Session): Viewer {
  return {
    client: session.client,
    username: session.username,
    role: session.role,
    isRoot: session.client === ROOT_CLIENT,
    authOff: session.authOff,
    csrf: session.csrf,
    sessionId: session.id,
  };
}

/** The viewer behind this request, or DBUS_AUTH_REQUIRED (errors.ts turns it into a trip to /login). */
export function requireViewer(web: Web, request: Request): Viewer {
  const session = web.sessions.fromRequest(request);
  if (!session) throw new DatabusError("DBUS_AUTH_REQUIRED", {});
  return viewerOf(session);
}

/** Throws DBUS_AUTH_FORBIDDEN unless the viewer's role may do `action`. */
export function authorize(viewer: Viewer, action: Action): void {
  if (!can(viewer.role, action, viewer.isRoot))
    throw new DatabusError("DBUS_AUTH_FORBIDDEN", { role: viewer.role, action, client: viewer.client });
}

/** Root administrators see and act on every client; everyone else on their own. */
export const seesAllClients = (viewer: Viewer): boolean => viewer.isRoot && viewer.role === "administrator";

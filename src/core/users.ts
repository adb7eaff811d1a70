/** Users and roles, and what each role may do. Pure. */

export type Role = "operator" | "administrator";
export const ROLES: readonly Role[] = ["operator", "administrator"];

export interface User {
  username: string;
  role: Role;
  /** argon2id hash (Bun.password). Never shown, never logged. */
  password_hash: string;
}

export type Action =
  | "view"
  | "run now"
  | "retry or skip steps"
  | "delete entries"
  | "manage users"
  | "edit the configuration"
  | "export or import"
  | "manage the system";

const OPERATOR: readonly Action[] = ["view", "run now", "retry or skip steps"];

/** `root`-ness is separate: root administrators act on every client and own the System page. */
export function can(role: Role, action: Action, isRootClient = false): boolean {
  if (action === "manage the system") return role === "administrator" && isRootClient;
  return role === "administrator" || OPERATOR.includes(action);
}

const USERNAME = /^[A-Za-z0-9_.@-]{1,64}$/;
export const isUsername = (s: string): boolean => USERNAME.test(s);

/**
 * The Users page's input: user names in URLs and the add / reset forms, validated before use.
 * Field problems come back as a map (shown beside each field), never as a thrown page.
 */
import { DatabusError } from "../../../core/errors";
import { isUsername, ROLES, type Role } from "../../../core/users";

export const MIN_PASSWORD = 8;
const MAX_PASSWORD = 1024;

export type UserField = "username" | "role" | "password";
export type FieldErrors = Partial<Record<UserField, string>>;

export interface NewUserInput {
  username: string;
  role: Role;
  password: string;
}

export const formField = (body: unknown, name: string): string => {
  const v = body && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
  return typeof v === "string" ? v : "";
};

/** The `:username` of a URL, or DBUS_WEB_BAD_INPUT. */
export function parseUsernameParam(username: string): string {
  // Elysia has already decoded the path segment once; decoding again would let `%2540` mean `@`.
  if (!isUsername(username)) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "user", problem: "must be a user name (1–64 letters, digits or . _ @ -)" });
  return username;
}

export function roleProblem(role: string): string | undefined {
  return ROLES.includes(role as Role) ? undefined : `must be one of ${ROLES.join(", ")}`;
}

export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD) return `must be at least ${MIN_PASSWORD} characters`;
  if (password.length > MAX_PASSWORD) return `must be at most ${MAX_PASSWORD} characters`;
  return undefined;
}

/** The add form, read and checked field by field; `errors` is empty when it may be saved. */
export function parseNewUser(body: unknown, existing: readonly string[]): { input: NewUserInput; errors: FieldErrors } {
  const input = { username: formField(body, "username").trim(), role: formField(body, "role") as Role, password: formField(body, "password") };
  const errors: FieldErrors = {};
  if (!isUsername(input.username)) errors.username = "must be 1–64 letters, digits or . _ @ -";
  else if (existing.includes(input.username)) errors.username = `${input.username} already exists`;
  const role = roleProblem(input.role);
  if (role) errors.role = role;
  const password = passwordProblem(input.password);
  if (password) errors.password = password;
  return { input, errors };
}

/** The reset form's password, or DBUS_WEB_BAD_INPUT. */
export function parseNewPassword(body: unknown): string {
  const password = formField(body, "password");
  const problem = passwordProblem(password);
  if (problem) throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "password", problem });
  return password;
}

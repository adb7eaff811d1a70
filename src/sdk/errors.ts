/**
 * Control-flow errors a plugin may throw to steer its step. Detected by `code`, not by instanceof,
 * because a plugin may bundle its own copy of the SDK.
 */

/**
 * The step cannot succeed by retrying (bad data, rejected by the target): Databus records it and
 * stops retrying; the entry waits for a person.
 *
 * @example
 * ```ts
 * throw new UnrecoverableError("the target rejected invoice INV-1 as a duplicate");
 * ```
 */
export class UnrecoverableError extends Error {
  readonly code = "DBUS_RUN_UNRECOVERABLE";
  constructor(message: string) {
    super(message);
    this.name = "UnrecoverableError";
  }
}

export function isUnrecoverable(e: unknown): boolean {
  return typeof e === "object" && e !== null && (e as { code?: unknown }).code === "DBUS_RUN_UNRECOVERABLE";
}

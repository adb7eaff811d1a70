/**
 * Login throttling: after MAX_FAILURES failed logins from one address within WINDOW_MS, further
 * attempts from it are refused (DBUS_AUTH_THROTTLED) until the oldest failure leaves the window.
 */
import type { Clock } from "../../core/clock";
import { DatabusError } from "../../core/errors";

export const MAX_FAILURES = 5;
export const WINDOW_MS = 15 * 60 * 1000;
/** Beyond this many tracked addresses, stale ones are dropped, so a flood cannot grow memory forever. */
const SWEEP_ABOVE = 10_000;

export interface LoginThrottle {
  /** Throws DBUS_AUTH_THROTTLED with the seconds left when the address is blocked. */
  check(address: string): void;
  recordFailure(address: string): void;
  /** A successful login clears the address's failures. */
  reset(address: string): void;
}

export function createLoginThrottle(clock: Clock, max = MAX_FAILURES, windowMs = WINDOW_MS): LoginThrottle {
  const failures = new Map<string, number[]>();

  function recent(address: string, now: number): number[] {
    const kept = (failures.get(address) ?? []).filter((at) => at > now - windowMs);
    if (kept.length) failures.set(address, kept);
    else failures.delete(address);
    return kept;
  }

  return {
    check(address) {
      const now = clock.now();
      const kept = recent(address, now);
      if (kept.length < max) return;
      const freeAt = kept[kept.length - max]! + windowMs;
      throw new DatabusError("DBUS_AUTH_THROTTLED", { seconds: Math.max(1, Math.ceil((freeAt - now) / 1000)) });
    },
    recordFailure(address) {
      const now = clock.now();
      if (failures.size > SWEEP_ABOVE) for (const key of [...failures.keys()]) recent(key, now);
      failures.set(address, [...recent(address, now), now]);
    },
    reset(address) {
      failures.delete(address);
    },
  };
}

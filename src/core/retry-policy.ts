/**
 * When a failed step is tried again: exponential backoff with full jitter, capped, up to a number of
 * attempts; after the last one the entry is dead and waits for a person. Pure: the caller passes
 * the time and the random number.
 */

export interface RetryPolicy {
  /** Delay before the second attempt, in milliseconds; it doubles with each further attempt. */
  baseMs: number;
  /** No delay is longer than this. */
  maxDelayMs: number;
  /** Attempts in all (the first one included); after the last failure the entry is dead. */
  maxAttempts: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 30_000, maxDelayMs: 3_600_000, maxAttempts: 10 };

/**
 * The delay after the `attempts`-th failed attempt (1 = the first attempt failed): a random point
 * in the upper half of base × 2^(attempts−1), capped at maxDelay. Half the delay is fixed so a step
 * never retries in a tight loop; the other half spreads retries of many entries apart.
 */
export function backoffMs(policy: RetryPolicy, attempts: number, random: number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp / 2 + (exp / 2) * Math.min(1, Math.max(0, random)));
}

/** When to try again after `attempts` failed attempts, or null when the step has used them all. */
export function nextAttemptAt(policy: RetryPolicy, attempts: number, nowMs: number, random: number): number | null {
  if (attempts >= policy.maxAttempts) return null;
  return nowMs + backoffMs(policy, attempts, random);
}

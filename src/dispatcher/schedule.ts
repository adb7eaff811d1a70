/** "Is this definition due?" Pure: the dispatcher passes the times in. */

/** Due when it never ran in this process, or its frequency has passed since the last start. */
export function isDue(lastStartedMs: number | undefined, frequencyMs: number, nowMs: number): boolean {
  return lastStartedMs === undefined || nowMs - lastStartedMs >= frequencyMs;
}

export function nextRunMs(lastStartedMs: number | undefined, frequencyMs: number, nowMs: number): number {
  return lastStartedMs === undefined ? nowMs : Math.max(nowMs, lastStartedMs + frequencyMs);
}

/** Durations as config and flags write them: minutes as a number (the original), or "30s", "5m", "2h", "1d". Pure. */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds, or null when the value is not a duration. A bare number means `bareUnit`. */
export function parseDuration(value: unknown, bareUnit: "s" | "m" | "d" = "m"): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? value * UNIT_MS[bareUnit]! : null;
  if (typeof value !== "string") return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(value);
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2] ?? bareUnit]!;
  return ms > 0 ? ms : null;
}

export function formatDuration(ms: number): string {
  for (const [unit, size] of [["d", 86_400_000], ["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const)
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms}ms`;
}

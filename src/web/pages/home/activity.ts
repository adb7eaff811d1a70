/**
 * What runs did over the last 24 hours, from run log headers alone (no per-entry reads): runs in the
 * last hour and day, and passengers pulled / delivered / failed per clock hour for the chart. Pure.
 */
import type { LogHeader } from "../../../core/log";

const HOUR = 3_600_000;
export const CHART_HOURS = 24;

export interface HourBucket {
  /** Start of the hour (ISO, UTC). */
  start: string;
  pulled: number;
  delivered: number;
  failed: number;
}

export interface Activity {
  runsLastHour: number;
  runsLastDay: number;
  /** Oldest first; the last bucket is the current (partial) hour. */
  hours: HourBucket[];
}

/** The earliest run start the home page needs (ask the store for logs since then). */
export const activitySince = (nowMs: number): string => new Date(nowMs - CHART_HOURS * HOUR).toISOString();

/**
 * Sums run counts into clock-hour buckets by the time each run started (the same time `since`
 * filters on). Logs that are not runs (no definition) are not counted; a run still going has no
 * counts yet and only counts as a run.
 */
export function summarizeActivity(logs: readonly LogHeader[], nowMs: number): Activity {
  const first = Math.floor(nowMs / HOUR) * HOUR - (CHART_HOURS - 1) * HOUR;
  const hours: HourBucket[] = Array.from({ length: CHART_HOURS }, (_, i) => ({
    start: new Date(first + i * HOUR).toISOString(),
    pulled: 0,
    delivered: 0,
    failed: 0,
  }));
  let runsLastHour = 0;
  let runsLastDay = 0;
  for (const log of logs) {
    if (log.definition === null) continue;
    const at = Date.parse(log.at);
    if (!Number.isFinite(at) || at > nowMs) continue;
    if (at >= nowMs - CHART_HOURS * HOUR) runsLastDay++;
    if (at >= nowMs - HOUR) runsLastHour++;
    const bucket = hours[Math.floor((at - first) / HOUR)];
    if (!bucket || !log.counts) continue;
    bucket.pulled += log.counts.pulled;
    bucket.delivered += log.counts.delivered;
    bucket.failed += log.counts.failed;
  }
  return { runsLastHour, runsLastDay, hours };
}

/** `09:00` for a bucket start. */
export const hourLabel = (startIso: string): string => startIso.slice(11, 16);

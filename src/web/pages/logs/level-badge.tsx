/** A log level as a coloured label with its name (colour for the eye, text for everyone). */
import type { LogLevel } from "../../../core/log";

export function LevelBadge({ level }: { level: LogLevel }): JSX.Element {
  return <span class={`badge level-${level}`}>{level}</span>;
}

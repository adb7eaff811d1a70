/** What this instance is: engine, version, uptime, last tick; then plugins and config problems. */
import type { PluginInfo } from "../../../dispatcher/api";
import type { StorageStatus } from "../../../storage/database";
import { Table } from "../../views/table";
import { Time } from "../../views/time";

/** `3d 4h 5m`, from whole minutes; under a minute says so. */
export function formatUptime(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes === 0) return "less than a minute";
  const parts: string[] = [];
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  return parts.join(" ");
}

export interface InstanceFacts {
  engine: string;
  /** The engine's status line: "ready", or "connecting to …" with the last error while SQL Server is down. */
  storage: StorageStatus;
  version: string;
  startedAt: string;
  nowMs: number;
  lastTickAt: string | null;
}

export function Facts({ engine, storage, version, startedAt, nowMs, lastTickAt }: InstanceFacts): JSX.Element {
  return (
    <dl class="facts">
      <dt>Engine</dt>
      <dd safe>{engine}</dd>
      <dt>Storage</dt>
      <dd data-test="storage-status">
        <span class={storage.ready ? "badge step-done" : "badge step-failed"}>{storage.ready ? "ready" : "not ready"}</span>{" "}
        <span safe>{storage.text}</span>
        {storage.since ? (
          <>
            {" "}
            (since <Time iso={storage.since} />)
          </>
        ) : (
          ""
        )}
      </dd>
      <dt>Version</dt>
      <dd safe>{version}</dd>
      <dt>Up for</dt>
      <dd data-test="uptime">
        <span safe>{formatUptime(nowMs - Date.parse(startedAt))}</span> (since <Time iso={startedAt} />)
      </dd>
      <dt>Last tick</dt>
      <dd>{lastTickAt ? <Time iso={lastTickAt} /> : "none yet"}</dd>
    </dl>
  );
}

const HEADINGS = ["Plugin", "Kind", "File", "Status"] as const;

export function Plugins({ plugins }: { plugins: PluginInfo[] }): JSX.Element {
  return (
    <Table headings={HEADINGS} rowCount={plugins.length} empty={<>No plugins are loaded.</>}>
      {plugins.map((p) => (
        <tr data-test="plugin">
          <td class="mono" safe>
            {p.name}
          </td>
          <td safe>{p.kind}</td>
          <td class="mono" safe>
            {p.file ?? "(built in)"}
          </td>
          <td>
            {p.error ? (
              <span class="plugin-error" safe>
                {p.error}
              </span>
            ) : (
              <span class="badge ok">loaded</span>
            )}
          </td>
        </tr>
      ))}
    </Table>
  );
}

export function Problems({ problems }: { problems: string[] }): JSX.Element {
  return problems.length === 0 ? (
    <p data-test="no-problems">No configuration problems.</p>
  ) : (
    <ul class="problems" data-test="problems">
      {problems.map((p) => (
        <li safe>{p}</li>
      ))}
    </ul>
  );
}

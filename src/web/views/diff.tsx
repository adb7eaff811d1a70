/** A line diff as a table: a sign column (+, −, space) and the line, coloured by class; text escaped. */
import { diffStats, type DiffLine } from "./line-diff";

const SIGN = { same: " ", added: "+", removed: "−" } as const;

export function Diff({ lines, beforeLabel, afterLabel }: { lines: DiffLine[]; beforeLabel: string; afterLabel: string }): JSX.Element {
  const { added, removed } = diffStats(lines);
  return (
    <figure class="diff" data-test="diff">
      <figcaption>
        <span safe>{`− ${beforeLabel}`}</span> · <span safe>{`+ ${afterLabel}`}</span> ·{" "}
        <span data-test="diff-stats">{added === 0 && removed === 0 ? "no differences" : <>{added} added, {removed} removed</>}</span>
      </figcaption>
      <table class="diff">
        <tbody>
          {lines.map((l) => (
            <tr class={l.kind}>
              <td class="sign">{SIGN[l.kind]}</td>
              <td class="mono" safe>
                {l.text}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

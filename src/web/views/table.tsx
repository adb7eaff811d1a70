/** A data table: headings, rows, and a sentence when there is nothing to show. */
import type { Children } from "@kitajs/html";

export interface TableProps {
  headings: readonly string[];
  /** Shown in place of rows when there are none (already escaped or literal). */
  empty: JSX.Element;
  rowCount: number;
  /** The rows, already rendered by their views. */
  children?: Children;
}

export function Table({ headings, empty, rowCount, children }: TableProps): JSX.Element {
  return (
    <table class="data">
      <thead>
        <tr>
          {headings.map((h) => (
            <th scope="col" safe>
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rowCount === 0 ? (
          <tr>
            <td class="empty" colspan={String(headings.length)}>
              {empty}
            </td>
          </tr>
        ) : (
          children
        )}
      </tbody>
    </table>
  );
}

/**
 * Previous / next links for a paged list. Links are real hrefs (they work without JavaScript);
 * htmx swaps only the list because the enclosing fragment sets hx-target:inherited.
 */

export interface PagerProps {
  page: number;
  pageSize: number;
  total: number;
  /** The URL of another page of the same list (filters kept). */
  hrefFor: (page: number) => string;
  /** Link texts; the default suits lists sorted newest first. */
  labels?: { prev: string; next: string };
}

export const pageCount = (total: number, pageSize: number): number => Math.max(1, Math.ceil(total / pageSize));

const NEWEST_FIRST = { prev: "← Newer", next: "Older →" };

export function Pager({ page, pageSize, total, hrefFor, labels = NEWEST_FIRST }: PagerProps): JSX.Element {
  const pages = pageCount(total, pageSize);
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav class="pager" aria-label="Pages">
      {page > 1 ? (
        <a href={hrefFor(page - 1)} hx-get={hrefFor(page - 1)} rel="prev" safe>
          {labels.prev}
        </a>
      ) : ""}
      <span>
        {first}–{last} of {total} (page {page} of {pages})
      </span>
      {page < pages ? (
        <a href={hrefFor(page + 1)} hx-get={hrefFor(page + 1)} rel="next" safe>
          {labels.next}
        </a>
      ) : ""}
    </nav>
  );
}

/** A stored timestamp, shown in UTC to the minute; the exact ISO value stays in `datetime`. */

export function Time({ iso }: { iso: string }): JSX.Element {
  const shown = iso.length >= 16 ? `${iso.slice(0, 10)} ${iso.slice(11, 19)}` : iso;
  return (
    <time datetime={iso} safe>
      {shown}
    </time>
  );
}

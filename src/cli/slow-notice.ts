/**
 * Says something once when work takes longer than a moment, so a terminal that waits is never
 * silent: a store closed right after a burst writes the files of every change still waiting for
 * them (seconds, on a busy disk) before it stops.
 */
export async function noticeIfSlow<T>(work: Promise<T>, afterMs: number, notice: () => void): Promise<T> {
  const timer = setTimeout(notice, afterMs);
  try {
    return await work;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closing the store when `databus serve` stops. The json store first writes the files of the changes
 * its journal still holds: seconds after a burst (a line says so after one), and impossible on a full
 * disk. Then the stop reports the problem and exits 1, and nothing is lost: every change is in the
 * journal, which the next start replays; the store has let the home go (its lock) all the same.
 */
import { EXIT_OK, EXIT_PROBLEMS, formatProblem } from "./report";
import { noticeIfSlow } from "./slow-notice";

export interface StoreClosing {
  engine: string;
  signal: string;
  out: (line: string) => void;
  err: (line: string) => void;
}

/** Waits for `closing` (the store's close()); the exit code the stop should end with. */
export async function closeAtStop(closing: Promise<void>, { engine, signal, out, err }: StoreClosing): Promise<number> {
  const what = engine === "json" ? "writing the files of the changes its journal holds" : "waiting for it";
  try {
    await noticeIfSlow(closing, 1000, () => out(`Closing the store (${what}); ${signal} again exits now and loses nothing.`));
    return EXIT_OK;
  } catch (e) {
    err(formatProblem(e));
    if (engine === "json") err("The changes whose files could not be written are kept in the journal; the next start writes them.");
    return EXIT_PROBLEMS;
  }
}

/**
 * Demo binary pusher: writes each attachment to `<home>/data/output/<client>/<passenger id>/`.
 * Writes only under the home's data folder (never next to the program), each file atomically.
 */
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { Pusher, type Passenger, type PushContext } from "../../sdk/index";
import { writeAtomically } from "../shared/write-file";

/** Names that are safe as one path segment: no separators, not `.`/`..`, no control characters. */
const SAFE_SEGMENT = /^(?!\.{1,2}$)[^/\\\x00-\x1f]{1,200}$/;

/** `databus/demo/binary_pusher` */
export default class BinaryPusher extends Pusher {
  async push(passenger: Passenger, ctx: PushContext): Promise<void> {
    for (const segment of [ctx.client, passenger.id]) {
      if (!SAFE_SEGMENT.test(segment)) throw new Error(`\`${segment}\` cannot be used as a folder name`);
    }
    const dir = join(ctx.home, "data", "output", ctx.client, passenger.id);
    await mkdir(dir, { recursive: true });
    for (const a of passenger.attachments) {
      if (!SAFE_SEGMENT.test(a.name)) throw new Error(`the attachment name \`${a.name}\` cannot be used as a file name`);
      await writeAtomically(join(dir, a.name), a.content);
    }
    ctx.log.info(`Demo binary pusher wrote ${passenger.attachments.length} file(s) to ${dir}.`);
  }
}

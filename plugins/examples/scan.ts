/**
 * Example passenger type built on a built-in one: a scanned file, as `examples/scan_folder` pulls
 * it (payload: where the file was; the file itself is the one attachment).
 */
import { Document, type FileFacts } from "databus/files";

export default class Scan extends Document<FileFacts> {}

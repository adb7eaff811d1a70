/**
 * Example of extending a built-in driver: `databus/files/folder_puller` with its settings in code,
 * pulling each PDF of `<home>/inbox/scans` as an `examples/scan` passenger. The client config may
 * override any option (`{ "name": "examples/scan_folder", "options": { "folder": "/mnt/scanner" } }`).
 */
import { FolderPuller, type FolderPullerOptions } from "databus/files";
import Scan from "./scan";

export default class ScanFolder extends FolderPuller<Scan> {
  override passengerClass = Scan;
  override options: FolderPullerOptions = { folder: "inbox/scans", patterns: ["*.pdf"], read_as: "attachment" };
}

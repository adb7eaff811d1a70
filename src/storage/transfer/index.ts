/** Export and import of one client as an archive file (format.ts documents the file). Re-exports only. */
export { compareCounts, copyClient, type CopyResult } from "./copy";
export { exportClient, type ExportOptions } from "./export";
export { assertImportTarget, importClient, readArchiveHeader, type ImportOptions, type ImportResult } from "./import";
export {
  ARCHIVE_MEDIA_TYPE,
  ARCHIVE_SUFFIX,
  ARCHIVE_VERSION,
  archiveFileName,
  type ArchiveCounts,
  type HeaderRecord,
  type OnProgress,
  type TransferProgress,
} from "./format";

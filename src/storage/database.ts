/**
 * The Database contract as storage, dispatcher and web see it. The contract itself lives in the SDK
 * (src/sdk/database.ts) so custom engine plugins extend the very same class and pass the same suite.
 */
export {
  Database,
  type ConfigBackup,
  type OpenOptions,
  type StorageStatus,
  type SeatRequest,
  type SeatResult,
  type StepUpdate,
  type EntryFilter,
  type EntryPage,
  type EntrySort,
  type LogFilter,
  type NewLog,
  type Page,
} from "../sdk/database";

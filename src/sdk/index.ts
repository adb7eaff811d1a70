/**
 * The "databus" module: the only API plugins see. Re-exports only; semver-stable.
 * `databus types` turns this surface into plugins/types/databus.d.ts.
 */
export { Passenger, type PassengerInit, type Attachment } from "./passenger";
export { Puller } from "./puller";
export { Processor, skipDelivery, isSkipDelivery, type SkipDelivery } from "./processor";
export { Pusher, type PushBatchItem } from "./pusher";
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
} from "./database";
export { UnrecoverableError, isUnrecoverable } from "./errors";
export { ReportQuery, type DeliveryRow, type DeliveryState, type PusherSummary, type ReportFilter, type ReportPeriod } from "./report-query";
export {
  Report,
  type ReportCell,
  type ReportColumn,
  type ReportContext,
  type ReportParameter,
  type ReportParameterType,
  type ReportParams,
  type ReportTable,
  type ReportValue,
} from "./report";
export type { StepContext, PullContext, ProcessContext, PushContext, PushBatchContext, PluginLog, ClientFiles, PluginState } from "./context";
export type { QueueEntry, EntryState } from "../core/queue-entry";
export type { StepStatus, StepState, StepKind, StepChange } from "../core/step-status";
export type { Log, LogEntry, LogHeader, LogLevel, LogOrigin, RunCounts } from "../core/log";
export type { User, Role } from "../core/users";
export type { PassengerData, PassengerRecord, AttachmentInfo } from "../core/passenger";

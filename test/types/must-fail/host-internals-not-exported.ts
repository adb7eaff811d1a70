// Must fail: plugins see only the SDK; host internals such as DatabusError are not in "databus".
// @ts-expect-error Module "databus" has no exported member DatabusError.
import { DatabusError } from "databus";

export const e: unknown = DatabusError;

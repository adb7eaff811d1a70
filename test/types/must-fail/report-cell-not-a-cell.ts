// Must fail: a report's cells are text, numbers or null, not objects.
import { Report, type ReportTable } from "databus";

export default class Nested extends Report {
  title = "Nested";
  run(): ReportTable {
    // @ts-expect-error Type '{ when: Date; }' is not assignable to type 'Record<string, ReportCell>'.
    return { columns: [{ key: "when", label: "When" }], rows: [{ when: new Date() }] };
  }
}

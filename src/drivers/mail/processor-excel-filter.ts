/**
 * `databus/mail/excel_filter`: lets a passenger through only when it carries an Excel workbook
 * (xls, xlsx, xlsm, xlsb, or an Excel media type); the others are not delivered (skipDelivery).
 * Works on any passenger type, not only Email.
 */
import { Processor, skipDelivery, type Passenger, type ProcessContext, type SkipDelivery } from "../../sdk/index";
import { excelAttachments } from "./attachments";

/** `databus/mail/excel_filter` */
export default class ExcelFilter extends Processor {
  process(passenger: Passenger, _ctx: ProcessContext): SkipDelivery | void {
    if (excelAttachments(passenger.attachments).length === 0) return skipDelivery("it has no Excel attachment");
  }
}

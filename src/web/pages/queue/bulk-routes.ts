/**
 * Bulk retry, skip and delete of the queue page's selection: GET /queue/bulk shows what the filter
 * selects now and asks; the POST selects again with the same filter, acts, and reports.
 */
import { Elysia } from "elysia";
import { DatabusError } from "../../../core/errors";
import { authorize, type Viewer } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { recordConsoleAction } from "./actions";
import { applyBulk, collectSelection, countSelection, formatCount } from "./bulk";
import { BulkConfirm, BulkResult } from "./bulk-confirm";
import { BULK_ACTIONS, entryFilterOf, parseQueueQuery, type BulkAction, type QueueQuery } from "./query";

export function bulkRoutes(web: Web) {
  return new Elysia()
    .use(resolveClient(web))
    .get("/queue/bulk", async ({ query: raw, viewer, client, render }) => {
      const action = parseBulkAction(raw.action, viewer);
      const query = parseQueueQuery(raw);
      const filter = entryFilterOf(query);
      let entries: number;
      let steps = 0;
      if (action === "delete") entries = await countSelection(web, client, filter);
      else ({ stepCount: steps, targets: { length: entries } } = await collectSelection(web, client, filter, action));
      return render({ title: `Bulk ${action}`, nav: "queue" }, { page: () => BulkConfirm({ client, action, query, entries, steps, csrf: viewer.csrf }) });
    })
    .post("/queue/bulk", async ({ body, query: rawQuery, viewer, client, render }) => {
      const form = formOf(body);
      const action = parseBulkAction(form.action, viewer);
      const query: QueueQuery = { ...parseQueueQuery({ ...form, client: rawQuery.client, page: undefined, sort: undefined }) };
      const { targets } = await collectSelection(web, client, entryFilterOf(query), action);
      const outcome = await applyBulk(web, client, action, targets);
      await recordConsoleAction(web, viewer, client, {
        title: `console: bulk ${action} of ${formatCount(outcome.entries)} entries`,
        definition: query.definition ?? null,
        message: `bulk ${action} of ${describeFilter(query)}: ${formatCount(outcome.changed)} changed, ${formatCount(outcome.skipped)} skipped because their state no longer allowed it.`,
      });
      return render({ title: `Bulk ${action}`, nav: "queue" }, { page: () => BulkResult({ outcome, query }) });
    });
}

/** The action, and whether this viewer may do it (delete: administrators only). */
function parseBulkAction(raw: unknown, viewer: Viewer): BulkAction {
  if (typeof raw !== "string" || !BULK_ACTIONS.includes(raw as BulkAction))
    throw new DatabusError("DBUS_WEB_BAD_INPUT", { field: "action", problem: `must be one of ${BULK_ACTIONS.join(", ")}` });
  const action = raw as BulkAction;
  authorize(viewer, action === "delete" ? "delete entries" : "retry or skip steps");
  return action;
}

function formOf(body: unknown): Record<string, string | undefined> {
  const form: Record<string, string | undefined> = {};
  if (body && typeof body === "object")
    for (const [k, v] of Object.entries(body)) if (typeof v === "string") form[k] = v;
  return form;
}

function describeFilter(q: QueueQuery): string {
  const parts = [q.definition && `definition ${q.definition}`, q.state && `state ${q.state}`, q.text && `text "${q.text}"`].filter(Boolean);
  return parts.length > 0 ? `the entries with ${parts.join(", ")}` : "every entry";
}

/**
 * One queue entry: its page, step actions (retry, skip, retry all failed), delete with confirmation
 * (administrators), and attachment downloads. Ids in the URL are validated before any lookup.
 */
import { Elysia } from "elysia";
import type { QueueEntry } from "../../../core/queue-entry";
import { can } from "../../../core/users";
import { authorize } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { isHtmx, redirect } from "../../htmx";
import { changeStep, deleteEntry, retryFailedSteps } from "./actions";
import { attachmentViews, downloadResponse, loadAttachment } from "./attachment-files";
import { ConfirmDelete, EntryPage } from "./entry";
import { loadEntry, parseEntryRef, parseStepIndex, parseStepVerb } from "./entry-params";
import { entryHref } from "./links";
import { queueHref } from "./query";
import { Steps } from "./steps";

const ENTRY = "/queue/:client/:id";

export function entryRoutes(web: Web) {
  return new Elysia()
    .use(resolveClient(web))
    .get(ENTRY, async ({ params, viewer, render }) => {
      const ref = await parseEntryRef(web.db, viewer, params);
      const entry = await loadEntry(web.db, ref);
      const steps = { client: ref.client, entry, csrf: viewer.csrf };
      return render(
        { title: `Entry ${entry.passenger.external_id}`, nav: "queue" },
        {
          fragment: () => Steps(steps),
          page: async () =>
            EntryPage({
              ...steps,
              attachments: await attachmentViews(web.db, ref, entry),
              canDelete: can(viewer.role, "delete entries", viewer.isRoot),
              otherClient: ref.client === viewer.client ? undefined : ref.client,
            }),
        },
      );
    })
    .post(`${ENTRY}/steps/:step/:action`, async ({ params, viewer, request }) => {
      authorize(viewer, "retry or skip steps");
      const verb = parseStepVerb(params.action);
      const ref = await parseEntryRef(web.db, viewer, params);
      const entry = await loadEntry(web.db, ref);
      const updated = await changeStep(web, viewer, ref.client, entry, parseStepIndex(params.step, entry), verb);
      return afterStepChange(request, ref.client, updated, viewer.csrf);
    })
    .post(`${ENTRY}/retry-failed`, async ({ params, viewer, request }) => {
      authorize(viewer, "retry or skip steps");
      const ref = await parseEntryRef(web.db, viewer, params);
      const updated = await retryFailedSteps(web, viewer, ref.client, await loadEntry(web.db, ref));
      return afterStepChange(request, ref.client, updated, viewer.csrf);
    })
    .get(`${ENTRY}/delete`, async ({ params, viewer, render }) => {
      authorize(viewer, "delete entries");
      const ref = await parseEntryRef(web.db, viewer, params);
      const entry = await loadEntry(web.db, ref);
      return render({ title: "Delete entry", nav: "queue" }, { page: () => ConfirmDelete({ client: ref.client, entry, csrf: viewer.csrf }) });
    })
    .post(`${ENTRY}/delete`, async ({ params, viewer, request }) => {
      authorize(viewer, "delete entries");
      const ref = await parseEntryRef(web.db, viewer, params);
      await deleteEntry(web, viewer, ref.client, await loadEntry(web.db, ref));
      return redirect(request, queueHref({ client: ref.client === viewer.client ? undefined : ref.client }));
    })
    .get(`${ENTRY}/attachments/:name`, async ({ params, viewer, request }) => {
      const ref = await parseEntryRef(web.db, viewer, params);
      return downloadResponse(await loadAttachment(web.db, ref, params.name, new URL(request.url).pathname));
    });
}

/** htmx gets the steps fragment to swap in place; a plain form goes back to the entry page. */
async function afterStepChange(request: Request, client: string, entry: QueueEntry, csrf: string): Promise<Response> {
  if (!isHtmx(request)) return redirect(request, entryHref(client, entry.passenger.id));
  return new Response(await Steps({ client, entry, csrf }), { headers: { "content-type": "text/html; charset=utf-8" } });
}

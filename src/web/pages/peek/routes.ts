/**
 * Peek: what waits in the sources of a client's definitions, without consuming anything; and the
 * download of one peeked attachment (it peeks again and streams that attachment).
 */
import { Elysia } from "elysia";
import { isDatabusError, reasonOf } from "../../../core/errors";
import type { DispatcherApi } from "../../../dispatcher/api";
import { seesAllClients } from "../../auth/guard";
import { resolveClient } from "../../auth/resolve-client";
import type { Web } from "../../deps";
import { parseDefinitionName, readDefinitions } from "../passengers/definitions";
import { downloadResponse, findPeekedAttachment } from "./download";
import { PeekPage } from "./peek";
import { parseAttachmentRef } from "./query";
import { PeekResults, type DefinitionPeek } from "./results";

export function peekRoutes(web: Web) {
  return new Elysia()
    .use(resolveClient(web))
    .get("/peek", async ({ viewer, client, query, render }) => {
      const selected = parseDefinitionName(query.definition, { optional: true });
      const config = await readDefinitions(web.db, client);
      const names = config.ok ? config.definitions.map((d) => d.name) : [];
      const linkClient = client === viewer.client ? undefined : client;
      const peeks: DefinitionPeek[] = config.ok
        ? await Promise.all((selected ? [selected] : names).map((d) => peekOne(web.dispatcher, client, d)))
        : [{ definition: "(configuration)", error: config.error }];
      return render(
        { title: "Peek", nav: "peek" },
        {
          fragment: () => PeekResults({ peeks, client: linkClient }),
          page: async () =>
            PeekPage({ client, linkClient, clients: seesAllClients(viewer) ? await web.db.listClients() : undefined, definitions: names, selected, peeks }),
        },
      );
    })
    .get("/peek/attachment", async ({ client, query }) => {
      const ref = parseAttachmentRef(query);
      return downloadResponse(findPeekedAttachment(await web.dispatcher.peek(client, ref.definition), ref));
    });
}

/** One definition's peek; its errors become part of the page, never a failed request. */
async function peekOne(dispatcher: DispatcherApi, client: string, definition: string): Promise<DefinitionPeek> {
  try {
    return { definition, results: await dispatcher.peek(client, definition) };
  } catch (e) {
    if (isDatabusError(e)) return { definition, error: e };
    return { definition, failure: `Peek failed: ${reasonOf(e)}` };
  }
}

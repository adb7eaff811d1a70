/**
 * `databus/http/poll_puller`: GETs a JSON API each run and turns each item of the answer into a
 * passenger (external_id = the item's id field, payload = the item). With a cursor it asks only for
 * what is new, page after page, and keeps the cursor in the plugin state.
 *
 * The cursor is advanced only once the items are seated: pull keeps the cursor it reached as
 * "pending", and notifySeated makes it the one the next run starts from. A crash in between means
 * the next run asks again from the old cursor, and the queue drops the repeats.
 *
 * Options:
 *   url                required, http(s); headers / headers_file as for webhook_pusher (never logged)
 *   items_path         dot path to the list in the answer ("" = the answer is the list)   default ""
 *   id_field           dot path to each item's id                                          default "id"
 *   cursor_param       query parameter that carries the cursor; without it every run reads all
 *   cursor_field       dot path in each item: the last item's value is the next cursor  default id_field
 *   next_cursor_path   dot path in the answer to the next cursor (for APIs that hand one out)
 *   initial_cursor     where the first run starts (default: no cursor, from the beginning)
 *   max_pages          most requests per run                                              default 10
 *   source_system      default: the url without its query string
 */
import { Puller, type Passenger, type PullContext } from "../../sdk/index";
import { DriverOptions, withCodeDefaults } from "../shared/options";
import Item, { type PassengerClass } from "./passenger-item";
import { bodySnippet, headersOption, send, shownUrl, urlOption } from "./request";

interface Settings {
  url: URL;
  headers: Record<string, string>;
  itemsPath: string;
  idField: string;
  cursorParam: string;
  cursorField: string;
  nextCursorPath: string;
  initialCursor: string;
  maxPages: number;
  sourceSystem: string;
}

type Cursor = string | number;

/** The options of `databus/http/poll_puller` (see the list above). */
export interface PollPullerOptions {
  url?: string;
  headers?: Record<string, string>;
  headers_file?: string;
  items_path?: string;
  id_field?: string;
  cursor_param?: string;
  cursor_field?: string;
  next_cursor_path?: string;
  initial_cursor?: string;
  max_pages?: number;
  source_system?: string;
}

/**
 * `databus/http/poll_puller`: each item of a JSON API is one passenger. Extend it to give an API
 * its own passenger type and definition, with its settings in code or in the client config.
 *
 * @example
 * ```ts
 * import { PollPuller, type PollPullerOptions } from "databus/http";
 * import Ticket from "./ticket"; // export default class Ticket extends Item<{ id: number }> {}
 * export default class Tickets extends PollPuller<Ticket> {
 *   passengerClass = Ticket;
 *   options: PollPullerOptions = { url: "https://desk.example.com/api/tickets", items_path: "data" };
 * }
 * ```
 */
export default class PollPuller<T extends Passenger = Item> extends Puller<T> {
  /** The passenger type it creates: Item, or any passenger type (name the definition after it). */
  passengerClass: PassengerClass<T> = Item as unknown as PassengerClass<T>;
  /** Option defaults in code; the client config's options override them key by key. */
  options: PollPullerOptions = {};

  async pull(context: PullContext): Promise<T[]> {
    const ctx = withCodeDefaults(context, this.options);
    const s = await settingsOf(ctx);
    const keys = stateKeys(ctx, s);
    await ctx.state.delete(keys.pending); // a pending cursor from a run that never seated must not be committed later
    const start = (await ctx.state.get<Cursor>(keys.cursor)) ?? (s.initialCursor || undefined);
    const { items, cursor } = await fetchPages(ctx, s, start, s.maxPages, this.passengerClass);
    if (cursor !== undefined && cursor !== start) await ctx.state.set(keys.pending, cursor);
    if (items.length > 0) ctx.log.info(`Found ${items.length} item(s) at ${shownUrl(s.url)}.`);
    return items;
  }

  /** The items up to the pending cursor are in the queue: the next run may start after them. */
  override async notifySeated(_items: T[], context: PullContext): Promise<void> {
    const ctx = withCodeDefaults(context, this.options);
    const keys = stateKeys(ctx, await settingsOf(ctx));
    const pending = await ctx.state.get<Cursor>(keys.pending);
    if (pending === undefined) return;
    await ctx.state.set(keys.cursor, pending);
    await ctx.state.delete(keys.pending);
  }

  /** The first page from the saved cursor; nothing is saved. */
  override async peek(context: PullContext): Promise<T[]> {
    const ctx = withCodeDefaults(context, this.options);
    const s = await settingsOf(ctx);
    const start = (await ctx.state.get<Cursor>(stateKeys(ctx, s).cursor)) ?? (s.initialCursor || undefined);
    return (await fetchPages(ctx, s, start, 1, this.passengerClass)).items;
  }
}

async function settingsOf(ctx: PullContext): Promise<Settings> {
  const o = new DriverOptions(ctx.driver, ctx.options);
  const url = urlOption(o);
  const idField = o.text("id_field", "id");
  return {
    url,
    headers: await headersOption(o, ctx),
    // "" (the answer itself is the list) is a valid path, which `text` would refuse as empty.
    itemsPath: ctx.options.items_path === "" ? "" : o.text("items_path", ""),
    idField,
    cursorParam: o.text("cursor_param", ""),
    cursorField: o.text("cursor_field", idField),
    nextCursorPath: o.text("next_cursor_path", ""),
    initialCursor: o.text("initial_cursor", ""),
    maxPages: o.number("max_pages", 10, 1, 1000),
    sourceSystem: o.text("source_system", shownUrl(url)),
  };
}

/** Per definition and address, so two definitions (or two APIs) never share a cursor. */
const stateKeys = (ctx: PullContext, s: Settings) => {
  const where = `${ctx.definition}:${shownUrl(s.url)}`;
  return { cursor: `cursor:${where}`, pending: `pending_cursor:${where}` };
};

/** Pages until an empty page, no next cursor, a cursor that does not move, or `maxPages`. */
async function fetchPages<T extends Passenger>(
  ctx: PullContext,
  s: Settings,
  start: Cursor | undefined,
  maxPages: number,
  passengerClass: PassengerClass<T>,
): Promise<{ items: T[]; cursor: Cursor | undefined }> {
  const items: T[] = [];
  let cursor = start;
  for (let page = 1; page <= maxPages; page++) {
    const answer = await getJson(ctx, s, cursor);
    const list = at(answer, s.itemsPath);
    if (!Array.isArray(list)) throw new Error(`${ctx.driver}: the answer of ${shownUrl(s.url)} has no list at items_path "${s.itemsPath}".`);
    for (const raw of list) {
      const id = at(raw, s.idField);
      if (typeof id !== "string" && typeof id !== "number") ctx.log.error(`${ctx.driver}: an item of ${shownUrl(s.url)} has no id at "${s.idField}"; it was left out.`);
      // The API is trusted to answer items of the shape the passenger type declares.
      else items.push(new passengerClass({ external_id: String(id), source_system: s.sourceSystem, payload: raw as T["payload"] }));
    }
    if (list.length === 0 || !s.cursorParam) break;
    const next = s.nextCursorPath ? at(answer, s.nextCursorPath) : at(list.at(-1), s.cursorField);
    if ((typeof next !== "string" && typeof next !== "number") || next === cursor) break;
    cursor = next;
    if (page === maxPages) ctx.log.info(`Read ${maxPages} page(s) of ${shownUrl(s.url)}; the next run goes on from there.`);
  }
  return { items, cursor };
}

async function getJson(ctx: PullContext, s: Settings, cursor: Cursor | undefined): Promise<unknown> {
  const url = new URL(s.url);
  if (s.cursorParam && cursor !== undefined) url.searchParams.set(s.cursorParam, String(cursor));
  const res = await send(ctx, url, { headers: { accept: "application/json", ...s.headers } });
  if (!res.ok) {
    const snippet = await bodySnippet(res);
    throw new Error(`${ctx.driver}: ${shownUrl(s.url)} answered HTTP ${res.status}${snippet ? `: ${snippet}` : ""}.`);
  }
  const text = await res.text();
  try {
    return JSON.parse(text);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    throw new Error(`${ctx.driver}: ${shownUrl(s.url)} did not answer JSON (it began with "${text.slice(0, 40)}").`);
  }
}

/** The value at a dot path (`data.items`, `meta.next`); "" is the value itself. */
function at(value: unknown, path: string): unknown {
  if (path === "") return value;
  let v = value;
  for (const part of path.split(".")) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

/**
 * `databus/http/webhook_pusher`: POSTs each passenger as JSON to a URL, with its idempotency key in
 * the `Idempotency-Key` header so the target can drop repeats (delivery is at-least-once).
 *
 * Failures follow the failure model: 408, 429, 5xx, no answer and the step timeout are retried
 * with backoff; any other 4xx or a redirect is an UnrecoverableError (the entry waits for a person).
 *
 * Options:
 *   url                required, http(s)
 *   headers            extra request headers (values are never logged); headers_file: a client file
 *                      (`ctx.files`) with a JSON object of headers, for secrets kept out of the config
 *   attachments        "none" (names, types and sizes only), "inline" (base64 in the JSON), or
 *                      "multipart" (multipart/form-data: part `passenger` is the JSON, each
 *                      attachment a file part `attachments`)                         default "none"
 *   secret / secret_file   when set, `signature_header` carries `sha256=<hex HMAC-SHA256 of the body>`
 *   signature_header   default "X-Databus-Signature"
 */
import { createHmac } from "node:crypto";
import { Pusher, UnrecoverableError, type Attachment, type Passenger, type PushContext } from "../../sdk/index";
import { DriverOptions, withCodeDefaults } from "../shared/options";
import { passengerDocument } from "../shared/passenger-document";
import { bodySnippet, headersOption, isRetryableStatus, secretOption, send, shownUrl, urlOption } from "./request";

const ATTACHMENTS = ["none", "inline", "multipart"] as const;

/** The options of `databus/http/webhook_pusher` (see the list above). */
export interface WebhookPusherOptions {
  url?: string;
  headers?: Record<string, string>;
  headers_file?: string;
  attachments?: (typeof ATTACHMENTS)[number];
  secret?: string;
  secret_file?: string;
  signature_header?: string;
}

/**
 * `databus/http/webhook_pusher`: POSTs each passenger as JSON with an `Idempotency-Key` header.
 *
 * @example
 * ```ts
 * import { WebhookPusher, type WebhookPusherOptions } from "databus/http";
 * export default class ErpHook extends WebhookPusher {
 *   options: WebhookPusherOptions = { url: "https://erp.example.com/hook", secret_file: "erp.secret" };
 * }
 * ```
 */
export default class WebhookPusher extends Pusher {
  /** Option defaults in code; the client config's options override them key by key. */
  options: WebhookPusherOptions = {};

  async push(passenger: Passenger, context: PushContext): Promise<void> {
    const ctx = withCodeDefaults(context, this.options);
    const o = new DriverOptions(ctx.driver, ctx.options);
    const url = urlOption(o);
    const mode = o.choice("attachments", ATTACHMENTS, "none");
    const signatureHeader = o.text("signature_header", "X-Databus-Signature");
    const [extra, secret] = await Promise.all([headersOption(o, ctx), secretOption(o, ctx)]);

    const { body, contentType } = await encode(passenger, ctx.idempotencyKey, mode);
    const headers: Record<string, string> = { ...extra, "content-type": contentType, "idempotency-key": ctx.idempotencyKey };
    if (secret !== "") headers[signatureHeader] = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

    const res = await send(ctx, url, { method: "POST", headers, body });
    if (res.ok) {
      await res.body?.cancel();
      ctx.log.info(`Delivered ${passenger.external_id} to ${shownUrl(url)} (HTTP ${res.status}).`);
      return;
    }
    const answer = `${shownUrl(url)} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ""}`;
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      throw new UnrecoverableError(`${ctx.driver}: ${answer}, a redirect; set the option \`url\` to the address it points to.`);
    }
    const snippet = await bodySnippet(res);
    const said = snippet ? `: ${snippet}` : "";
    if (isRetryableStatus(res.status)) throw new Error(`${ctx.driver}: ${answer}${said}; Databus will try again.`);
    throw new UnrecoverableError(`${ctx.driver}: ${answer}${said}; the target refuses this passenger, so it is not sent again.`);
  }
}

/** The body exactly as sent, so the signature covers the same bytes the target receives. */
async function encode(p: Passenger, idempotencyKey: string, mode: (typeof ATTACHMENTS)[number]): Promise<{ body: Uint8Array<ArrayBuffer>; contentType: string }> {
  const document = passengerDocument(p, idempotencyKey, p.attachments.map((a) => describeAttachment(a, mode === "inline")));
  const json = JSON.stringify(document);
  if (mode !== "multipart") return { body: new TextEncoder().encode(json), contentType: "application/json" };
  const form = new FormData();
  form.append("passenger", new Blob([json], { type: "application/json" }), "passenger.json");
  for (const a of p.attachments) form.append("attachments", new Blob([bytesOf(a)], { type: a.media_type ?? "application/octet-stream" }), a.name);
  const request = new Request("http://localhost/", { method: "POST", body: form });
  const contentType = request.headers.get("content-type")!; // read first: Bun forgets it once the body is consumed
  return { body: new Uint8Array(await request.arrayBuffer()), contentType };
}

function describeAttachment(a: Attachment, inline: boolean) {
  const bytes = bytesOf(a);
  const facts = { name: a.name, media_type: a.media_type ?? "application/octet-stream", size: bytes.byteLength };
  return inline ? { ...facts, content_base64: Buffer.from(bytes).toString("base64") } : facts;
}

const bytesOf = (a: Attachment): Uint8Array<ArrayBuffer> =>
  typeof a.content === "string" ? new TextEncoder().encode(a.content) : new Uint8Array(a.content);

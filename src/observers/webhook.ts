/** Delivers an observer message by webhook: POST JSON with a timeout and an optional HMAC-SHA256 signature. */
import { createHmac } from "node:crypto";
import type { WebhookTarget } from "../core/observers";
import type { ObserverMessage } from "./message";

/** The header receivers check: `sha256=` and the hex HMAC of the exact body bytes with the shared secret. */
export const SIGNATURE_HEADER = "X-Databus-Signature";

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

export async function sendWebhook(target: WebhookTarget, message: ObserverMessage): Promise<void> {
  const body = JSON.stringify(message);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "Databus observer",
    "x-databus-event": `${message.type}:${message.event}`,
  };
  if (target.secret) headers[SIGNATURE_HEADER] = signBody(body, target.secret);
  // The address may carry credentials (user:password@); errors name only host and path.
  const where = safeAddress(target.url);
  let res: Response;
  try {
    res = await fetch(target.url, { method: "POST", headers, body, signal: AbortSignal.timeout(target.timeoutMs), redirect: "error" });
  } catch (e) {
    const reason = (e as Error).name === "TimeoutError" ? `no answer within ${target.timeoutMs / 1000}s` : (e as Error).message;
    throw new Error(`POST ${where} failed: ${reason}`);
  }
  await res.body?.cancel();
  if (!res.ok) throw new Error(`POST ${where} answered ${res.status} ${res.statusText}`.trim());
}

function safeAddress(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

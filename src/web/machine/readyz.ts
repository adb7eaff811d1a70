/**
 * /readyz: 200 when storage answers and the dispatcher is not stopping; 503 otherwise, with one line
 * saying why, for load balancers and orchestrators (no login, no details beyond that line).
 */
import { Elysia } from "elysia";
import type { Web } from "../deps";

export function readyz(web: Web) {
  return new Elysia().get("/readyz", async ({ set }) => {
    set.headers["content-type"] = "text/plain; charset=utf-8";
    const problem = await notReadyBecause(web);
    set.status = problem ? 503 : 200;
    return problem ? `not ready: ${problem}` : "ready";
  });
}

async function notReadyBecause(web: Web): Promise<string | null> {
  // The engine's own status line first: it is written for readers and never holds a secret.
  const status = web.db.status();
  if (!status.ready) return `storage ${status.text}`;
  const state = web.dispatcher.state;
  if (state === "stopping" || state === "stopped") return `the dispatcher is ${state}`;
  try {
    await web.db.listClients();
  } catch (e) {
    // The reason stays in the server log; the probe answer is public.
    console.error("web: /readyz storage check failed", e);
    return "storage is not reachable";
  }
  return null;
}

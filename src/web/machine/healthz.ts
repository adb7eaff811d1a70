/** /healthz: the process is alive and serving HTTP. Checks nothing else, so it never flaps. */
import { Elysia } from "elysia";

export function healthz() {
  return new Elysia().get("/healthz", ({ set }) => {
    set.headers["content-type"] = "text/plain; charset=utf-8";
    return "ok";
  });
}

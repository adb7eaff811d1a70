/**
 * IMAP sessions against real listeners: the errors a person sees for a closed port, a silent
 * server, a wrong password and a wrong token (never with the secret in them), and XOAUTH2.
 */
import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { createServer, type Server } from "node:net";
import { withImap } from "../../../../src/drivers/mail/imap-session";
import type { ImapAccount } from "../../../../src/drivers/mail/mail-options";
import ImapPuller from "../../../../src/drivers/mail/puller-imap";
import { buildMessage, freePort, openMailbox, startDovecot, type Dovecot } from "../../../support/mail-servers";
import { fakeContext } from "../fake-context";

const PASSWORD = "s3cret-Pa55word";
const TOKEN = "ya29.good-token-for-alice";
let dovecot: Dovecot;
let tokens: ReturnType<typeof Bun.serve>;

beforeAll(async () => {
  // Dovecot checks XOAUTH2 tokens by POSTing them here (RFC 7662 introspection).
  tokens = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const token = new URLSearchParams(await req.text()).get("token");
      return Response.json(token === TOKEN ? { active: true, username: "alice" } : { active: false });
    },
  });
  dovecot = await startDovecot({ users: { alice: PASSWORD }, introspectionUrl: `http://127.0.0.1:${tokens.port}/introspect` });
  const imap = await openMailbox(dovecot, "alice", PASSWORD);
  await imap.append("INBOX", buildMessage({ id: "oauth-1@test", subject: "for the token" }));
  await imap.logout();
}, 30_000);
afterAll(async () => {
  await dovecot?.stop();
  tokens?.stop(true);
});

const account = (over: Partial<ImapAccount>): ImapAccount => ({
  name: "alice", host: dovecot.host, port: dovecot.port, tls: false, user: "alice", password: PASSWORD, folder: "INBOX",
  search: { all: true }, onSeated: ["none"], forwardTo: [], timeoutMs: 5000, maxMessages: 10, ...over,
});
const never = new AbortController().signal;
const attempt = (a: ImapAccount) => withImap(a, never, async (imap) => imap.mailbox).then(() => "connected", (e: Error) => e.message);

describe("withImap", () => {
  describe("when nothing listens on the port", () => {
    it("says the connection was refused, naming host and port", async () => {
      const port = await freePort();
      expect(await attempt(account({ port }))).toBe(`Nothing answers on 127.0.0.1:${port} (connection refused): check the host, the port and \`tls\`.`);
    });
  });

  describe("when the server accepts but never greets", () => {
    let silent: Server;
    afterAll(() => silent?.close());

    it("gives up after timeout_seconds and says so", async () => {
      silent = createServer(() => {}); // holds the connection open, says nothing
      const port = await freePort();
      await new Promise<void>((r) => silent.listen(port, "127.0.0.1", r));
      expect(await attempt(account({ port, timeoutMs: 1000 }))).toBe(`The IMAP server 127.0.0.1:${port} did not answer within 1 s (raise \`timeout_seconds\` if it is slow).`);
    });
  });

  describe("when an XOAUTH2 access token is given", () => {
    it("logs in with a good token and pulls", async () => {
      const ctx = fakeContext({ options: { host: dovecot.host, port: dovecot.port, tls: false, user: "alice", access_token: TOKEN } });
      expect((await new ImapPuller().pull(ctx)).map((m) => m.external_id)).toEqual(["oauth-1@test"]);
    });
  });

  describe("when the step is aborted during the session", () => {
    it("stops and says why", async () => {
      const controller = new AbortController();
      const result = withImap(account({}), controller.signal, async () => {
        controller.abort();
        await Bun.sleep(50);
        throw new Error("the connection was closed");
      }).catch((e: Error) => e.message);
      expect(await result).toBe("The IMAP session with alice on 127.0.0.1:" + dovecot.port + " was stopped (step timeout or shutdown).");
    });
  });

  // Dovecot slows down logins from an address after failures: these come last.
  describe("when the login is refused", () => {
    it("says so for a wrong password, without the password", async () => {
      const message = await attempt(account({ password: `${PASSWORD}-wrong` }));
      expect(message).toBe(`The IMAP server 127.0.0.1:${dovecot.port} refused the login of alice: wrong password, or the account is locked.`);
      expect(message).not.toContain(PASSWORD);
    });

    it("says so for a bad XOAUTH2 token, without the token", async () => {
      const message = await attempt(account({ password: undefined, accessToken: "ya29.stolen-or-expired" }));
      expect(message).toBe(`The IMAP server 127.0.0.1:${dovecot.port} refused the login of alice: wrong access token, or the account is locked.`);
      expect(message).not.toContain("ya29");
    });
  });
});

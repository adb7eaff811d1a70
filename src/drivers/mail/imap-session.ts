/**
 * One IMAP session per use: connect with the account's timeouts, run the work, log out. Turns
 * the library's errors into sentences that name the server and the user, never the secret.
 */
import type { ImapFlow } from "imapflow";

/** Loaded on first use: the IMAP client costs ~40 MB and ~100 ms at every start of a server that may never read mail. */
const imapflow = (): typeof import("imapflow") => require("imapflow");
import type { ImapAccount } from "./mail-options";

/** Connects, runs `work`, logs out (or drops the connection when logout fails). Aborts with `signal`. */
export async function withImap<T>(account: ImapAccount, signal: AbortSignal, work: (imap: ImapFlow) => Promise<T>): Promise<T> {
  const imap = new (imapflow().ImapFlow)({
    host: account.host,
    port: account.port,
    secure: account.tls === true,
    doSTARTTLS: account.tls === "starttls" ? true : account.tls === false ? false : undefined,
    auth: account.accessToken ? { user: account.user, accessToken: account.accessToken } : { user: account.user, pass: account.password },
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: account.timeoutMs,
    greetingTimeout: account.timeoutMs,
    socketTimeout: account.timeoutMs,
  });
  // Without a listener, an 'error' event (socket reset, timeout) would end the whole process.
  let lastError: unknown;
  imap.on("error", (e: unknown) => (lastError = e));
  const onAbort = () => imap.close();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    if (signal.aborted) throw new Error("the step was stopped before connecting");
    await imap.connect().catch((e) => {
      throw describeImapError(e ?? lastError, account);
    });
    try {
      return await work(imap);
    } catch (e) {
      throw signal.aborted ? new Error(`The IMAP session with ${where(account)} was stopped (step timeout or shutdown).`) : describeImapError(e, account);
    } finally {
      // Logout failing (the connection already dropped) changes nothing for the caller.
      await imap.logout().catch(() => imap.close());
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

const where = (a: ImapAccount) => `${a.user} on ${a.host}:${a.port}`;

/** A readable error for what went wrong talking to the server; the secret is never in it. */
export function describeImapError(e: unknown, account: ImapAccount): Error {
  const err = (e ?? {}) as { code?: string; authenticationFailed?: boolean; message?: string; responseText?: string; mailboxMissing?: boolean; path?: string };
  const server = `${account.host}:${account.port}`;
  let message: string;
  if (err.authenticationFailed)
    message = `The IMAP server ${server} refused the login of ${account.user}: wrong ${account.accessToken ? "access token" : "password"}, or the account is locked.`;
  else if (err.code === "ECONNREFUSED") message = `Nothing answers on ${server} (connection refused): check the host, the port and \`tls\`.`;
  else if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") message = `The IMAP server name ${account.host} cannot be resolved: check \`host\`.`;
  else if (err.code === "CONNECT_TIMEOUT" || err.code === "ETIMEDOUT" || err.code === "GREETING_TIMEOUT" || /timeout/i.test(err.code ?? ""))
    message = `The IMAP server ${server} did not answer within ${account.timeoutMs / 1000} s (raise \`timeout_seconds\` if it is slow).`;
  else if (err.mailboxMissing) message = `The folder ${err.path ?? account.folder} does not exist in the mailbox of ${account.user} on ${server}.`;
  else message = `IMAP with ${account.user} on ${server} failed: ${err.responseText || err.message || String(e)}.`;
  // No `cause`: the library's error may carry the command as sent, which for LOGIN holds the password.
  return new Error(redact(message, account));
}

function redact(text: string, a: ImapAccount): string {
  let out = text;
  for (const secret of [a.password, a.accessToken]) if (secret) out = out.split(secret).join("***");
  return out;
}

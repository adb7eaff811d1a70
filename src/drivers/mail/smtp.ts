/**
 * Sending one mail over SMTP (nodemailer) for the smtp_pusher and the IMAP pullers' forward
 * action. One connection per call; errors name the server, never the password.
 */
import type Nodemailer from "nodemailer";

/** Loaded on first use (see imap-session.ts). */
const nodemailer = (): typeof Nodemailer => require("nodemailer");
import type Mail from "nodemailer/lib/mailer";
import { UnrecoverableError } from "../../sdk/index";
import type { SmtpSettings } from "./mail-options";

/** Sends `message` (from defaults to the settings' `from`). Rejects with a readable error. */
export async function sendMail(smtp: SmtpSettings, message: Mail.Options, signal: AbortSignal): Promise<void> {
  const transport = nodemailer().createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.tls === true,
    requireTLS: smtp.tls === "starttls",
    ignoreTLS: smtp.tls === false,
    auth: smtp.user && smtp.password ? { user: smtp.user, pass: smtp.password } : undefined,
    connectionTimeout: smtp.timeoutMs,
    greetingTimeout: smtp.timeoutMs,
    socketTimeout: smtp.timeoutMs,
  });
  const onAbort = () => transport.close();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    if (signal.aborted) throw new Error("the step was stopped before sending");
    await transport.sendMail({ from: smtp.from, ...message });
  } catch (e) {
    throw describeSmtpError(e, smtp);
  } finally {
    signal.removeEventListener("abort", onAbort);
    transport.close();
  }
}

export function describeSmtpError(e: unknown, smtp: SmtpSettings): Error {
  const err = (e ?? {}) as { code?: string; responseCode?: number; response?: string; message?: string };
  const server = `${smtp.host}:${smtp.port}`;
  let message: string;
  if (err.code === "EAUTH") message = `The SMTP server ${server} refused the login of ${smtp.user}: wrong password, or the account is locked.`;
  else if (err.code === "ECONNREFUSED" || /ECONNREFUSED/.test(err.message ?? "")) message = `Nothing answers on ${server} (connection refused): check the SMTP host, port and \`tls\`.`;
  else if (err.code === "ECONNECTION" || err.code === "ESOCKET") message = `The connection to the SMTP server ${server} failed (${err.message ?? "no reason given"}): check the host, port and \`tls\`.`;
  else if (err.code === "ETIMEDOUT") message = `The SMTP server ${server} did not answer within ${smtp.timeoutMs / 1000} s.`;
  else if (err.responseCode) message = `The SMTP server ${server} rejected the mail: ${err.response ?? err.responseCode}.`;
  else message = `Sending mail through ${server} failed: ${err.message ?? String(e)}.`;
  const text = smtp.password ? message.split(smtp.password).join("***") : message;
  // 5xx is the server's final word on this mail (RFC 5321 §4.2.1); 4xx and network trouble pass.
  return (err.responseCode ?? 0) >= 500 && err.code !== "EAUTH" ? new UnrecoverableError(text) : new Error(text);
}

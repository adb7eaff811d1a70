/** Delivers an observer message by mail through the SMTP server the observer names (nodemailer). */
import type Nodemailer from "nodemailer";

/** Loaded on the first mail: most servers never send one. */
const nodemailer = (): typeof Nodemailer => require("nodemailer");
import type { MailTarget } from "../core/observers";
import { mailSubject, mailText, type ObserverMessage } from "./message";

export async function sendMail(target: MailTarget, message: ObserverMessage): Promise<void> {
  const transport = nodemailer().createTransport({
    host: target.host,
    port: target.port,
    secure: target.secure,
    auth: target.user ? { user: target.user, pass: target.password ?? "" } : undefined,
    connectionTimeout: target.timeoutMs,
    greetingTimeout: target.timeoutMs,
    socketTimeout: target.timeoutMs,
  });
  try {
    await transport.sendMail({ from: target.from, to: target.to, subject: mailSubject(message), text: mailText(message) });
  } catch (e) {
    // nodemailer's messages name the server and the SMTP answer, never the password.
    throw new Error(`mail through ${target.host}:${target.port} failed: ${(e as Error).message}`);
  } finally {
    transport.close();
  }
}

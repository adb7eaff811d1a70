/**
 * Real mail servers on loopback for the mail driver tests: Dovecot (IMAP, passwd-file users,
 * Maildir, optional XOAUTH2 against a local token endpoint) and Postfix's smtp-sink (every mail
 * it receives lands as one file in a folder). Each runs from a throwaway folder with its own
 * config; nothing under /etc or /var is read or written. Debian packages: dovecot-imapd, postfix.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { ImapFlow } from "imapflow";

const DOVECOT = "/usr/sbin/dovecot";
const SMTP_SINK = "/usr/sbin/smtp-sink";

export interface Dovecot {
  host: string;
  port: number;
  /** The dovecot log, for a failing test's message. */
  log(): Promise<string>;
  stop(): Promise<void>;
}

export interface SmtpSink {
  host: string;
  port: number;
  /** Every message received so far, raw, oldest first. */
  received(): Promise<string[]>;
  /** Forget what was received (between tests). */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

export interface DovecotOptions {
  /** user name → password (stored as {PLAIN} in a passwd-file). */
  users: Record<string, string>;
  /** When set, XOAUTH2/OAUTHBEARER logins are checked by POSTing the token to this URL (RFC 7662). */
  introspectionUrl?: string;
}

/**
 * Who the server processes run as. Dovecot refuses uid 0 for mail and root for its login
 * processes, and smtp-sink wants -u under root: so under root the Debian package's own system
 * users do the work; as anyone else, that user does everything.
 */
function serviceUsers(): { login: string; mailUid: number; mailGid: number; mailUser: string; sinkUser?: string } {
  if (process.getuid?.() === 0) {
    const mail = systemUser("dovecot");
    return { login: "dovenull", mailUid: mail.uid, mailGid: mail.gid, mailUser: "dovecot", sinkUser: "dovenull" };
  }
  const me = userInfo();
  return { login: me.username, mailUid: me.uid, mailGid: me.gid, mailUser: me.username };
}

function systemUser(name: string): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8").split("\n").find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`the system user ${name} is missing: install Debian's dovecot-imapd (apt-get install dovecot-imapd postfix)`);
  const [, , uid, gid] = line.split(":");
  return { uid: Number(uid), gid: Number(gid) };
}

function requireBinary(path: string, pkg: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: install Debian's ${pkg} (apt-get install dovecot-imapd postfix); npm test does so when run as root`);
}

/** A free loopback port (asked from the kernel, then released for the server to take). */
export async function freePort(): Promise<number> {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** Waits until something on host:port sends a greeting that starts with `expect`. */
async function waitForGreeting(port: number, expect: string, child: ChildProcess, what: () => Promise<string>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}:\n${await what()}`);
    const greeting = await new Promise<string>((resolve) => {
      const s = connect({ host: "127.0.0.1", port });
      s.setTimeout(2000, () => (s.destroy(), resolve("")));
      s.once("data", (d) => (s.destroy(), resolve(d.toString())));
      s.once("error", () => resolve(""));
    });
    if (greeting.startsWith(expect)) return;
    await Bun.sleep(100);
  }
  throw new Error(`no server answered on 127.0.0.1:${port} within 15 s:\n${await what()}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  await Promise.race([exited, Bun.sleep(5000).then(() => child.kill("SIGKILL"))]);
  await exited;
}

export async function startDovecot(options: DovecotOptions): Promise<Dovecot> {
  requireBinary(DOVECOT, "dovecot-imapd");
  const dir = await mkdtemp(join(tmpdir(), "databus-dovecot-"));
  // The login processes run as another user under root and must reach the sockets in here.
  await chmod(dir, 0o755);
  const users = serviceUsers();
  const home = join(dir, "home");
  await mkdir(home);
  await chown(home, users.mailUid, users.mailGid);
  const passwd = Object.entries(options.users).map(([u, p]) => `${u}:{PLAIN}${p}::::::`).join("\n");
  await writeFile(join(dir, "passwd"), `${passwd}\n`);
  const port = await freePort();
  await writeFile(join(dir, "dovecot.conf"), dovecotConfig(dir, port, users, options.introspectionUrl));
  if (options.introspectionUrl) await writeFile(join(dir, "oauth2.conf.ext"), oauth2Config(options.introspectionUrl));
  const child = spawn(DOVECOT, ["-F", "-c", join(dir, "dovecot.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const log = async () => `${output}${await readFile(join(dir, "dovecot.log"), "utf8").catch(() => "")}`;
  await waitForGreeting(port, "* OK", child, log);
  return {
    host: "127.0.0.1",
    port,
    log,
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function dovecotConfig(dir: string, port: number, u: ReturnType<typeof serviceUsers>, introspectionUrl?: string): string {
  const oauth = introspectionUrl
    ? `passdb {\n  driver = oauth2\n  mechanisms = xoauth2 oauthbearer\n  args = ${dir}/oauth2.conf.ext\n}\n`
    : "";
  return `# Throwaway Dovecot for tests (written by test/support/mail-servers.ts).
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
# Failed logins are part of the tests: no deliberate delay after them.
auth_failure_delay = 0
auth_mechanisms = plain login${introspectionUrl ? " xoauth2 oauthbearer" : ""}
first_valid_uid = 1
default_login_user = ${u.login}
default_internal_user = ${u.mailUser}
default_internal_group = ${u.mailUser}
mail_location = maildir:${dir}/home/%u/Maildir
${oauth}passdb {
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${u.mailUid} gid=${u.mailGid} home=${dir}/home/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
  chroot =
}
service anvil {
  chroot =
}
service auth {
  user = ${process.getuid?.() === 0 ? "root" : u.login}
}
service stats {
  user = ${process.getuid?.() === 0 ? "root" : u.login}
}
`;
}

function oauth2Config(url: string): string {
  return `introspection_mode = post\nintrospection_url = ${url}\nusername_attribute = username\nactive_attribute = active\nactive_value = true\n`;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  requireBinary(SMTP_SINK, "postfix");
  const dir = await mkdtemp(join(tmpdir(), "databus-smtp-sink-"));
  const inbox = join(dir, "received");
  await mkdir(inbox);
  const users = serviceUsers();
  const args: string[] = [];
  if (users.sinkUser) {
    await chmod(dir, 0o755);
    const { uid, gid } = systemUser(users.sinkUser);
    await chown(inbox, uid, gid);
    args.push("-u", users.sinkUser);
  }
  const port = await freePort();
  // -d: one file per mail transaction, named from the template plus a random hex suffix.
  const child = spawn(SMTP_SINK, [...args, "-d", `${inbox}/mail.`, `127.0.0.1:${port}`, "16"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  await waitForGreeting(port, "220", child, async () => output);
  return {
    host: "127.0.0.1",
    port,
    async received() {
      const files = await readdir(inbox);
      const mails = await Promise.all(files.map(async (f) => ({ f, text: await readFile(join(inbox, f), "utf8"), at: Bun.file(join(inbox, f)).lastModified })));
      return mails.sort((a, b) => a.at - b.at || a.f.localeCompare(b.f)).map((m) => m.text);
    },
    async clear() {
      for (const f of await readdir(inbox)) await rm(join(inbox, f), { force: true });
    },
    async stop() {
      await stopChild(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** An IMAP session for the tests' own checks and deliveries (APPEND), closed by the caller. */
export async function openMailbox(server: { host: string; port: number }, user: string, pass: string): Promise<ImapFlow> {
  const imap = new ImapFlow({ host: server.host, port: server.port, secure: false, doSTARTTLS: false, auth: { user, pass }, logger: false });
  await imap.connect();
  return imap;
}

/** A small RFC 5322 message; `extra` adds raw MIME parts (already encoded) to a multipart body. */
export function buildMessage(m: { id: string; subject: string; from?: string; to?: string; text?: string; html?: string; parts?: string[] }): string {
  const headers = [
    `From: ${m.from ?? "Sender <sender@example.test>"}`,
    `To: ${m.to ?? "alice@example.test"}`,
    `Subject: ${m.subject}`,
    `Date: Mon, 05 Jan 2026 10:00:00 +0000`,
    `Message-ID: <${m.id}>`,
    "MIME-Version: 1.0",
  ];
  const text = `Content-Type: text/plain; charset=utf-8\r\n\r\n${m.text ?? "Hello."}\r\n`;
  // Text and HTML are two renderings of one body: multipart/alternative inside the mixed part.
  const body1 = m.html
    ? `Content-Type: multipart/alternative; boundary="b2"\r\n\r\n--b2\r\n${text}--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n${m.html}\r\n--b2--\r\n`
    : text;
  const parts = [body1, ...(m.parts ?? [])];
  const body = parts.map((p) => `--b1\r\n${p}`).join("") + "--b1--\r\n";
  return `${headers.join("\r\n")}\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n${body}`;
}

/** A MIME part carrying `bytes` as a base64 attachment. */
export function attachmentPart(name: string, mediaType: string, bytes: Uint8Array): string {
  const b64 = Buffer.from(bytes).toString("base64").replace(/.{76}/g, "$&\r\n");
  return `Content-Type: ${mediaType}; name="${name}"\r\nContent-Disposition: attachment; filename="${name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${b64}\r\n`;
}

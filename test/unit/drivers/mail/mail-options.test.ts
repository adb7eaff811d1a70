import { describe, expect, it } from "bun:test";
import { readImapAccount, readSmtp } from "../../../../src/drivers/mail/mail-options";
import { isUnrecoverable, type ClientFiles } from "../../../../src/sdk/index";

const files: ClientFiles = {
  read: async (name) => (name === "imap.secret" ? "from-file\n" : Promise.reject(new Error(`ENOENT /srv/data/clients/acme/files/${name}`))),
  readJson: async <T>() => ({}) as T,
  list: async () => ["imap.secret"],
};
const base = { host: "mail.test", user: "u", password: "pw" };

describe("mail options", () => {
  it("fills the defaults of one mailbox", async () => {
    expect(await readImapAccount(base, "p", files)).toMatchObject({
      name: "u@mail.test", port: 993, tls: true, folder: "INBOX", search: { seen: false }, onSeated: ["mark_seen"], timeoutMs: 30_000, maxMessages: 100,
    });
    expect((await readImapAccount({ ...base, tls: "starttls" }, "p", files)).port).toBe(143);
  });

  it("reads a secret from the client's files", async () => {
    const a = await readImapAccount({ host: "h", user: "u", password_file: "imap.secret" }, "p", files);
    expect(a.password).toBe("from-file");
  });

  it("names the driver and the option in every problem, and never a path or a secret", async () => {
    const problem = (o: Record<string, unknown>) => readImapAccount(o, "databus/mail/imap_puller", files).then(() => "ok", (e: Error) => e.message);
    expect(await problem({ user: "u", password: "pw" })).toBe("databus/mail/imap_puller: the option `host` is missing.");
    expect(await problem({ host: "h", user: "u" })).toContain("give `password` (or `password_file`) or `access_token`");
    expect(await problem({ ...base, on_seated: "archive" })).toBe('databus/mail/imap_puller: `on_seated` has "archive"; use mark_seen, move, delete, forward, none.');
    expect(await problem({ ...base, on_seated: "move" })).toContain("give `move_to`");
    expect(await problem({ ...base, on_seated: ["forward"], forward_to: "x@test" })).toContain("give `smtp`");
    expect(await problem({ ...base, tls: "yes" })).toBe('databus/mail/imap_puller: the option `tls` must be true, false or "starttls".');
    const missing = await problem({ host: "h", user: "u", password_file: "nope.txt" });
    expect(missing).toBe("databus/mail/imap_puller: the option `password_file` names nope.txt, which is not among the client's files.");
    // Retrying the same config cannot help: the entry waits for the fix.
    expect(await readImapAccount({}, "p", files).then(() => false, isUnrecoverable)).toBe(true);
  });

  it("reads SMTP settings with their defaults", async () => {
    expect(await readSmtp({ host: "smtp.test", user: "me@test", password: "pw" }, "s", files)).toMatchObject({ port: 465, tls: true, from: "me@test" });
    expect((await readSmtp({ host: "smtp.test", tls: false }, "s", files)).from).toBe("databus@localhost");
  });
});

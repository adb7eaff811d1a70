import { afterAll, beforeAll, describe, expect, it } from "bun:test";
import { zipSync } from "fflate";
import Email, { type EmailPayload } from "../../../../src/drivers/mail/email";

const payload: EmailPayload = { account: "a", folder: "INBOX", uid: 1, uid_validity: "1", message_id: "m@test", subject: "s", from: "f", to: [], cc: [], date: null };
let server: ReturnType<typeof Bun.serve>;
beforeAll(() => {
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("<stock/>", { headers: { "content-type": "application/xml" } }) });
});
afterAll(() => server?.stop(true));

const mail = () =>
  new Email({
    external_id: "m@test",
    payload,
    attachments: [
      { name: "_body.txt", content: "Hello" },
      { name: "_body.html", content: `<a href="http://127.0.0.1:${server.port}/stock.xml">stock</a>` },
      { name: "a.xml", content: "<a/>" },
      { name: "b.zip", content: zipSync({ "a.xml": new TextEncoder().encode("<inner/>"), "c.csv": new TextEncoder().encode("1,2") }) },
    ],
  });

describe("Email", () => {
  it("gives its bodies and its files", () => {
    const m = mail();
    expect(m.bodyText()).toBe("Hello");
    expect(m.files().map((a) => a.name)).toEqual(["a.xml", "b.zip"]);
    expect(m.xmlAttachments().map((a) => a.name)).toEqual(["a.xml"]);
    expect(m.attachmentsByExtension("zip", "csv").map((a) => a.name)).toEqual(["b.zip"]);
  });

  it("adds the files of its zips to itself, without overwriting its own", () => {
    const m = mail();
    expect(m.unzipAttachments({ extensions: ["xml"] }).map((a) => a.name)).toEqual(["a (2).xml"]);
    expect(m.xmlAttachments().map((a) => a.name)).toEqual(["a.xml", "a (2).xml"]);
  });

  it("adds the files its HTML links to when private targets are allowed, and reports refusals otherwise", async () => {
    const refused = mail();
    const r1 = await refused.downloadLinkedFiles({ extensions: ["xml"] });
    expect(r1.skipped).toHaveLength(1);
    expect(refused.attachments).toHaveLength(4);
    const allowed = mail();
    const r2 = await allowed.downloadLinkedFiles({ extensions: ["xml"], allowPrivateNetworks: true });
    expect(r2.files.map((f) => f.name)).toEqual(["stock.xml"]);
    expect(allowed.attachmentText("stock.xml")).toBe("<stock/>");
  });
});

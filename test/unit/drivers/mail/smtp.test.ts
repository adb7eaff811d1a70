import { describe, expect, it } from "bun:test";
import type { SmtpSettings } from "../../../../src/drivers/mail/mail-options";
import { describeSmtpError, sendMail } from "../../../../src/drivers/mail/smtp";
import { isUnrecoverable } from "../../../../src/sdk/index";

const smtp: SmtpSettings = { host: "smtp.test", port: 587, tls: "starttls", user: "me", password: "Secret-42", from: "me@test", timeoutMs: 5000 };

describe("smtp", () => {
  it("describes a refused login without the password", () => {
    const e = describeSmtpError(Object.assign(new Error("Invalid login: 535 Secret-42"), { code: "EAUTH" }), smtp);
    expect(e.message).toBe("The SMTP server smtp.test:587 refused the login of me: wrong password, or the account is locked.");
    expect(isUnrecoverable(e)).toBe(false); // a rotated password is fixed in the config, then it works
  });

  it("passes the server's rejection on, with the password blanked if the server echoed it", () => {
    const e = describeSmtpError({ responseCode: 550, response: "550 no relay for Secret-42" }, smtp);
    expect(e.message).toBe("The SMTP server smtp.test:587 rejected the mail: 550 no relay for ***.");
    expect(isUnrecoverable(e)).toBe(true); // 5xx: final
    expect(isUnrecoverable(describeSmtpError({ responseCode: 451, response: "451 try later" }, smtp))).toBe(false);
  });

  it("does not send once the step is stopped", async () => {
    const stopped = AbortSignal.abort();
    await expect(sendMail(smtp, { to: "x@test", text: "t" }, stopped)).rejects.toThrow("the step was stopped before sending");
  });
});

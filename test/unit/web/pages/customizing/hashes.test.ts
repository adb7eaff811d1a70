import { describe, expect, it } from "bun:test";
import { HIDDEN_HASH, hideHashes, restoreHashes } from "../../../../../src/web/pages/customizing/hashes";

const H1 = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaDE";
const H2 = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaDI";
const stored = JSON.stringify({ users: [{ username: "ada", role: "administrator", password_hash: H1 }, { username: "otto", role: "operator", password_hash: H2 }] }, null, 2);

describe("config hashes on pages", () => {
  it("hides every hash and keeps the rest of the text as it was", () => {
    const shown = hideHashes(stored);
    expect(shown).not.toContain("$argon2");
    expect(shown.split(HIDDEN_HASH)).toHaveLength(3);
    expect(shown.replaceAll(HIDDEN_HASH, "x")).toBe(stored.replace(H1, "x").replace(H2, "x"));
  });

  it("puts each user's stored hash back, matched by name even when users were reordered", () => {
    const edited = JSON.stringify({ users: [{ username: "otto", role: "administrator", password_hash: HIDDEN_HASH }, { username: "ada", role: "administrator", password_hash: HIDDEN_HASH }] });
    const saved = JSON.parse(restoreHashes("acme", edited, stored));
    expect(saved.users).toEqual([
      { username: "otto", role: "administrator", password_hash: H2 },
      { username: "ada", role: "administrator", password_hash: H1 },
    ]);
  });

  it("leaves the placeholder of a user without a stored hash, for validation to name", () => {
    const edited = JSON.stringify({ users: [{ username: "new", role: "operator", password_hash: HIDDEN_HASH }] });
    expect(restoreHashes("acme", edited, stored)).toBe(edited);
  });

  it("leaves text that is not JSON alone", () => {
    expect(restoreHashes("acme", `{"users": [${HIDDEN_HASH}`, stored)).toBe(`{"users": [${HIDDEN_HASH}`);
  });
});

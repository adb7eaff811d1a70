/** Users inside a config text, shared by the relational engines: read, put, delete, hash plain passwords. */
import { describe, expect, it } from "bun:test";
import { hashPlainPasswords, usersOf, withoutUser, withUser } from "../../../src/storage/config-users";

const HASH = "$argon2id$v=19$m=65536,t=2,p=1$abc$def";
const config = (users: unknown) => JSON.stringify({ log_life_span: 7, users });

describe("config users", () => {
  describe("when users are read", () => {
    it("lists users with a hash and leaves out those without", () => {
      const text = config([{ username: "ann", role: "administrator", password_hash: HASH }, { username: "bob" }]);
      expect(usersOf("acme", text)).toEqual([{ username: "ann", role: "administrator", password_hash: HASH }]);
    });

    it("fails closed on a config that is not JSON", () => {
      expect(() => usersOf("acme", "{ nope")).toThrow(expect.objectContaining({ code: "DBUS_CFG_INVALID_JSON" }));
    });

    it("raises DBUS_CFG_INVALID_FIELD for a bad role", () => {
      expect(() => usersOf("acme", config([{ username: "ann", role: "king", password_hash: HASH }]))).toThrow(
        expect.objectContaining({ code: "DBUS_CFG_INVALID_FIELD" }),
      );
    });
  });

  describe("when users are changed", () => {
    it("adds, replaces and deletes, keeping the rest of the config", () => {
      const added = withUser("acme", config([]), { username: "ann", role: "operator", password_hash: HASH });
      const replaced = withUser("acme", added, { username: "ann", role: "administrator", password_hash: HASH });
      expect(usersOf("acme", replaced)).toEqual([{ username: "ann", role: "administrator", password_hash: HASH }]);
      expect(JSON.parse(replaced).log_life_span).toBe(7);
      expect(usersOf("acme", withoutUser("acme", replaced, "ann") ?? "")).toEqual([]);
      expect(withoutUser("acme", replaced, "nobody")).toBeUndefined();
    });
  });

  describe("when a config holds plain passwords", () => {
    it("replaces each with an argon2id hash in the same place", async () => {
      const text = await hashPlainPasswords(config([{ username: "ann", password: "pw", role: "operator" }]));
      const user = JSON.parse(text ?? "{}").users[0];
      expect(Object.keys(user)).toEqual(["username", "password_hash", "role"]);
      expect(await Bun.password.verify("pw", user.password_hash)).toBe(true);
    });

    it("returns undefined when there is nothing to hash", async () => {
      expect(await hashPlainPasswords(config([{ username: "ann", password_hash: HASH }]))).toBeUndefined();
      expect(await hashPlainPasswords("not json")).toBeUndefined();
    });
  });
});

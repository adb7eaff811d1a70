/** Roles and what each may do; user-name rules. */
import { describe, expect, it } from "bun:test";
import { ROLES, can, isUsername, type Action } from "../../../src/core/users";

const ACTIONS: Action[] = [
  "view",
  "run now",
  "retry or skip steps",
  "delete entries",
  "manage users",
  "edit the configuration",
  "export or import",
  "manage the system",
];

describe("can", () => {
  describe("when the role is operator", () => {
    it("may view, run now and retry or skip, and nothing else", () => {
      expect(ACTIONS.filter((a) => can("operator", a))).toEqual(["view", "run now", "retry or skip steps"]);
      expect(ACTIONS.filter((a) => can("operator", a, true))).toEqual(["view", "run now", "retry or skip steps"]);
    });
  });

  describe("when the role is administrator", () => {
    it("may do everything for its client except manage the system", () => {
      expect(ACTIONS.filter((a) => !can("administrator", a))).toEqual(["manage the system"]);
    });

    it("may also manage the system when the client is root", () => {
      expect(ACTIONS.every((a) => can("administrator", a, true))).toBe(true);
    });
  });

  it("knows exactly two roles", () => {
    expect([...ROLES]).toEqual(["operator", "administrator"]);
  });
});

describe("isUsername", () => {
  describe("when checking names", () => {
    it.each(["alice", "a.b@example.com", "x_y-z", "x".repeat(64)])("accepts %p", (n) => expect(isUsername(n)).toBe(true));
    it.each(["", "a b", "a/b", "<script>", "x".repeat(65)])("rejects %p", (n) => expect(isUsername(n)).toBe(false));
  });
});

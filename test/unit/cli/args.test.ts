import { describe, expect, it } from "bun:test";
import { parseArgs } from "../../../src/cli/args";

describe("parseArgs", () => {
  it("splits command, positional arguments and flags in both spellings", () => {
    expect(parseArgs(["new", "puller", "acme/x", "--home", "/h", "--port=9"])).toEqual({
      command: "new",
      positional: ["puller", "acme/x"],
      flags: { home: "/h", port: "9" },
    });
  });

  it("treats --help and --version as switches", () => {
    expect(parseArgs(["--help"]).flags.help).toBe("true");
    expect(parseArgs(["-v"]).flags.version).toBe("true");
  });

  describe("when a flag has no value", () => {
    it("raises DBUS_SET_USAGE naming the flag", () => {
      expect(() => parseArgs(["--port"])).toThrow(expect.objectContaining({ code: "DBUS_SET_USAGE", message: expect.stringContaining("--port") }));
    });
  });
});

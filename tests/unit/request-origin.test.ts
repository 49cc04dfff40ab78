import { describe, expect, it } from "vitest";
import { foreignRequestRefusal, loopbackOnly, originPolicy } from "@/emulator/server/request-origin";

// The emulator's cross-site rule: loopback Host names and loopback (or configured) web origins only; no Origin at all
// is what SDKs and CLIs send, and passes.

const refused = (headers: Record<string, string>, policy = loopbackOnly) => foreignRequestRefusal(headers, policy);

describe("the emulator's origin and Host check", () => {
  it("lets SDK-style requests through: a loopback Host and no Origin", () => {
    for (const host of ["127.0.0.1:4566", "localhost:4566", "LOCALHOST", "[::1]:4566", "127.0.0.2", "emulator.localhost:4566"]) {
      expect(refused({ host }), host).toBeNull();
    }
    expect(refused({})).toBeNull();
  });

  it("refuses a Host that is not a loopback name with a 403 AccessDenied", () => {
    for (const host of ["rebind.example:4566", "127.0.0.1.evil.example", "10.0.0.5:4566", "[::2]:4566", "", "local host", "localhost:4566:1"]) {
      const error = refused({ host });
      expect(error, host).toMatchObject({ code: "AccessDenied", status: 403, shapeName: "AccessDeniedException" });
    }
  });

  it("accepts loopback origins on any port and refuses every other origin, null included", () => {
    for (const origin of ["http://localhost:3000", "https://127.0.0.1", "http://[::1]:8080"]) expect(refused({ host: "localhost", origin }), origin).toBeNull();
    for (const origin of ["https://evil.example", "null", "http://localhost.evil.example", "file://", "chrome-extension://abc", "ftp://localhost"]) {
      expect(refused({ host: "localhost", origin })?.message, origin).toMatch(/web origin .* are refused/);
    }
  });

  it("admits the configured origins and host names, and refuses configuration that is not one", () => {
    const policy = originPolicy(["https://Console.Example:8443/"], ["Emulator.Internal"]);
    expect(policy).toEqual({ extraOrigins: ["https://console.example:8443"], extraHosts: ["emulator.internal"] });
    expect(refused({ host: "emulator.internal:4566", origin: "https://console.example:8443" }, policy)).toBeNull();
    expect(refused({ host: "emulator.internal", origin: "https://console.example" }, policy)?.code).toBe("AccessDenied");
    expect(() => originPolicy(["console.example"], [])).toThrow(/not an origin/);
    expect(() => originPolicy(["https://console.example/app"], [])).toThrow(/not an origin/);
    expect(() => originPolicy([], ["emulator.internal:4566"])).toThrow(/not a host name/);
    expect(() => originPolicy([], ["https://emulator.internal"])).toThrow(/not a host name/);
  });
});

import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, newNonce, securityHeaders } from "@/lib/auth/security-headers";

const directives = (policy: string) => new Map(policy.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

describe("security headers", () => {
  it("allows scripts only with the request's nonce, and no framing, plugins or base changes", () => {
    const nonce = newNonce();
    const policy = directives(contentSecurityPolicy({ nonce, development: false, https: false }));
    expect(policy.get("script-src")).toEqual(["'self'", `'nonce-${nonce}'`, "'strict-dynamic'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'self'"]);
    expect(policy.has("upgrade-insecure-requests")).toBe(false);
  });

  it("makes a different nonce of 128 random bits each time", () => {
    const nonces = new Set(Array.from({ length: 100 }, newNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });

  it("runs no script at all in an answer without a nonce (refusals)", () => {
    expect(directives(contentSecurityPolicy({ nonce: null, development: true, https: false })).get("script-src")).toEqual(["'none'"]);
  });

  it("adds eval for next dev only, and HSTS and upgrades over https only", () => {
    expect(contentSecurityPolicy({ nonce: "n", development: true, https: false })).toContain("'unsafe-eval'");
    expect(contentSecurityPolicy({ nonce: "n", development: false, https: false })).not.toContain("'unsafe-eval'");
    const overHttps = new Map(securityHeaders({ nonce: "n", development: false, https: true }));
    expect(overHttps.get("Strict-Transport-Security")).toBe("max-age=31536000");
    expect(overHttps.get("Content-Security-Policy")).toContain("upgrade-insecure-requests");
    expect(new Map(securityHeaders({ nonce: "n", development: false, https: false })).has("Strict-Transport-Security")).toBe(false);
  });
});

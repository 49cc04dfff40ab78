import { describe, expect, it } from "vitest";
import { hostRefusal, hostRule } from "@/lib/auth/allowed-hosts";
import { parseEnv } from "@/lib/env";

const production = parseEnv({
  NODE_ENV: "production",
  NEXTAUTH_URL: "https://deck.example.com",
  NEXTAUTH_SECRET: "s".repeat(32),
  GITHUB_ID: "id",
  GITHUB_SECRET: "secret",
  CACHEDECK_ALLOWED_HOSTS: "cachedeck.internal:3000",
});
const demo = parseEnv({ NODE_ENV: "production", CACHEDECK_DEMO: "1", NEXTAUTH_URL: "http://127.0.0.1:4000" });
const dev = parseEnv({ CACHEDECK_DEMO: "1" });

const refused = (env: typeof demo, host: string | null, forwarded?: string) =>
  hostRefusal(new Headers({ ...(host === null ? {} : { host }), ...(forwarded ? { "x-forwarded-host": forwarded } : {}) }), hostRule(env)) !== null;

describe("host check", () => {
  it("serves the configured public host (any case, default port or not) and the configured extra hosts", () => {
    for (const host of ["deck.example.com", "DECK.example.com", "deck.example.com:443", "cachedeck.internal:3000"]) {
      expect(refused(production, host), host).toBe(false);
    }
  });

  it("refuses every other host in production, loopback names included", () => {
    for (const host of ["rebind.example", "deck.example.com:8443", "localhost", "127.0.0.1", "cachedeck.internal", "evil@deck.example.com", "deck.example.com/x", "", "deck.example.com.evil.example"]) {
      expect(refused(production, host), host).toBe(true);
    }
    expect(refused(production, null)).toBe(true);
  });

  it("in demo mode serves the demo's URL and loopback names on its port, nothing else", () => {
    for (const host of ["127.0.0.1:4000", "localhost:4000", "[::1]:4000"]) expect(refused(demo, host), host).toBe(false);
    for (const host of ["rebind.example:4000", "127.0.0.1:4001", "localhost", "0.0.0.0:4000", "127.0.0.2:4000"]) expect(refused(demo, host), host).toBe(true);
  });

  it("without NEXTAUTH_URL (next dev) serves loopback names on any port only", () => {
    expect(refused(dev, "localhost:3000")).toBe(false);
    expect(refused(dev, "127.0.0.1:51234")).toBe(false);
    expect(refused(dev, "rebind.example:3000")).toBe(true);
  });

  it("refuses a forwarded host that is not CacheDeck's, even when Host is", () => {
    expect(refused(demo, "127.0.0.1:4000", "127.0.0.1:4000")).toBe(false);
    expect(refused(demo, "127.0.0.1:4000", "rebind.example:4000")).toBe(true);
    expect(refused(demo, "rebind.example:4000", "127.0.0.1:4000")).toBe(true);
  });

  it("rejects an extra host with a scheme or path at start-up", () => {
    expect(() => parseEnv({ CACHEDECK_DEMO: "1", CACHEDECK_ALLOWED_HOSTS: "https://deck.example.com/" })).toThrow(/CACHEDECK_ALLOWED_HOSTS.*without scheme or path/);
  });
});

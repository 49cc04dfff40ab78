import { describe, expect, it } from "vitest";
import type { Account, User } from "next-auth";
import { buildAuthOptions, sessionCookieName } from "@/lib/auth/options";
import { parseEnv } from "@/lib/env";

const secret = "s".repeat(32);
const real = parseEnv({
  NEXTAUTH_SECRET: secret,
  NEXTAUTH_URL: "https://deck.example.com",
  GITHUB_ID: "gh-id",
  GITHUB_SECRET: "gh-secret",
  OIDC_ISSUER: "https://login.example.com",
  OIDC_CLIENT_ID: "id",
  OIDC_CLIENT_SECRET: "secret",
  CACHEDECK_OPERATOR_GROUPS: "sre",
});
const demo = parseEnv({ CACHEDECK_DEMO: "1" });

const account = (provider: string): Account => ({ provider, providerAccountId: "1", type: provider === "demo" ? "credentials" : "oauth" });

// next-auth applies a built-in provider's user options (such as its id) over its defaults when it starts.
const providerIds = (env: typeof demo) =>
  buildAuthOptions(env).providers.map((p) => (p as { options?: { id?: string } }).options?.id ?? p.id);

describe("auth options", () => {
  it("offers only the demo users in demo mode, and only the configured providers otherwise", () => {
    expect(providerIds(demo)).toEqual(["demo"]);
    expect(providerIds(real)).toEqual(["github", "oidc"]);
  });

  it("uses JWT sessions that expire, and httpOnly SameSite cookies that are Secure over https", () => {
    const options = buildAuthOptions(real);
    expect(options.session).toMatchObject({ strategy: "jwt", maxAge: 8 * 3600 });
    expect(options.useSecureCookies).toBe(true);
    expect(options.cookies?.sessionToken).toEqual({
      name: "__Host-cachedeck.session",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: true },
    });
    expect(sessionCookieName(demo)).toBe("cachedeck.session");
    expect(buildAuthOptions(demo).cookies?.sessionToken?.options.secure).toBe(false);
  });

  it("refuses a sign-in no role rule admits and puts the mapped role in the token", async () => {
    const { callbacks } = buildAuthOptions(real);
    const sre: User = { id: "u1", email: "kim@example.com", groups: ["sre"] };
    const stranger: User = { id: "u2", email: "kim@example.com", groups: [] };
    expect(await callbacks!.signIn!({ user: sre, account: account("oidc") })).toBe(true);
    expect(await callbacks!.signIn!({ user: stranger, account: account("oidc") })).toBe(false);
    const token = await callbacks!.jwt!({ token: { sub: "u1" }, user: sre, account: account("oidc"), trigger: "signIn" });
    expect(token).toMatchObject({ role: "operator", provider: "oidc" });
  });

  it("takes a demo user's role only in demo mode", async () => {
    const admin: User = { id: "demo-admin", email: "admin@demo.cachedeck.local", role: "admin" };
    expect(await buildAuthOptions(demo).callbacks!.signIn!({ user: admin, account: account("demo") })).toBe(true);
    expect(await buildAuthOptions(real).callbacks!.signIn!({ user: admin, account: account("demo") })).toBe(false);
  });
});

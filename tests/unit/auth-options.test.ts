import { describe, expect, it } from "vitest";
import type { Account, NextAuthOptions, User } from "next-auth";
import { buildAuthOptions, sessionCookieName } from "@/lib/auth/options";
import { parseEnv } from "@/lib/env";

const secret = "s".repeat(32);
const realSource = {
  NEXTAUTH_SECRET: secret,
  NEXTAUTH_URL: "https://deck.example.com",
  GITHUB_ID: "gh-id",
  GITHUB_SECRET: "gh-secret",
  OIDC_ISSUER: "https://login.example.com",
  OIDC_CLIENT_ID: "id",
  OIDC_CLIENT_SECRET: "secret",
  CACHEDECK_OPERATOR_GROUPS: "sre",
};
const real = parseEnv(realSource);
const demo = parseEnv({ CACHEDECK_DEMO: "1" });

const account = (provider: string): Account => ({ provider, providerAccountId: "1", type: provider === "demo" ? "credentials" : "oauth" });

type JwtParams = Parameters<NonNullable<NonNullable<NextAuthOptions["callbacks"]>["jwt"]>>[0];

/** The jwt callback as next-auth calls it on every request after sign-in: with the token only. */
const onRequest = (env: typeof demo, token: JwtParams["token"]) =>
  buildAuthOptions(env).callbacks!.jwt!({ token: { ...token } } as JwtParams);

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

  it("maps a real sign-in's role again on every request, so a changed mapping applies at once", async () => {
    const sre: User = { id: "u1", email: "kim@example.com", groups: ["sre"] };
    const signedIn = await buildAuthOptions(real).callbacks!.jwt!({ token: { sub: "u1", email: "kim@example.com" }, user: sre, account: account("oidc"), trigger: "signIn" });
    expect(signedIn).toMatchObject({ role: "operator", groups: ["sre"] });

    const promoted = parseEnv({ ...realSource, CACHEDECK_ADMIN_EMAILS: "kim@example.com" });
    expect(await onRequest(promoted, signedIn)).toMatchObject({ role: "admin" });

    const removed = parseEnv({ ...realSource, CACHEDECK_OPERATOR_GROUPS: "" });
    const token = await onRequest(removed, signedIn);
    expect(token.role).toBeUndefined();
    const session = await buildAuthOptions(removed).callbacks!.session!({ session: { user: { email: "kim@example.com" }, expires: "" }, token } as never);
    expect((session.user as { role?: string } | undefined)?.role).toBeUndefined();
  });

  it("drops a demo session's role when the server is not in demo mode", async () => {
    const demoToken = { sub: "demo-admin", role: "admin" as const, provider: "demo" };
    expect((await onRequest(real, demoToken)).role).toBeUndefined();
    expect((await onRequest(demo, demoToken)).role).toBe("admin");
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Account, NextAuthOptions, User } from "next-auth";
import { decode as plainDecode, encode as plainEncode } from "next-auth/jwt";
import { buildAuthOptions as buildWith, sessionCookieName } from "@/lib/auth/options";
import { RevokedSessions } from "@/lib/auth/revoked-sessions";
import { pinSessionCookieExpiry } from "@/lib/auth/session-token";
import { openDatabase, type OpenDatabase } from "@/lib/db/database";
import { parseEnv, type Env } from "@/lib/env";

// Revocations go to a real SQLite file, as in the app.
let dir: string;
let database: OpenDatabase;
let revoked: RevokedSessions;
beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-auth-options-"));
  database = await openDatabase({ dialect: "sqlite", file: path.join(dir, "cachedeck.sqlite") });
  revoked = new RevokedSessions(database.db);
});
afterAll(async () => {
  await database?.db.destroy();
  if (dir) rmSync(dir, { recursive: true, force: true });
});
const buildAuthOptions = (env: Env) => buildWith(env, revoked);

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

  it("admits someone only an account's own rules name: that account's role, no global role, gone once the rule is", async () => {
    const none = { emails: [], groups: [] };
    const staging = [{ name: "staging", people: { viewer: none, operator: { emails: ["lee@example.com"], groups: [] }, admin: none } }];
    const { callbacks } = buildWith(real, revoked, staging);
    const lee: User = { id: "u3", email: "lee@example.com", groups: [] };
    expect(await callbacks!.signIn!({ user: lee, account: account("oidc") })).toBe(true);
    expect(await buildAuthOptions(real).callbacks!.signIn!({ user: lee, account: account("oidc") })).toBe(false);
    const token = await callbacks!.jwt!({ token: { sub: "u3", email: "lee@example.com" }, user: lee, account: account("oidc"), trigger: "signIn" });
    expect(token.role).toBeUndefined();
    expect(token.accountRoles).toEqual({ staging: "operator" });
    const session = await callbacks!.session!({ session: { user: { email: "lee@example.com" }, expires: "" }, token } as never);
    expect(session.user).toMatchObject({ id: "u3", role: null, accountRoles: { staging: "operator" } });

    const dropped = buildWith(real, revoked, []);
    const after = await dropped.callbacks!.jwt!({ token: { ...token } } as JwtParams);
    expect(after.accountRoles).toEqual({});
    const ended = await dropped.callbacks!.session!({ session: { user: { email: "lee@example.com" }, expires: "" }, token: after } as never);
    expect((ended.user as { role?: unknown } | undefined)?.role).toBeUndefined();

    // The demo's staging-only user signs in through the accounts file's rule, and only in demo mode.
    const stella: User = { id: "demo-staging-only", email: "staging-only@demo.cachedeck.local" };
    const demoStaging = [{ name: "staging", people: { viewer: { emails: ["staging-only@demo.cachedeck.local"], groups: [] }, operator: none, admin: none } }];
    expect(await buildWith(demo, revoked, demoStaging).callbacks!.signIn!({ user: stella, account: account("demo") })).toBe(true);
    expect(await buildWith(demo, revoked, []).callbacks!.signIn!({ user: stella, account: account("demo") })).toBe(false);
    expect(await buildWith(real, revoked, demoStaging).callbacks!.signIn!({ user: stella, account: account("demo") })).toBe(false);
  });

  it("drops a demo session's role when the server is not in demo mode", async () => {
    const demoToken = { sub: "demo-admin", role: "admin" as const, provider: "demo" };
    expect((await onRequest(real, demoToken)).role).toBeUndefined();
    expect((await onRequest(demo, demoToken)).role).toBe("admin");
  });

  it("starts every sign-in with its own session id and sign-in time", async () => {
    const { callbacks } = buildAuthOptions(demo);
    const admin: User = { id: "demo-admin", role: "admin" };
    const first = await callbacks!.jwt!({ token: { sub: "demo-admin" }, user: admin, account: account("demo"), trigger: "signIn" });
    const second = await callbacks!.jwt!({ token: { sub: "demo-admin" }, user: admin, account: account("demo"), trigger: "signIn" });
    expect(first.sid).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.sid).not.toBe(first.sid);
    expect(Math.abs((first.authTime as number) - Date.now() / 1000)).toBeLessThan(5);
    // A later read keeps them: the lifetime counts from the sign-in, not from the last request.
    expect(await onRequest(demo, first)).toMatchObject({ sid: first.sid, authTime: first.authTime });
  });
});

describe("session tokens", () => {
  const { secret, maxAgeSeconds } = demo.session;
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (authTime: number, sid = crypto.randomUUID()) => ({ sub: "demo-admin", role: "admin" as const, provider: "demo", sid, authTime });
  const codec = () => buildAuthOptions(demo).jwt!;

  it("expires a token at sign-in + max age, however often it is re-issued", async () => {
    const signedInAt = now() - 3600;
    const token = await codec().encode!({ token: claims(signedInAt), secret, maxAge: maxAgeSeconds });
    const payload = await plainDecode({ token, secret });
    expect(payload?.exp).toBeGreaterThanOrEqual(signedInAt + maxAgeSeconds - 1);
    expect(payload?.exp).toBeLessThanOrEqual(signedInAt + maxAgeSeconds + 1);
  });

  it("refuses a token past its absolute lifetime even when its own expiry was pushed out", async () => {
    // What next-auth's plain encoder makes of a session read continuously since its sign-in: a fresh `exp`.
    const stale = await plainEncode({ token: claims(now() - maxAgeSeconds - 1), secret, maxAge: maxAgeSeconds });
    expect(await plainDecode({ token: stale, secret })).not.toBeNull();
    expect(await codec().decode!({ token: stale, secret })).toBeNull();
    const fresh = await plainEncode({ token: claims(now() - maxAgeSeconds + 60), secret, maxAge: maxAgeSeconds });
    expect(await codec().decode!({ token: fresh, secret })).toMatchObject({ role: "admin" });
  });

  it("refuses a token without a session id or sign-in time (issued before sessions could be revoked)", async () => {
    const legacy = await plainEncode({ token: { sub: "demo-admin", role: "admin", provider: "demo" }, secret, maxAge: 60 });
    expect(await codec().decode!({ token: legacy, secret })).toBeNull();
  });

  it("pins a re-issued session cookie's Expires and Max-Age to the session's end, chunks included; other cookies pass", async () => {
    const signedInAt = now() - 3000;
    const endsAt = new Date((signedInAt + maxAgeSeconds) * 1000);
    const token = await codec().encode!({ token: claims(signedInAt), secret, maxAge: maxAgeSeconds });
    // What next-auth sends on a session read: a fresh now + max age.
    const sliding = new Date(Date.now() + maxAgeSeconds * 1000).toUTCString();
    const csrf = "next-auth.csrf-token=abc; Path=/; HttpOnly; SameSite=Lax";
    const cleared = "cachedeck.session.1=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Lax";
    const pinned = await pinSessionCookieExpiry([csrf, `cachedeck.session=${token}; Path=/; Expires=${sliding}; HttpOnly; SameSite=Lax`, cleared], "cachedeck.session", secret, maxAgeSeconds);
    expect(pinned[0]).toBe(csrf);
    expect(pinned[1]).toBe(`cachedeck.session=${token}; Path=/; HttpOnly; SameSite=Lax; Expires=${endsAt.toUTCString()}; Max-Age=${pinned[1].match(/Max-Age=(\d+)/)![1]}`);
    expect(Number(pinned[1].match(/Max-Age=(\d+)/)![1])).toBeGreaterThanOrEqual(maxAgeSeconds - 3000 - 5);
    expect(Number(pinned[1].match(/Max-Age=(\d+)/)![1])).toBeLessThanOrEqual(maxAgeSeconds - 3000);
    expect(pinned[2]).toBe(cleared);

    // A token too big for one cookie travels in chunks (name.0, name.1, …); every chunk gets the same end.
    const chunks = [token.slice(0, 100), token.slice(100)].map((part, i) => `__Host-cachedeck.session.${i}=${part}; Path=/; Expires=${sliding}; Secure`);
    const pinnedChunks = await pinSessionCookieExpiry(chunks.reverse(), "__Host-cachedeck.session", secret, maxAgeSeconds);
    for (const chunk of pinnedChunks) expect(chunk).toContain(`Expires=${endsAt.toUTCString()}`);

    // Something that is no session of ours is left as next-auth wrote it.
    const foreign = `cachedeck.session=not-a-token; Path=/; Expires=${sliding}`;
    expect(await pinSessionCookieExpiry([foreign], "cachedeck.session", secret, maxAgeSeconds)).toEqual([foreign]);
  });

  it("revokes a session at sign-out, refusing its token from then on", async () => {
    const session = claims(now());
    const token = await codec().encode!({ token: session, secret, maxAge: maxAgeSeconds });
    expect(await codec().decode!({ token, secret })).toMatchObject({ sid: session.sid });
    await buildAuthOptions(demo).events!.signOut!({ token: session, session: undefined as never });
    expect(await codec().decode!({ token, secret })).toBeNull();
    expect(await revoked.isRevoked(session.sid)).toBe(true);
  });
});

describe("redirect after sign-in", () => {
  const redirect = (url: string) => buildAuthOptions(real).callbacks!.redirect!({ url, baseUrl: "https://deck.example.com" });
  it("follows paths on the own origin and sends anything else home", async () => {
    expect(await redirect("/clusters/us-east-1/orders?range=1h")).toBe("https://deck.example.com/clusters/us-east-1/orders?range=1h");
    expect(await redirect("https://deck.example.com/audit")).toBe("https://deck.example.com/audit");
    for (const evil of ["//evil.example", "/.//evil.example", "https://evil.example/", "javascript:alert(1)"]) {
      expect(await redirect(evil)).toBe("https://deck.example.com/");
    }
  });
});

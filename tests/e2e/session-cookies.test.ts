import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { demoSession } from "../helpers/demo-session";
import { startApp, type RunningApp } from "../helpers/next-app";

// The session cookie as the browser receives it: HttpOnly and SameSite always, Secure and __Host- bound whenever the
// public URL is https (here behind a pretend TLS proxy), and expiring with the session: at sign-in + lifetime, however
// often next-auth re-issues it.

// No page is rendered, so no AWS endpoint is needed: a closed port makes any AWS call fail loudly.
const noAws = "http://127.0.0.1:9";
let plain: RunningApp;
let behindTls: RunningApp;

beforeAll(async () => {
  [plain, behindTls] = await Promise.all([
    startApp({ awsEndpoint: noAws, env: { CACHEDECK_SESSION_MAX_AGE: "3600" } }),
    startApp({ awsEndpoint: noAws, httpsPublicUrl: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain?.stop(), behindTls?.stop()]);
});

function attributes(setCookie: string): Map<string, string> {
  return new Map(
    setCookie
      .split(";")
      .slice(1)
      .map((part) => {
        const [key, ...rest] = part.trim().split("=");
        return [key.toLowerCase(), rest.join("=")] as [string, string];
      }),
  );
}

describe("session cookie", () => {
  it("over http: cachedeck.session, HttpOnly, SameSite=Lax, not Secure, expiring with the configured lifetime", async () => {
    const session = await demoSession(plain.url, "viewer");
    expect(session.name).toBe("cachedeck.session");
    const attrs = attributes(session.setCookie);
    expect(attrs.has("httponly")).toBe(true);
    expect(attrs.get("samesite")?.toLowerCase()).toBe("lax");
    expect(attrs.get("path")).toBe("/");
    expect(attrs.has("secure")).toBe(false);
    const expires = Date.parse(attrs.get("expires") ?? "");
    expect(expires - Date.now()).toBeGreaterThan(3500 * 1000);
    expect(expires - Date.now()).toBeLessThan(3700 * 1000);
  });

  it("with an https public URL: __Host-cachedeck.session, Secure, HttpOnly, SameSite=Lax, no Domain", async () => {
    const session = await demoSession(behindTls.url, "viewer");
    expect(session.name).toBe("__Host-cachedeck.session");
    const attrs = attributes(session.setCookie);
    expect(attrs.has("secure")).toBe(true);
    expect(attrs.has("httponly")).toBe(true);
    expect(attrs.get("samesite")?.toLowerCase()).toBe("lax");
    expect(attrs.has("domain")).toBe(false);
  });

  it("with an https public URL, answers carry HSTS and ask the browser to upgrade any http sub-request", async () => {
    for (const pathname of ["/sign-in", "/api/auth/csrf", "/"]) {
      const response = await fetch(new URL(pathname, behindTls.url), { redirect: "manual" });
      expect(response.headers.get("strict-transport-security"), pathname).toBe("max-age=31536000");
      expect(response.headers.get("content-security-policy"), pathname).toContain("upgrade-insecure-requests");
    }
    const overHttp = await fetch(new URL("/sign-in", plain.url));
    expect(overHttp.headers.get("strict-transport-security")).toBeNull();
  });

  it("with an https public URL, the proxy reads the __Host- cookie: the session opens pages", async () => {
    const session = await demoSession(behindTls.url, "operator");
    const response = await fetch(new URL("/audit/export?format=json", behindTls.url), { headers: { cookie: session.header }, redirect: "manual" });
    expect(response.status).toBe(200);
    const plainName = await fetch(new URL("/audit/export?format=json", behindTls.url), {
      headers: { cookie: `cachedeck.session=${session.value}` },
      redirect: "manual",
    });
    expect(plainName.status).toBe(307);
  });

  it("re-issues the cookie on a session read expiring at the session's absolute end (sign-in + lifetime), never later", async () => {
    const { secret } = parseEnv({ CACHEDECK_DEMO: "1" }).session;
    // Signed in 40 minutes ago with a one-hour lifetime: 20 minutes are left, whatever next-auth would slide it to.
    const authTime = Math.floor(Date.now() / 1000) - 2400;
    const claims = { sub: "demo-viewer", name: "Vera Viewer", email: "viewer@demo.cachedeck.local", role: "viewer" as const, provider: "demo", sid: crypto.randomUUID(), authTime };
    const cookie = `cachedeck.session=${await encode({ token: claims, secret, maxAge: 1200 })}`;
    const response = await fetch(new URL("/api/auth/session", plain.url), { headers: { cookie } });
    expect(response.status).toBe(200);
    const endsAt = (authTime + 3600) * 1000;
    expect(Date.parse((await response.json()).expires)).toBe(endsAt);
    const reissued = response.headers.getSetCookie().find((c) => c.startsWith("cachedeck.session="));
    const attrs = attributes(reissued!);
    expect(Date.parse(attrs.get("expires")!)).toBe(endsAt);
    const maxAge = Number(attrs.get("max-age"));
    expect(maxAge).toBeGreaterThan(1100);
    expect(maxAge).toBeLessThanOrEqual(1200);
  });

  it("refuses an expired session token like no session, and accepts the same token while it is valid", async () => {
    const { secret } = parseEnv({ CACHEDECK_DEMO: "1" }).session;
    const claims = { sub: "demo-admin", name: "Ada Admin", email: "admin@demo.cachedeck.local", role: "admin" as const, provider: "demo", sid: "s-1", authTime: Math.floor(Date.now() / 1000) };
    const asCookie = async (maxAge: number) => `cachedeck.session=${await encode({ token: claims, secret, maxAge })}`;
    const exportWith = async (cookie: string) =>
      (await fetch(new URL("/audit/export?format=json", plain.url), { headers: { cookie }, redirect: "manual" })).status;
    expect(await exportWith(await asCookie(60))).toBe(200);
    expect(await exportWith(await asCookie(-60))).toBe(307);
  });
});

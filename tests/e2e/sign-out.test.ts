import { randomUUID } from "node:crypto";
import { decode, encode } from "next-auth/jwt";
import { describe, expect, inject, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { demoSession } from "../helpers/demo-session";
import { serverActionId } from "../helpers/next-app";
import { postServerAction } from "../helpers/server-action";

// A session ends at sign-out (revoked on the server, so a copied cookie is worthless) and at its absolute lifetime
// (counted from sign-in, however continuously it is used), for pages, server actions and route handlers alike.

const baseUrl = inject("baseUrl");
const OPERATIONS_PAGE = "/clusters/us-east-1/orders-sessions/operations";
// The shared app runs in demo mode with the default lifetime; its fixed demo secret lets the test mint tokens.
const { secret, maxAgeSeconds } = parseEnv({ CACHEDECK_DEMO: "1" }).session;
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** What a session may do: read the audit page, export the audit log, and get an admin action as far as AWS. */
async function reach(cookie: string) {
  const page = await fetch(new URL("/audit", baseUrl), { redirect: "manual", headers: { cookie } });
  const exported = await fetch(new URL("/audit/export?format=json", baseUrl), { redirect: "manual", headers: { cookie } });
  // A node type AWS does not offer this group: past authorization the action reads the group and refuses.
  const action = await postServerAction(
    baseUrl,
    OPERATIONS_PAGE,
    serverActionId("lib/actions/modify-node-type.ts", "modifyNodeType"),
    [{ account: "default", region: "us-east-1", replicationGroupId: "orders-sessions", confirmation: "orders-sessions", cacheNodeType: "cache.r6gd.16xlarge" }],
    cookie,
  );
  return { page: page.status, pageLocation: page.headers.get("location"), exported: exported.status, action: action.result };
}

const allowed = { page: 200, pageLocation: null, exported: 200, action: expect.objectContaining({ ok: false, fieldErrors: { cacheNodeType: [expect.stringMatching(/^Choose one of/)] } }) };
const refused = {
  page: 307,
  pageLocation: "/sign-in?callbackUrl=%2Faudit",
  exported: 401,
  action: { ok: false, error: "You are not signed in. Sign in and try again." },
};

function cookiesOf(response: Response): string {
  return response.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
}

async function signOut(sessionCookie: string): Promise<Response> {
  const csrf = await fetch(new URL("/api/auth/csrf", baseUrl), { headers: { cookie: sessionCookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  return fetch(new URL("/api/auth/signout", baseUrl), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `${sessionCookie}; ${cookiesOf(csrf)}` },
    body: new URLSearchParams({ csrfToken, callbackUrl: "/sign-in", json: "true" }),
  });
}

const mint = (authTime: number) =>
  encode({ token: { sub: "demo-admin", name: "Ada Admin", email: "admin@demo.cachedeck.local", role: "admin", provider: "demo", sid: randomUUID(), authTime }, secret, maxAge: maxAgeSeconds });

describe("sign-out", () => {
  it("revokes the session on the server: the old cookie, replayed, opens no page, action or export", async () => {
    const session = await demoSession(baseUrl, "admin");
    const other = await demoSession(baseUrl, "admin");
    expect(await reach(session.header)).toEqual(allowed);

    const response = await signOut(session.header);
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().find((line) => line.startsWith(`${session.name}=;`))).toBeDefined();

    expect(await reach(session.header)).toEqual(refused);
    const sessionRead = await fetch(new URL("/api/auth/session", baseUrl), { headers: { cookie: session.header } });
    expect(await sessionRead.json()).toEqual({});
    // Only that sign-in ended: the same person's other session goes on.
    expect(await reach(other.header)).toEqual(allowed);
  });
});

describe("absolute session lifetime", () => {
  it("does not extend a session when it is read: a re-issued token still ends at sign-in + lifetime", async () => {
    const signedInAt = nowSeconds() - 1_000;
    const cookie = `cachedeck.session=${await mint(signedInAt)}`;
    const read = await fetch(new URL("/api/auth/session", baseUrl), { headers: { cookie } });
    // The session says when it really ends (the live push stream closes then).
    expect(await read.json()).toMatchObject({ user: { role: "admin" }, expires: new Date((signedInAt + maxAgeSeconds) * 1000).toISOString() });
    const reissued = read.headers.getSetCookie().find((line) => line.startsWith("cachedeck.session="));
    const token = await decode({ token: reissued!.split(";")[0].slice("cachedeck.session=".length), secret });
    expect(token).toMatchObject({ authTime: signedInAt });
    expect(Math.abs((token!.exp as number) - (signedInAt + maxAgeSeconds))).toBeLessThanOrEqual(1);
  });

  it("refuses a session past its lifetime even though it was in use all along (its cookie re-issued a moment ago)", async () => {
    expect(await reach(`cachedeck.session=${await mint(nowSeconds() - maxAgeSeconds + 120)}`)).toEqual(allowed);
    // Refused already by the proxy, which checks the lifetime (not revocation, which needs the database).
    expect(await reach(`cachedeck.session=${await mint(nowSeconds() - maxAgeSeconds - 5)}`)).toEqual({ ...refused, exported: 307, action: undefined });
  });
});

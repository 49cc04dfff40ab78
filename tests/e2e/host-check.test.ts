import { beforeAll, describe, expect, inject, it } from "vitest";
import { demoSession } from "../helpers/demo-session";
import { serverActionId } from "../helpers/next-app";
import { rawRequest } from "../helpers/raw-request";

// DNS rebinding against the built app: a page on rebind.example whose DNS name now points at CacheDeck reaches it as
// its own origin, so cookies, SameSite and Next's Origin check on server actions all pass. Only the Host header
// tells, and every kind of request with a foreign one is refused before it does anything.

const baseUrl = inject("baseUrl");
const port = new URL(baseUrl).port;
const REBOUND = `rebind.example:${port}`;
const OPERATIONS_PAGE = "/clusters/us-east-1/orders-sessions/operations";
let admin: string;

beforeAll(async () => {
  admin = (await demoSession(baseUrl, "admin")).header;
});

const send = (pathname: string, host: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
  rawRequest(new URL(pathname, baseUrl).href, { ...options, headers: { host, ...options.headers } });

/** A node type the group is not offered: the action reads the group and refuses, changing nothing. */
const nodeTypeAction = (host: string, origin: string) =>
  send(OPERATIONS_PAGE, host, {
    method: "POST",
    headers: {
      cookie: admin,
      origin,
      "next-action": serverActionId("lib/actions/modify-node-type.ts", "modifyNodeType"),
      "content-type": "text/plain;charset=UTF-8",
      accept: "text/x-component",
    },
    body: JSON.stringify([{ account: "default", region: "us-east-1", replicationGroupId: "orders-sessions", confirmation: "orders-sessions", cacheNodeType: "cache.r6gd.16xlarge" }]),
  });

async function expectRefused(response: Awaited<ReturnType<typeof rawRequest>>): Promise<void> {
  expect(response.status).toBe(403);
  expect(response.body).toContain("is not served as");
  expect(response.headers["set-cookie"]).toBeUndefined();
}

describe("a request whose Host is not CacheDeck's", () => {
  it("is refused on the sign-in page and on next-auth's routes, so no session can be made through it", async () => {
    await expectRefused(await send("/sign-in", REBOUND));
    await expectRefused(await send("/api/auth/csrf", REBOUND));
    await expectRefused(await send("/api/auth/providers", REBOUND));
    await expectRefused(await send("/api/auth/session", REBOUND, { headers: { cookie: admin } }));
    await expectRefused(
      await send("/api/auth/callback/demo", REBOUND, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: `http://${REBOUND}` },
        body: new URLSearchParams({ user: "demo-admin", json: "true" }).toString(),
      }),
    );
  });

  it("is refused on pages, route handlers and static files even with an admin's session", async () => {
    for (const pathname of ["/", OPERATIONS_PAGE, "/audit", "/audit/export?format=json", "/drills/1/export?format=md", "/icon.svg", "/no-such-page"]) {
      await expectRefused(await send(pathname, REBOUND, { headers: { cookie: admin } }));
    }
  });

  it("is refused for an admin's server action whose Origin matches the rebound Host; the same action on CacheDeck's host runs", async () => {
    await expectRefused(await nodeTypeAction(REBOUND, `http://${REBOUND}`));
    const own = await nodeTypeAction(new URL(baseUrl).host, new URL(baseUrl).origin);
    expect(own.status).toBe(200);
    expect(own.body).toMatch(/"ok":false,.*Choose one of: cache\./);
  });

  it("is refused when only X-Forwarded-Host names the foreign host", async () => {
    await expectRefused(await send("/", new URL(baseUrl).host, { headers: { cookie: admin, "x-forwarded-host": REBOUND } }));
  });

  it("is refused for other loopback addresses and ports; the demo's own loopback names are served", async () => {
    for (const host of [`127.0.0.2:${port}`, `0.0.0.0:${port}`, "127.0.0.1", `evil.example@127.0.0.1:${port}`]) {
      await expectRefused(await send("/sign-in", host));
    }
    for (const host of [new URL(baseUrl).host, `localhost:${port}`]) {
      const page = await send("/sign-in", host);
      expect(page.status, host).toBe(200);
      expect(page.body).toContain("Sign in to CacheDeck");
    }
  });
});

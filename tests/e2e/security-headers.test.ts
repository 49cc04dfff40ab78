import http from "node:http";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { demoSession } from "../helpers/demo-session";
import { groupStackPerFile } from "../helpers/group-stack";
import { listenOnLoopback } from "../helpers/http-hop";
import { rawRequest } from "../helpers/raw-request";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./session";

// The security headers on every kind of response of the built app, and what they do in Chromium: pages work under
// the Content-Security-Policy (no violation, charts drawn, a server action sent and answered), and the operations
// page cannot be framed by another site.

const baseUrl = inject("baseUrl");
const GROUP = "csp-cache";
const stack = groupStackPerFile({ group: GROUP });
let admin: string;
let browser: Browser;

beforeAll(async () => {
  admin = (await demoSession(baseUrl, "admin")).header;
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const get = (pathname: string, cookie?: string) => fetch(new URL(pathname, baseUrl), { redirect: "manual", headers: cookie ? { cookie } : {} });
const nonceOf = (policy: string | null) => /'nonce-([^']+)'/.exec(policy ?? "")?.[1];

function expectSecurityHeaders(headers: { get(name: string): string | null }, what: string): void {
  const policy = headers.get("content-security-policy") ?? "";
  for (const directive of ["frame-ancestors 'none'", "object-src 'none'", "base-uri 'self'", "default-src 'self'"]) expect(policy, what).toContain(directive);
  expect(policy, what).toMatch(/script-src ('none'|'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic')/);
  expect(headers.get("x-frame-options"), what).toBe("DENY");
  expect(headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(headers.get("referrer-policy"), what).toBe("same-origin");
  expect(headers.get("permissions-policy"), what).toContain("camera=()");
  // Served over plain http: HSTS would be ignored, and must not be sent (session-cookies.test.ts covers https).
  expect(headers.get("strict-transport-security"), what).toBeNull();
}

describe("headers of every kind of response", () => {
  it("pages, redirects, next-auth, route handlers, static files, not-found pages and refusals all carry them", async () => {
    const html = await (await get("/", admin)).text();
    const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)?.[1];
    expect(chunk).toBeDefined();
    const answers: [string, Response][] = [
      ["signed-in page", await get("/", admin)],
      ["sign-in page", await get("/sign-in")],
      ["redirect to sign-in", await get("/audit")],
      ["next-auth route", await get("/api/auth/csrf")],
      ["route handler", await get("/audit/export?format=json", admin)],
      ["static script", await get(chunk!)],
      ["icon", await get("/icon.svg")],
      ["not found", await get("/clusters/us-east-1/no-such-cache", admin)],
    ];
    for (const [what, response] of answers) {
      expect(response.status, what).toBeLessThan(500);
      expectSecurityHeaders(response.headers, what);
    }
    const refused = await rawRequest(new URL("/", baseUrl).href, { headers: { host: "rebind.example" } });
    expect(refused.status).toBe(403);
    expectSecurityHeaders(new Headers(refused.headers as Record<string, string>), "host refusal");
    expect(refused.headers["content-security-policy"]).toContain("script-src 'none'");
  });

  it("gives each page view its own nonce, and every script Next renders carries it", async () => {
    const [first, second] = [await get("/overview", admin), await get("/overview", admin)];
    const nonce = nonceOf(first.headers.get("content-security-policy"));
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(nonceOf(second.headers.get("content-security-policy"))).not.toBe(nonce);
    const scripts = [...(await first.text()).matchAll(/<script\b[^>]*>/g)].map(([tag]) => tag);
    expect(scripts.length).toBeGreaterThan(3);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
  });
});

describe("in Chromium", () => {
  /** A tab that records every CSP violation and console error it sees. */
  async function watchedPage(): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.context.newPage();
    const problems: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || /Content Security Policy/i.test(message.text())) problems.push(`console: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`)),
    );
    return { page, problems };
  }

  it("runs the pages without a CSP violation: hydrated, charts drawn, theme toggled", async () => {
    const { page, problems } = await watchedPage();
    await signIn(page, baseUrl, "admin", "/clusters/us-east-1/orders-sessions");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid^=chart-] path.recharts-curve").length > 0, undefined, { timeout: 90_000 });
    const dark = await page.evaluate(() => document.documentElement.classList.contains("dark"));
    await page.getByRole("button", { name: /theme|dark|light/i }).first().click();
    await page.waitForFunction((before) => document.documentElement.classList.contains("dark") !== before, dark);
    for (const pathname of ["/", "/overview", "/drills", "/drills/new", "/audit", "/clusters/us-east-1/orders-sessions/operations"]) {
      await page.goto(`${baseUrl}${pathname}`);
      await page.waitForLoadState("networkidle");
    }
    await page.locator("form[data-ready=true]").first().waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it("sends a server action from the operations page and shows its answer", async () => {
    await browser.context.clearCookies();
    const { page, problems } = await watchedPage();
    const clusterPage = `/clusters/us-east-1/${GROUP}`;
    await signIn(page, stack.app.url, "operator", `${clusterPage}/operations`);
    const section = page.getByTestId("operation-test-failover");
    await section.locator("form[data-ready=true]").waitFor();
    await section.getByRole("textbox").fill(GROUP);
    await section.getByRole("button", { name: "Start test failover" }).click();
    await page.waitForURL((url) => url.pathname === clusterPage, { timeout: 30_000 });
    expect(await page.getByTestId("followed-operation").textContent()).toContain("AWS accepted it.");
    expect(problems).toEqual([]);
    await page.close();
  });

  it("refuses to show the operations page inside another site's frame", async () => {
    const target = `${baseUrl}/clusters/us-east-1/orders-sessions/operations`;
    const framing = http.createServer((_, response) => {
      response.writeHead(200, { "content-type": "text/html" });
      response.end(`<!doctype html><title>Win a prize</title><iframe name="victim" src="${target}" width="1000" height="800"></iframe>`);
    });
    const site = await listenOnLoopback(framing);
    try {
      await browser.context.clearCookies();
      const { page } = await watchedPage();
      await signIn(page, baseUrl, "operator", "/");
      const blocked = page.waitForEvent("console", (message) => /frame-ancestors/.test(message.text()));
      // 127.0.0.1 on another port is another origin: the attacker's page, with the person's session cookie sent along.
      await page.goto(site.url);
      await blocked;
      const frame = page.frame({ name: "victim" });
      expect(frame).not.toBeNull();
      expect(await frame!.locator("text=Start test failover").count()).toBe(0);
      expect(frame!.url()).not.toBe(target);
      await page.close();
    } finally {
      await site.close();
    }
  });
});

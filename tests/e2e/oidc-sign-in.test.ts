import { Events, OAuth2Server } from "oauth2-mock-server";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../helpers/free-port";
import { startApp, type RunningApp } from "../helpers/next-app";
import { launchBrowser, type Browser } from "./browser";

// A real deployment's sign-in, end to end in Chromium: an OpenID Connect issuer on 127.0.0.1 (discovery, authorize,
// token, JWKS, signed ID tokens), CacheDeck configured for it by environment only, and roles mapped from the ID
// token's e-mail and groups claims, or the sign-in refused.

let issuer: OAuth2Server;
let app: RunningApp;
let browser: Browser;
/** The claims the issuer puts in the next ID token: who "logs in" at the IdP. */
let person: Record<string, unknown> = {};

beforeAll(async () => {
  issuer = new OAuth2Server();
  await issuer.issuer.keys.generate("RS256");
  await issuer.start(await freePort(), "127.0.0.1");
  issuer.service.on(Events.BeforeTokenSigning, (token) => Object.assign(token.payload, person));
  [app, browser] = await Promise.all([
    startApp({
      // No page here reads AWS; a closed port makes any AWS call fail loudly.
      awsEndpoint: "http://127.0.0.1:9",
      env: {
        CACHEDECK_DEMO: "0",
        NEXTAUTH_SECRET: "oidc-test-secret-of-at-least-thirty-two-chars",
        OIDC_ISSUER: issuer.issuer.url!,
        OIDC_CLIENT_ID: "cachedeck",
        OIDC_CLIENT_SECRET: "cachedeck-client-secret",
        OIDC_NAME: "Test SSO",
        CACHEDECK_OPERATOR_GROUPS: "sre",
        CACHEDECK_ADMIN_EMAILS: "boss@example.com",
      },
    }),
    launchBrowser(),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await issuer?.stop();
});

async function signInAtIdp(claims: Record<string, unknown>): Promise<Page> {
  person = claims;
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.goto(`${app.url}/audit`);
  await page.waitForURL((url) => url.pathname === "/sign-in");
  await page.getByRole("button", { name: "Continue with Test SSO" }).click();
  return page;
}

describe("OIDC sign-in", () => {
  it("offers the configured provider and no demo users", async () => {
    const page = await browser.context.newPage();
    await page.goto(`${app.url}/sign-in`);
    await page.getByRole("button", { name: "Continue with Test SSO" }).waitFor();
    expect(await page.getByRole("button", { name: /Sign in as/ }).count()).toBe(0);
    await page.close();
  });

  it("maps a group to operator and returns to the page asked for", async () => {
    const page = await signInAtIdp({ sub: "kim", email: "kim@example.com", name: "Kim SRE", groups: ["sre", "staff"] });
    await page.waitForURL((url) => url.pathname === "/audit", { timeout: 30_000 });
    expect(await page.getByTestId("user-role").textContent()).toBe("operator");
    await page.getByText("The operations you ran from CacheDeck.").waitFor();
    await page.close();
  });

  it("maps an e-mail address to admin", async () => {
    const page = await signInAtIdp({ sub: "boss", email: "Boss@Example.com", name: "The Boss", groups: [] });
    await page.waitForURL((url) => url.pathname === "/audit", { timeout: 30_000 });
    expect(await page.getByTestId("user-role").textContent()).toBe("admin");
    await page.getByText("Every operation run from CacheDeck.").waitFor();
    await page.close();
  });

  it("refuses someone no rule admits (default deny) and gives them no session", async () => {
    const page = await signInAtIdp({ sub: "stranger", email: "stranger@elsewhere.org", name: "Stranger", groups: ["other"] });
    await page.getByText("Your account has no CacheDeck role.").waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe("/sign-in");
    const session = await page.evaluate(async () => (await fetch("/api/auth/session")).json());
    expect(session).toEqual({});
    await page.close();
  });
});

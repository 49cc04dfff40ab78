import { beforeAll, describe, expect, inject, it } from "vitest";
import { demoSession } from "../helpers/demo-session";
import { offSiteCallbacks } from "../helpers/off-site-callbacks";

// The "return to" address after sign-in, against the built app: only a path on CacheDeck's own origin is followed,
// whatever its spelling, both by the sign-in page (already signed in) and by next-auth's callback (signing in).

const baseUrl = inject("baseUrl");
const origin = new URL(baseUrl).origin;
// Odd spellings that are paths on this origin and must stay so (a browser does not decode them into a host).
const oddButOwn = ["/%5c%5cevil.example", "/%2f%2fevil.example", "/%09/evil.example", "/audit/..%2f..%2f/evil.example", "/./audit", "/drills/../audit"];
let admin: string;

beforeAll(async () => {
  admin = (await demoSession(baseUrl, "admin")).header;
});

/** Where a browser goes with this Location header, as the browser resolves it. */
const followed = (location: string | null) => new URL(location ?? "", baseUrl);

const signInPage = (callbackUrl: string, cookie?: string) =>
  fetch(new URL(`/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}`, baseUrl), { redirect: "manual", headers: cookie ? { cookie } : {} });

describe("signed in, /sign-in?callbackUrl=…", () => {
  it("follows a path on CacheDeck with its query", async () => {
    const response = await signInPage("/clusters/us-east-1/orders-sessions?range=3h", admin);
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/clusters/us-east-1/orders-sessions?range=3h");
  });

  it.each(offSiteCallbacks(origin))("sends %j home instead of off site", async (callbackUrl) => {
    const response = await signInPage(callbackUrl, admin);
    expect(response.status).toBe(307);
    expect(response.headers.get("location")).toBe("/");
  });

  it("keeps odd spellings that are paths here on this origin", async () => {
    for (const callbackUrl of oddButOwn) {
      const response = await signInPage(callbackUrl, admin);
      const location = response.headers.get("location") ?? "";
      expect(location, callbackUrl).toMatch(/^\/(?![/\\])/);
      expect(followed(location).origin, callbackUrl).toBe(origin);
    }
  });
});

describe("signing in through next-auth's callback with a callbackUrl", () => {
  async function signInReturningTo(callbackUrl: string): Promise<string> {
    const csrf = await fetch(new URL("/api/auth/csrf", baseUrl));
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
    const response = await fetch(new URL("/api/auth/callback/demo", baseUrl), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie },
      body: new URLSearchParams({ csrfToken, user: "demo-viewer", callbackUrl, json: "true" }),
    });
    return ((await response.json()) as { url: string }).url;
  }

  it("returns to a path on CacheDeck", async () => {
    expect(await signInReturningTo("/overview?by=team")).toBe(`${origin}/overview?by=team`);
  });

  it("returns home for every off-site spelling", async () => {
    for (const callbackUrl of offSiteCallbacks(origin)) expect(await signInReturningTo(callbackUrl), JSON.stringify(callbackUrl)).toBe(`${origin}/`);
  });
});

describe("signed out, the sign-in page", () => {
  it("hands its buttons the way home instead of an off-site address", async () => {
    for (const callbackUrl of offSiteCallbacks(origin)) {
      // The buttons' props travel in the page's RSC payload (JSON inside a script string).
      const html = await (await signInPage(callbackUrl)).text();
      expect(html, JSON.stringify(callbackUrl)).toContain(String.raw`\"callbackPath\":\"/\"`);
    }
  });
});

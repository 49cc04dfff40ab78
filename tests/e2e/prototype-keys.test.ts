import { beforeAll, describe, expect, inject, it } from "vitest";
import { appRoutes, routePath, type AppRoute } from "../helpers/app-routes";
import { demoSession } from "../helpers/demo-session";
import { launchBrowser } from "./browser";
import { signIn } from "./session";

// Names of Object.prototype's members as URL input: a lookup table indexed by user input must not find them. Every
// page and route handler (found in app/) gets each such key in each query parameter it reads (found in its source),
// in each of its dynamic segments, and as parameter names; none may answer 500 or render the error page.

const baseUrl = inject("baseUrl");
const PROTOTYPE_KEYS = ["__proto__", "constructor", "toString", "valueOf", "hasOwnProperty"];
// Real ids from the demo fleet the shared app serves, so a sweep gets past "no such cache" into the page itself.
const realSegments: Record<string, Record<string, string>> = {
  clusters: { "[region]": "us-east-1", "[id]": "orders-sessions" },
  serverless: { "[region]": "us-east-1", "[id]": "user-profiles" },
  drills: { "[id]": "1" },
  api: { "[...nextauth]": "session" },
};
const CONCURRENCY = 4;

const realFill = (route: AppRoute) => (segment: string) => realSegments[route.segments[0]]?.[segment] ?? "sample";

/** Every URL to try: each key in each parameter, in each dynamic segment, and as the parameters' names. */
function sweep(route: AppRoute): string[] {
  const real = routePath(route, realFill(route));
  const urls = route.parameters.flatMap((name) => PROTOTYPE_KEYS.map((key) => `${real}?${new URLSearchParams({ [name]: key })}`));
  route.segments.forEach((segment, index) => {
    if (!segment.startsWith("[")) return;
    for (const key of PROTOTYPE_KEYS) {
      const value = segment.startsWith("[...") ? `signin/${key}` : key;
      urls.push(routePath(route, (s, i) => (i === index ? value : realFill(route)(s))));
      if (segment.startsWith("[...")) urls.push(routePath(route, (s, i) => (i === index ? key : realFill(route)(s))));
    }
  });
  urls.push(`${real}?${PROTOTYPE_KEYS.map((key) => `${key}=${key}`).join("&")}`);
  return urls;
}

// A server error while streaming (after the 200 went out) shows as Next's error digest: a number, unlike the
// digests of notFound() and redirect().
const SERVER_ERROR_DIGEST = /data-dgst="\d+"|\\?"digest\\?":\\?"\d+/;

let cookie: string;
beforeAll(async () => {
  cookie = (await demoSession(baseUrl, "admin")).header;
});

describe("prototype keys in URLs", () => {
  const routes = appRoutes();

  it("finds the app's routes and the parameters they read", () => {
    const byFile = new Map(routes.map((r) => [r.file, r.parameters]));
    expect(byFile.get("sign-in/page.tsx")).toEqual(expect.arrayContaining(["callbackUrl", "error"]));
    expect(byFile.get("overview/page.tsx")).toEqual(expect.arrayContaining(["by"]));
    expect(byFile.get("(fleet)/page.tsx")).toEqual(expect.arrayContaining(["q", "region", "tag", "sort", "range"]));
    expect(byFile.get("audit/export/route.ts")).toEqual(expect.arrayContaining(["format", "who", "status"]));
    expect(byFile.get("drills/new/page.tsx")).toEqual(expect.arrayContaining(["group", "kind", "az", "shard"]));
  });

  it("answers no 500 and renders no error page on any route, signed in as admin", async () => {
    const urls = routes.flatMap(sweep);
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < urls.length) {
        const url = urls[next++];
        const response = await fetch(new URL(url, baseUrl), { redirect: "manual", headers: { cookie } });
        // A push stream that opened has answered; its body never ends.
        const streaming = response.headers.get("content-type")?.startsWith("text/event-stream");
        const body = streaming ? (await response.body?.cancel(), "") : await response.text();
        if (response.status >= 500 || SERVER_ERROR_DIGEST.test(body)) failures.push(`${response.status} ${url}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures).toEqual([]);
    expect(urls.length).toBeGreaterThan(100);
  });

  it("in Chromium, the fleet page filters and sorts in the browser with such keys and raises no script error", async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (error) => errors.push(error.message));
      await signIn(page, baseUrl, "viewer", "/");
      const all = await page.getByTestId("shown-count").textContent();
      for (const key of PROTOTYPE_KEYS) {
        await page.goto(`${baseUrl}/?${new URLSearchParams({ q: key, tag: key, sort: key, dir: key, health: key, region: key })}&${key}=${key}`);
        // No cluster has such a tag or name: none shown, and the page still counts them.
        await page.getByText(/^\s*Showing 0 of \d+ clusters\s*$/).waitFor();
      }
      await page.goto(`${baseUrl}/?${PROTOTYPE_KEYS.map((key) => `${key}=${key}`).join("&")}`);
      expect(await page.getByTestId("shown-count").textContent()).toBe(all);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

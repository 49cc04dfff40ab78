import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { demoSession } from "../helpers/demo-session";
import { startApp, type RunningApp } from "../helpers/next-app";
import { launchBrowser, type Browser } from "./browser";

// One person's live tabs are limited (CACHEDECK_LIVE_TABS_PER_PERSON, here 1). The tab over the limit says it is not
// live and knocks again by itself: once another tab closes it goes live without a reload; once the session has ended
// it stops and says so. A script that opens streams directly gets a 429 with the reason.

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp({ awsEndpoint: inject("emulatorUrl"), regions: inject("regions"), env: { CACHEDECK_LIVE_TABS_PER_PERSON: "1" } });
  browser = await launchBrowser();
  const viewer = await demoSession(app.url, "viewer");
  await browser.context.addCookies([{ name: viewer.name, value: viewer.value, url: app.url }]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const liveStatus = (state: string) => `[data-testid=live-status][data-state=${state}]`;

it("refuses a second live tab, and makes it live without a reload once the first closes", async () => {
  const first = await browser.context.newPage();
  await first.goto(`${app.url}/`);
  await first.locator(liveStatus("live")).waitFor({ timeout: 30_000 });

  const second = await browser.context.newPage();
  await second.goto(`${app.url}/`);
  await second.locator(liveStatus("stopped")).waitFor({ timeout: 30_000 });
  expect(await second.getByTestId("live-status").innerText()).toContain("Not live — trying again shortly");
  await second.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  const closedAt = Date.now();
  await first.close();
  await second.locator(liveStatus("live")).waitFor({ timeout: 30_000 });
  console.log(`[e2e] the refused tab went live ${Date.now() - closedAt} ms after the other closed`);
  expect(await second.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);

  // The same person's stream opened directly, over the limit: refused with the reason, and nothing streamed.
  const viewer = await demoSession(app.url, "viewer");
  const refused = await fetch(new URL("/api/live?view=fleet", app.url), { headers: { cookie: viewer.header } });
  expect(refused.status).toBe(429);
  expect(await refused.json()).toEqual({ error: "You already have 1 live page open; close some tabs." });

  // A refused tab whose session then ends (signed out elsewhere, expired) stops knocking and says what helps.
  const third = await browser.context.newPage();
  await third.goto(`${app.url}/`);
  await third.locator(liveStatus("stopped")).waitFor({ timeout: 30_000 });
  await browser.context.clearCookies();
  await third.locator(liveStatus("signed-out")).waitFor({ timeout: 30_000 });
  expect(await third.getByTestId("live-status").innerText()).toContain("Not live — your session has ended; reload the page to sign in again");
  await Promise.all([second.close(), third.close()]);
});

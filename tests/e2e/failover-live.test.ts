import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TestFailoverCommand } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, expect, it } from "vitest";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator } from "../helpers/emulator";
import { startApp, type RunningApp } from "../helpers/next-app";
import { smallFleetFile } from "../helpers/small-fleet";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./sign-in";

// A test failover started outside CacheDeck (as another operator or AWS itself would) shows up on an open cluster
// page through live refresh alone: the new primary, the failover events, and the failover marker on the charts.
// Its own emulator and app, so the shared demo fleet's topology stays as the other files expect it.

const GROUP = "checkout-failover";
let dir: string;
let emulator: TestEmulator;
let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-failover-live-"));
  emulator = await startTestEmulator({
    fleetFile: smallFleetFile(dir, GROUP, { NumCacheClusters: 3, PreferredCacheClusterAZs: ["us-east-1a", "us-east-1b", "us-east-1c"] }),
  });
  await waitForReplicationGroup(elasticacheClient(emulator.url), GROUP);
  app = await startApp({ awsEndpoint: emulator.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

it("shows the new primary, the failover events and a chart marker without a reload", async () => {
  const page = await browser.context.newPage();
  const route = `/clusters/us-east-1/${GROUP}?range=15m&refresh=5`;
  await signIn(page, app.url, "viewer", route.split("?")[0]);
  await page.goto(app.url + route);
  const primary = page.locator("[data-testid=node-card][data-role=primary]");
  await primary.waitFor();
  const before = await primary.getAttribute("data-node");
  await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));

  await elasticacheClient(emulator.url).send(new TestFailoverCommand({ ReplicationGroupId: GROUP, NodeGroupId: "0001" }));

  await page.waitForFunction(
    (old) => {
      const cards = [...document.querySelectorAll("[data-testid=node-card][data-role=primary]")];
      return cards.length === 1 && cards[0].getAttribute("data-node") !== old;
    },
    before,
    { timeout: 90_000 },
  );
  const after = await primary.getAttribute("data-node");
  expect(after).not.toBe(before);
  expect(await page.locator(`[data-testid=node-card][data-node=${before}]`).getAttribute("data-role")).toBe("replica");

  await page.waitForFunction(() => document.querySelector("[data-testid=events] [data-category=failover]") !== null, undefined, { timeout: 60_000 });
  expect(await page.locator("[data-testid=events] [data-category=failover]").first().textContent()).toMatch(/[Ff]ailover/);
  await page.locator("[data-testid=chart-engine-cpu] .recharts-reference-line.marker-failover").first().waitFor({ state: "attached", timeout: 60_000 });
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
});

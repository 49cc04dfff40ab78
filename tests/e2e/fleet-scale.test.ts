import fs from "node:fs";
import path from "node:path";
import { DescribeReplicationGroupsCommand, paginateDescribeReplicationGroups } from "@aws-sdk/client-elasticache";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, REPO_ROOT, startEmulatorProcess, tempDataDir, type EmulatorProcess } from "../helpers/emulator";
import { startApp, type RunningApp } from "../helpers/next-app";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./sign-in";

// The fleet page at the size issue 12 is about: 1,000 replication groups and 100 Memcached clusters over two regions
// (the emulator's scale fleet, simulated nodes), in Chromium. What the browser must do with that many rows is asserted
// here; how fast it does it is measured by `npm run bench -- fleet-browser` (figures in docs/BENCHMARKS.md).

const regions = ["us-east-1", "eu-west-1"];
// 1,000 generated replication groups, 100 Memcached clusters and the two real-process groups drills fail over.
const total = 1_102;
let emulator: EmulatorProcess;
let app: RunningApp;
let browser: Browser;
let page: Page;
let dataDir: string;
/** `region/id` of a 30-shard group. */
let largeGroup = "";

const renderedRows = () => page.locator("[data-testid=cluster-row]").count();
const firstRow = () => page.locator("[data-testid=cluster-row]").first().getAttribute("data-cluster");

beforeAll(async () => {
  dataDir = tempDataDir("fleet-scale");
  emulator = await startEmulatorProcess({ dataDir, fleetFile: path.join(REPO_ROOT, "emulator/fleets/scale-1000.json") });
  const client = elasticacheClient(emulator.url, "us-east-1");
  await waitFor(async () => (await client.send(new DescribeReplicationGroupsCommand({ MaxRecords: 20 }))).ReplicationGroups?.length === 20, { timeoutMs: 120_000, intervalMs: 1_000, description: "the scale fleet" });
  for (const region of regions) {
    for await (const answer of paginateDescribeReplicationGroups({ client: elasticacheClient(emulator.url, region) }, {})) {
      const large = answer.ReplicationGroups?.find((g) => (g.NodeGroups?.length ?? 0) === 30);
      if (large) largeGroup ||= `${region}/${large.ReplicationGroupId}`;
    }
  }
  app = await startApp({ awsEndpoint: emulator.url, regions });
  browser = await launchBrowser();
  page = await browser.context.newPage();
  await signIn(page, app.url, "viewer");
  // The watcher may still be reading a region on the first visit; its caches stream in.
  await page.getByTestId("count-total").filter({ hasText: String(total) }).waitFor({ timeout: 180_000 });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await emulator?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("the fleet page at 1,102 caches", () => {
  it("holds every row but renders only those on screen, under 10,000 DOM nodes", async () => {
    expect(await page.getByTestId("count-total").textContent()).toBe(String(total));
    expect(await page.locator("table[aria-rowcount]").getAttribute("aria-rowcount")).toBe(String(total + 1));
    expect(await renderedRows()).toBeLessThan(80);
    expect(await page.evaluate(() => document.getElementsByTagName("*").length)).toBeLessThanOrEqual(10_000);
    expect(await page.getByTestId("cluster-card").count()).toBe(0);
  });

  it("stands in for the rows off screen with their measured height, so the page is as long as the table", async () => {
    // Rows with problems and tags are taller than a bare one: the spacers must use what the rows on screen measure,
    // not a fixed guess, or the scroll bar lies and a scroll lands among rows that were never drawn.
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=cluster-row]").length > 1);
    const { table, rows, mean } = await page.evaluate(() => {
      const shown = [...document.querySelectorAll<HTMLElement>("[data-testid=cluster-row]")].map((r) => r.getBoundingClientRect().height);
      return { table: document.querySelector("table[aria-rowcount] tbody")!.getBoundingClientRect().height, rows: shown.length, mean: shown.reduce((a, b) => a + b, 0) / shown.length };
    });
    expect(rows).toBeLessThan(80);
    expect(table / (mean * total)).toBeGreaterThan(0.8);
    expect(table / (mean * total)).toBeLessThan(1.25);
  });

  it("sorts, filters and searches in the browser, keeping the URL, without asking the server", async () => {
    const requests: string[] = [];
    // The push stream (/api/live) may reconnect at any time; anything else would be a round trip for the view.
    page.on("request", (r) => r.url().startsWith(app.url) && !r.url().startsWith(`${app.url}/api/live`) && requests.push(r.url()));

    // Rows are keyed by their place on screen: a sort rewrites the row elements already there instead of creating new ones.
    await page.locator("[data-testid=cluster-row]").first().evaluate((row) => row.setAttribute("data-before-sort", ""));
    const before = await firstRow();
    await page.getByRole("link", { name: /^Name/ }).click();
    await page.waitForURL(/sort=name/);
    await page.waitForFunction((first) => document.querySelector("[data-testid=cluster-row]")?.getAttribute("data-cluster") !== first, before);
    expect(await page.locator("[data-testid=cluster-row]").first().getAttribute("data-before-sort")).toBe("");
    const byName = await page.locator("[data-testid=cluster-row]").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-cluster")!));
    expect(byName).toEqual([...byName].sort((a, b) => a.localeCompare(b, "en")));
    await page.getByRole("link", { name: /^Name/ }).click();
    await page.waitForURL(/dir=desc/);
    await page.waitForFunction((first) => document.querySelector("[data-testid=cluster-row]")?.getAttribute("data-cluster") !== first, byName[0]);
    expect((await firstRow())!.localeCompare(byName.at(-1)!, "en")).toBeGreaterThanOrEqual(0);

    await page.getByLabel("Engine").selectOption("memcached");
    await page.waitForURL(/engine=memcached/);
    await page.getByTestId("shown-count").filter({ hasText: `Showing 100 of ${total}` }).waitFor();
    expect(await page.locator("table[aria-rowcount]").getAttribute("aria-rowcount")).toBe("101");

    const target = (await firstRow())!;
    await page.getByRole("searchbox", { name: "Search" }).fill(target);
    await page.getByTestId("shown-count").filter({ hasText: /Showing 1 of/ }).waitFor();
    expect(page.url()).toContain(`q=${target}`);
    expect(await renderedRows()).toBe(1);

    await page.goBack();
    await page.waitForURL((url) => !url.searchParams.has("engine"));
    await page.getByTestId("shown-count").filter({ hasText: `Showing ${total} of ${total}` }).waitFor();
    expect(requests).toEqual([]);
  });

  it("scrolls to the last row with rows replaced as they leave the screen", async () => {
    await page.goto(`${app.url}/?sort=name`);
    await page.locator("[data-testid=cluster-row]").first().waitFor();
    // Rows brought on screen replace their estimated height with their measured one, which moves the page's end; a
    // person scrolls on until the end stays put, as this does.
    await page.waitForFunction(
      (last) => {
        window.scrollTo(0, document.documentElement.scrollHeight);
        return document.querySelector(`[data-testid=cluster-row][aria-rowindex="${last}"]`) !== null;
      },
      total + 1,
      { polling: 250, timeout: 30_000 },
    );
    expect(await renderedRows()).toBeLessThan(80);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('[data-testid=cluster-row][aria-rowindex="2"]').waitFor();
  });

  it("shows cards instead of the table on a phone, never both", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.goto(`${app.url}/`);
      await page.getByTestId("cluster-card").first().waitFor();
      expect(await renderedRows()).toBe(0);
      expect(await page.getByTestId("cluster-card").count()).toBeLessThan(60);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });
});

describe("the largest cluster page (30 shards × 3 nodes)", () => {
  it("draws every chart, one at a time", async () => {
    await page.goto(`${app.url}/clusters/${largeGroup}`);
    await page.getByTestId("node-card").first().waitFor({ timeout: 120_000 });
    expect(await page.getByTestId("node-card").count()).toBe(90);
    const charts = page.locator("figure[data-testid^=chart-]");
    await charts.first().waitFor({ timeout: 60_000 });
    const drawable = await page.locator("figure[data-testid^=chart-] [data-drawn], figure[data-testid^=chart-] .animate-pulse").count();
    await page.waitForFunction((n) => document.querySelectorAll("figure [data-drawn]").length === n, drawable, { timeout: 120_000 });
    // A line per node, drawn as plain SVG paths (components/charts/chart-overlays.tsx), not 90 recharts <Line>s.
    expect(await page.locator("[data-testid=chart-engine-cpu] path.thin-line").count()).toBe(90);
    expect(await page.locator("[data-testid=chart-engine-cpu] .recharts-line").count()).toBeLessThanOrEqual(1);
  });
});

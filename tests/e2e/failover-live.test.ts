import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DescribeEventsCommand, TestFailoverCommand } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator } from "../helpers/emulator";
import { startApp, type RunningApp } from "../helpers/next-app";
import { twoModesFleetFile } from "../helpers/small-fleet";
import { launchBrowser, type Browser } from "./browser";
import { signIn } from "./sign-in";

// A test failover started outside CacheDeck (as another operator or AWS itself would) shows its new primary on an
// open cluster page within 2 s of ElastiCache reporting it, pushed over the page's live stream: cluster mode disabled
// (where a describe carries CurrentRole) and enabled (where only the failover event names the new primary). Its own
// emulator and app, so the shared demo fleet's topology stays as the other files expect it.

const DISABLED = "checkout-failover";
const ENABLED = "catalog-failover";
let dir: string;
let emulator: TestEmulator;
let app: RunningApp;
let browser: Browser;
let signedIn = false;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-failover-live-"));
  const fleetFile = twoModesFleetFile(dir, DISABLED, ENABLED, { NumCacheClusters: 3, PreferredCacheClusterAZs: ["us-east-1a", "us-east-1b", "us-east-1c"] });
  emulator = await startTestEmulator({ fleetFile });
  await Promise.all([DISABLED, ENABLED].map((id) => waitForReplicationGroup(elasticacheClient(emulator.url), id)));
  app = await startApp({ awsEndpoint: emulator.url });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** When ElastiCache reported the failover that promoted `to` (its event's date). */
async function failoverReportedAt(to: string, after: number): Promise<number> {
  const client = elasticacheClient(emulator.url);
  return waitFor(
    async () => {
      const { Events } = await client.send(new DescribeEventsCommand({ StartTime: new Date(after - 1_000), SourceType: "replication-group" }));
      const event = (Events ?? []).find((e) => e.Message?.includes(`to replica node ${to} completed`));
      return event?.Date ? new Date(event.Date).getTime() : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250, description: `the failover event promoting ${to}` },
  );
}

async function failoverShowsWithin2s(group: string, shardSelector: string) {
  const page = await browser.context.newPage();
  const route = `/clusters/us-east-1/${group}`;
  if (!signedIn) await signIn(page, app.url, "viewer", route);
  signedIn = true;
  await page.goto(app.url + route);
  await page.locator("[data-testid=live-status][data-state=live]").waitFor({ timeout: 30_000 });
  const primary = page.locator(`[data-testid=node-card][data-role=primary]${shardSelector}`);
  await primary.first().waitFor({ timeout: 60_000 });
  const before = await primary.first().getAttribute("data-node");
  // Records when the page first shows another node as this shard's primary, by the same clock the emulator uses.
  await page.evaluate(
    ({ old, selector }) => {
      const w = window as unknown as { notReloaded: boolean; promotedAt?: number; promoted?: string };
      w.notReloaded = true;
      const check = () => {
        const card = document.querySelector(`[data-testid=node-card][data-role=primary]${selector}`);
        const node = card?.getAttribute("data-node");
        if (node && node !== old && w.promotedAt === undefined) {
          w.promotedAt = Date.now();
          w.promoted = node;
        }
      };
      new MutationObserver(check).observe(document.body, { subtree: true, childList: true, attributes: true });
    },
    { old: before, selector: shardSelector },
  );

  const sent = Date.now();
  await elasticacheClient(emulator.url).send(new TestFailoverCommand({ ReplicationGroupId: group, NodeGroupId: "0001" }));
  await page.waitForFunction(() => (window as unknown as { promotedAt?: number }).promotedAt !== undefined, undefined, { timeout: 90_000 });
  const { promotedAt, promoted } = await page.evaluate(() => {
    const w = window as unknown as { promotedAt: number; promoted: string };
    return { promotedAt: w.promotedAt, promoted: w.promoted };
  });
  const reportedAt = await failoverReportedAt(promoted, sent);

  expect(promoted).not.toBe(before);
  expect(promotedAt - reportedAt).toBeLessThanOrEqual(2_000);
  expect(await page.locator(`[data-testid=node-card][data-node=${before}]`).getAttribute("data-role")).toBe("replica");
  await page.waitForFunction(() => document.querySelector("[data-testid=events] [data-category=failover]") !== null, undefined, { timeout: 60_000 });
  expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
  await page.close();
  return promotedAt - reportedAt;
}

it("shows a cluster-mode-disabled group's new primary within 2 s of the failover event, without a reload", async () => {
  const latency = await failoverShowsWithin2s(DISABLED, "[data-shard=\"0001\"]");
  console.log(`[e2e] cluster mode disabled: new primary on the page ${latency} ms after ElastiCache reported it`);
});

it("shows a cluster-mode-enabled shard's new primary within 2 s, from the failover event rather than IsMaster", async () => {
  const latency = await failoverShowsWithin2s(ENABLED, "[data-shard=\"0001\"]");
  console.log(`[e2e] cluster mode enabled: new primary on the page ${latency} ms after ElastiCache reported it`);
});

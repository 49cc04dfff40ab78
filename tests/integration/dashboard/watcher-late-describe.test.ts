import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TestFailoverCommand } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, expect, it } from "vitest";
import { stopAllWatchers, watcherFor, type WatcherChange } from "@/lib/watcher";
import { detailFeed } from "@/lib/watcher/detail-feed";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";
import { startCountingProxy, type CountingProxy } from "../../helpers/counting-proxy";
import { describeGroup, rolesOf } from "../../helpers/replication-group";
import { twoModesFleetFile } from "../../helpers/small-fleet";
import { at } from "../../helpers/place";

// Answers that come back late (a slow network, a loaded endpoint) while a failover completes: the watcher's and the
// cluster page feed's AWS traffic goes through a proxy that keeps chosen answers back until the completion event has
// been heard. The emulator behind it has real nodes.

const GROUP = "late-describe";
const ENABLED = "late-read-enabled";
let dir: string;
let emulator: TestEmulator;
let proxy: CountingProxy;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-late-describe-"));
  // AWS's minute between a TestFailover call and the promotion, as 9 s: time for the start event to be heard (the
  // watcher polls events every 5 s while nothing happens) and its describe to go out before the promotion.
  emulator = await startTestEmulator({ fleetFile: twoModesFleetFile(dir, GROUP, ENABLED), settings: { timeScale: 0.15 } });
  proxy = await startCountingProxy(emulator.url);
  pointAwsSdkAt(proxy.url);
  await Promise.all([GROUP, ENABLED].map((id) => waitForReplicationGroup(elasticacheClient(emulator.url), id)));
});

afterAll(async () => {
  stopAllWatchers();
  await proxy?.close();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const primaryIn = (change: WatcherChange) => (change.type === "roles" && change.group === GROUP ? Object.keys(change.roles).find((id) => change.roles[id] === "primary") : undefined);

it("keeps a failover's new primary when a describe sent before the promotion is answered after the event", async () => {
  const watcher = watcherFor(at("us-east-1"));
  expect(await watcher.ready(30_000)).toBe(true);
  watcher.look(GROUP);
  const oldPrimary = [...watcher.roles(GROUP)].find(([, role]) => role === "primary")?.[0];
  expect(oldPrimary).toBeDefined();
  const heard: WatcherChange[] = [];
  const stop = watcher.subscribe((change) => heard.push(change));
  try {
    // The failover's start event sends the watcher to describe the group; that answer is kept back.
    const lateAnswer = proxy.holdAnswers("DescribeReplicationGroups");
    await elasticacheClient(emulator.url).send(new TestFailoverCommand({ ReplicationGroupId: GROUP, NodeGroupId: "0001" }));
    await lateAnswer;
    // The kept answer was written before this: the emulator still naming the old primary now means it did too.
    expect(rolesOf(await describeGroup(elasticacheClient(emulator.url), GROUP)).roles[oldPrimary!]).toBe("primary");
    const fromEvent = await waitFor(async () => heard.map(primaryIn).find((id) => id !== undefined && id !== oldPrimary), {
      timeoutMs: 90_000,
      intervalMs: 50,
      description: "the completion event's new primary",
    });
    const heardBeforeRelease = heard.length;
    proxy.release("DescribeReplicationGroups");
    // The late answer is applied, then the group (marked again by the completion event) is described afresh.
    const after = await waitFor(async () => {
      const roles = heard.slice(heardBeforeRelease).filter((change) => primaryIn(change) !== undefined);
      return roles.length >= 2 ? roles : undefined;
    }, { timeoutMs: 15_000, intervalMs: 50, description: "the late describe and a fresh one applied" });
    expect(after.map(primaryIn)).toEqual([fromEvent, fromEvent]);
    expect(watcher.roles(GROUP).get(fromEvent)).toBe("primary");
    expect(watcher.roles(GROUP).get(oldPrimary!)).toBe("replica");
  } finally {
    stop();
    proxy.release("DescribeReplicationGroups");
  }
});

it("reads a cluster page again within the settle pause when its failover is heard while a read of the page is under way", async () => {
  const watcher = watcherFor(at("us-east-1"));
  expect(await watcher.ready(30_000)).toBe(true);
  const feed = detailFeed({ segment: "clusters", place: at("us-east-1"), id: ENABLED, params: { range: "15m" } });
  expect((await feed.current())?.summary.id).toBe(ENABLED);
  const pushed: { at: number; type: string }[] = [];
  const unsubscribe = feed.subscribe((message) => pushed.push({ at: Date.now(), type: message.type }));
  try {
    // The page's read after the failover's start event has its metrics kept back until the completion is heard.
    const heldRead = proxy.holdAnswers("GetMetricData", "detail");
    await elasticacheClient(emulator.url).send(new TestFailoverCommand({ ReplicationGroupId: ENABLED, NodeGroupId: "0001" }));
    await heldRead;
    await waitFor(async () => pushed.find((m) => m.type === "roles"), { timeoutMs: 90_000, intervalMs: 20, description: "the completion event's roles on the page" });
    const released = Date.now();
    proxy.release("GetMetricData");
    // The held read ends first (it may predate the roles), then one started after them: the settle pause and a read
    // later, not the changing cluster's 5 s interval.
    const fresh = await waitFor(async () => pushed.filter((m) => m.type === "detail" && m.at >= released)[1], { timeoutMs: 15_000, intervalMs: 20, description: "a read after the change" });
    console.log(`[watcher] a page read after the change ${fresh.at - released} ms after the held read was answered`);
    expect(fresh.at - released).toBeLessThan(2_500);
  } finally {
    unsubscribe();
    proxy.release("GetMetricData");
  }
});

import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { TestFailoverCommand } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, expect, it } from "vitest";
import { stopAllWatchers, watcherFor, type WatcherChange } from "@/lib/watcher";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";
import { startCountingProxy, type CountingProxy } from "../../helpers/counting-proxy";
import { smallFleetFile } from "../../helpers/small-fleet";
import { at } from "../../helpers/place";

// A describe sent before a failover's promotion and answered after its completion event (a slow network, a loaded
// endpoint) must not put the old primary back: the watcher's AWS traffic goes through a proxy that keeps the group's
// describe answers back until the event has been heard. The emulator behind it has real nodes.

const GROUP = "late-describe";
let dir: string;
let emulator: TestEmulator;
let proxy: CountingProxy;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-late-describe-"));
  // AWS's minute between a TestFailover call and the promotion, as 3 s: time for the start event's describe to go out.
  emulator = await startTestEmulator({ fleetFile: smallFleetFile(dir, GROUP), settings: { timeScale: 0.05 } });
  proxy = await startCountingProxy(emulator.url);
  pointAwsSdkAt(proxy.url);
  await waitForReplicationGroup(elasticacheClient(emulator.url), GROUP);
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

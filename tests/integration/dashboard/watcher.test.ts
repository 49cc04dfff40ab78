import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DescribeEventsCommand, TestFailoverCommand } from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCallTotals } from "@/lib/aws";
import { stopAllWatchers, watcherFor, type WatcherChange } from "@/lib/watcher";
import { detailFeed } from "@/lib/watcher/detail-feed";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";
import { twoModesFleetFile } from "../../helpers/small-fleet";
import { at } from "../../helpers/place";

// The watcher against a real emulator with real nodes: it hears a failover from ElastiCache's event and reports the
// new primary (cluster mode enabled too, where no describe carries roles), describing only the group the event names.

const DISABLED = "watch-disabled";
const ENABLED = "watch-enabled";
let dir: string;
let emulator: TestEmulator;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-watcher-"));
  emulator = await startTestEmulator({ fleetFile: twoModesFleetFile(dir, DISABLED, ENABLED) });
  pointAwsSdkAt(emulator.url);
  await Promise.all([DISABLED, ENABLED].map((id) => waitForReplicationGroup(elasticacheClient(emulator.url), id)));
});

afterAll(async () => {
  stopAllWatchers();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function failoverEventAt(group: string, after: number): Promise<{ at: number; to: string }> {
  return waitFor(
    async () => {
      const { Events } = await elasticacheClient(emulator.url).send(new DescribeEventsCommand({ SourceIdentifier: group, SourceType: "replication-group", StartTime: new Date(after - 1000) }));
      const event = Events?.find((e) => /Failover from primary node .* completed/.test(e.Message ?? ""));
      const to = /to replica node (\S+) completed/.exec(event?.Message ?? "")?.[1];
      return event?.Date && to ? { at: new Date(event.Date).getTime(), to } : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 250, description: `${group}'s failover event` },
  );
}

describe("the watcher", () => {
  for (const group of [DISABLED, ENABLED]) {
    it(`reports ${group}'s new primary within a second of the failover event, from the event`, async () => {
      const watcher = watcherFor(at("us-east-1"));
      expect(await watcher.ready(30_000)).toBe(true);
      expect(watcher.find(group)?.kind).toBe("replication-group");
      watcher.look(group);
      const heard: { at: number; change: WatcherChange }[] = [];
      const stop = watcher.subscribe((change) => heard.push({ at: Date.now(), change }));
      // What a cluster page's push stream carries: the feed forwards the roles at once, then a fresh detail.
      const pushed: { at: number; type: string; primaries: string[] }[] = [];
      const feed = detailFeed({ segment: "clusters", place: at("us-east-1"), id: group, params: { range: "15m" } });
      expect((await feed.current())?.summary.id).toBe(group);
      const unsubscribe = feed.subscribe((m) => {
        const primaries = m.type === "roles" ? Object.keys(m.roles).filter((id) => m.roles[id] === "primary") : m.type === "detail" ? m.detail.nodes.filter((n) => n.role === "primary").map((n) => n.name) : [];
        pushed.push({ at: Date.now(), type: m.type, primaries });
      });
      const sent = Date.now();
      const before = awsCallTotals();
      {
        await elasticacheClient(emulator.url).send(new TestFailoverCommand({ ReplicationGroupId: group, NodeGroupId: "0001" }));
        const event = await failoverEventAt(group, sent);
        const roles = await waitFor(
          async () => heard.find((h) => h.change.type === "roles" && h.change.group === group && h.change.roles[event.to] === "primary"),
          { timeoutMs: 10_000, intervalMs: 50, description: "the watcher's role change" },
        );
        expect(roles.at - event.at).toBeLessThanOrEqual(1_500);
        expect(watcher.roles(group).get(event.to)).toBe("primary");
        const forwarded = pushed.find((p) => p.type === "roles" && p.primaries.includes(event.to));
        expect(forwarded && forwarded.at - event.at).toBeLessThanOrEqual(1_500);
        // The detail read that follows keeps the event's roles (cluster mode enabled has no other prompt source).
        const detail = await waitFor(async () => pushed.find((p) => p.type === "detail" && p.at > forwarded!.at), { timeoutMs: 15_000, intervalMs: 100, description: "a fresh detail" });
        expect(detail.primaries).toContain(event.to);
      }
      unsubscribe();
      stop();
      // The test's own calls go to the emulator through its own client; these are the watcher's. The event named one
      // group, so it described that group (and its members), never the whole region.
      const after = awsCallTotals();
      const delta = (op: string) => (after[`elasticache:${op}`] ?? 0) - (before[`elasticache:${op}`] ?? 0);
      expect(delta("DescribeEvents")).toBeGreaterThan(0);
      expect(delta("DescribeReplicationGroups")).toBeGreaterThan(0);
      expect(delta("DescribeServerlessCaches")).toBe(0);
    });
  }
});

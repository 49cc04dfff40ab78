import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsRequestedToday } from "@/lib/aws";
import { DAY_MS } from "@/lib/capacity/forecast";
import { priceOf } from "@/lib/cost/prices";
import { stopAllWatchers, watcherFor } from "@/lib/watcher";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, waitForCacheCluster, waitForReplicationGroup, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";
import { at } from "../../helpers/place";

// The capacity read against a real emulator whose caches carry seeded history (docs/cost.md, "Capacity and
// rightsizing"): one cache filling up, one over-sized cluster-mode cache, a Memcached cluster, a serverless cache; the read is counted and
// not repeated.

let dir: string;
let emulator: TestEmulator;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-capacity-"));
  const fleetFile = path.join(dir, "fleet.json");
  const group = (id: string, extra: object, model: string) => ({ ReplicationGroupId: id, ReplicationGroupDescription: id, AutomaticFailoverEnabled: true, MultiAZEnabled: true, ...extra, history: { days: 14, model } });
  writeFileSync(
    fleetFile,
    JSON.stringify({
      regions: {
        "us-east-1": {
          replicationGroups: [
            group("filling", { Engine: "redis", CacheNodeType: "cache.r7g.large", NumCacheClusters: 2 }, "growing"),
            group("roomy", { Engine: "valkey", CacheNodeType: "cache.m7g.large", NumNodeGroups: 2, ReplicasPerNodeGroup: 1 }, "idle"),
          ],
          cacheClusters: [{ CacheClusterId: "sessions-mc", Engine: "memcached", CacheNodeType: "cache.t4g.medium", NumCacheNodes: 2, history: { days: 14, model: "steady" } }],
          serverlessCaches: [
            { ServerlessCacheName: "carts", Engine: "valkey", CacheUsageLimits: { DataStorage: { Maximum: 10, Unit: "GB" } }, history: { days: 14, model: "steady", memoryPercent: 60, growthPercentPerDay: 1 } },
          ],
        },
      },
    }),
  );
  emulator = await startTestEmulator({ fleetFile, workload: false });
  pointAwsSdkAt(emulator.url);
  await Promise.all(["filling", "roomy"].map((id) => waitForReplicationGroup(elasticacheClient(emulator.url), id)));
  await waitForCacheCluster(elasticacheClient(emulator.url), "sessions-mc");
});

afterAll(async () => {
  stopAllWatchers();
  await emulator?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe("capacity from the watcher", () => {
  it("forecasts the cache filling up, recommends fewer shards for the idle one, and reads once for every viewer", async () => {
    const watcher = watcherFor(at("us-east-1"));
    expect(await watcher.ready(30_000)).toBe(true);
    // The cost inputs read asks for the serverless cache's last hour (2 metrics): let it land before counting.
    await waitFor(() => watcher.costInputs().inputsReadAt !== null || undefined, { timeoutMs: 30_000, description: "the cost inputs read" });
    const before = metricsRequestedToday();
    const capacity = await waitFor(() => watcher.capacity(), { timeoutMs: 30_000, description: "the capacity read" });
    // Eight daily figures for each of the 2 + 4 member clusters, three for each of the Memcached cluster's 2 nodes and
    // one for the serverless cache, in one read.
    expect(metricsRequestedToday() - before).toBe(8 * 6 + 3 * 2 + 1);

    const now = Date.now();
    const filling = capacity.get("filling")!;
    // 14 whole days, or 13 when the seeded range starts in the first day's hours.
    expect(filling.memory.days.length).toBeGreaterThanOrEqual(13);
    expect(filling.forecast.fillsUp).toBe("memory");
    // 75% at the end of the history and 0.9 points a day: 100% about 28 days later (the daily wobble moves it a little).
    expect(filling.forecast.memory!.trend.slopePerDay).toBeGreaterThan(0.8);
    expect(filling.forecast.memory!.trend.slopePerDay).toBeLessThan(1.0);
    const days = (filling.forecast.fillsUpAt! - now) / DAY_MS;
    expect(days).toBeGreaterThan(20);
    expect(days).toBeLessThan(32);
    expect(filling.recommendation!.verdict).toBe("right-sized");
    expect(filling.recommendation!.target!.replicasPerShard).toBe(1);

    const roomy = capacity.get("roomy")!;
    expect(roomy.forecast.fillsUp).toBeNull();
    expect(roomy.recommendation!.verdict).toBe("over-sized");
    expect(roomy.recommendation!.target).toEqual({ nodeType: "cache.m7g.large", shards: 1, replicasPerShard: 1 });
    expect(roomy.recommendation!.operations).toEqual([{ op: "modify-shard-count", shards: 1 }]);
    // The snapshot's Valkey cache.m7g.large in us-east-1: $0.1264 a node-hour × 2 nodes fewer × 730 hours.
    expect(roomy.recommendation!.monthlySavingUsd).toBeCloseTo(0.1264 * 2 * 730, 6);
    // The date of the price used: the Price List API's answer once read (the emulator serves the snapshot's figures), else the snapshot's.
    expect(roomy.priceDate).toBe(priceOf({ engine: "valkey", nodeType: "cache.m7g.large", region: "us-east-1" })!.date);
    // The network peaks came back from the seeded NetworkBytesIn / Out: the idle model's busiest minute at 4% engine
    // CPU is ~5–8 MB/s a node (900 bytes a command), twice that on the merged shard, well under cache.m7g.large's baseline.
    const network = roomy.recommendation!.reasons.find((r) => r.startsWith("Peak network"))!;
    const mbPerSecond = Number(/^Peak network ([\d.]+) MB\/s/.exec(network)![1]);
    expect(mbPerSecond).toBeGreaterThan(8);
    expect(mbPerSecond).toBeLessThan(20);
    expect(network).toContain("of cache.m7g.large's 0.937 Gbps baseline");
    expect(roomy.recommendation!.reasons.join(" ")).toMatch(/Peak connections \d+ a node \(CurrConnections\)/);
    expect(filling.recommendation!.reasons).toContain("Network not judged: no published baseline bandwidth for cache.r7g.large.");

    // The Memcached cluster: item memory per node against its limit_maxbytes (the steady model: ~40% of the node),
    // connections, and items with a trend.
    const memcached = capacity.get("sessions-mc")!;
    expect(memcached.basis).toBe("memcached");
    expect(memcached.memory.days.length).toBeGreaterThanOrEqual(13);
    expect(memcached.forecast.memory!.latest).toBeGreaterThan(35);
    expect(memcached.forecast.memory!.latest).toBeLessThan(50);
    expect(memcached.forecast.connections!.latest).toBeGreaterThan(100);
    expect(memcached.forecast.keys).not.toBeNull();
    expect(memcached.recommendation).toBeNull();

    // The serverless cache: data stored against its 10 GB maximum, 60% at the end of the seeded range and a point a
    // day more, so 100% about 40 days on.
    const carts = capacity.get("carts")!;
    expect(carts.basis).toBe("serverless");
    expect(carts.limitBytes).toBe(10e9);
    expect(carts.forecast.memory!.trend.slopePerDay).toBeGreaterThan(0.85);
    expect(carts.forecast.memory!.trend.slopePerDay).toBeLessThan(1.15);
    const cartsDays = (carts.forecast.fillsUpAt! - now) / DAY_MS;
    expect(cartsDays).toBeGreaterThan(32);
    expect(cartsDays).toBeLessThan(46);

    // The fleet row carries the date; asking again (another viewer) reads nothing more.
    const rows = watcher.summaries(null);
    expect(rows.find((r) => r.id === "filling")!.fillsUp).toEqual({ at: filling.forecast.fillsUpAt, figure: "memory" });
    expect(rows.find((r) => r.id === "roomy")!.fillsUp).toBeNull();
    expect(rows.find((r) => r.id === "carts")!.fillsUp).toEqual({ at: carts.forecast.fillsUpAt, figure: "memory" });
    expect(rows.find((r) => r.id === "sessions-mc")!.fillsUp).toBeNull();
    const counted = metricsRequestedToday();
    expect(watcher.capacity()).toBe(capacity);
    expect(metricsRequestedToday()).toBe(counted);
    expect(watcher.status(0).capacityRead).toMatchObject({ metricsPerRead: 55, everyMs: 6 * 3600_000 });
  });
});

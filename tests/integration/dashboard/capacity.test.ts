import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metricsRequestedToday } from "@/lib/aws";
import { DAY_MS } from "@/lib/capacity/forecast";
import { priceOf } from "@/lib/cost/prices";
import { stopAllWatchers, watcherFor } from "@/lib/watcher";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, TEST_CREDENTIALS, waitForReplicationGroup, type TestEmulator } from "../../helpers/emulator";
import { at } from "../../helpers/place";

// The capacity read against a real emulator whose caches carry seeded history (docs/cost.md, "Capacity and
// rightsizing"): one cache filling up, one over-sized cluster-mode cache; the read is counted and not repeated.

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
        },
      },
    }),
  );
  emulator = await startTestEmulator({ fleetFile, workload: false });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
  });
  await Promise.all(["filling", "roomy"].map((id) => waitForReplicationGroup(elasticacheClient(emulator.url), id)));
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
    const before = metricsRequestedToday();
    const capacity = await waitFor(() => watcher.capacity(), { timeoutMs: 30_000, description: "the capacity read" });
    // Six daily figures for each of the 2 + 4 member clusters, in one read.
    expect(metricsRequestedToday() - before).toBe(6 * 6);

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

    // The fleet row carries the date; asking again (another viewer) reads nothing more.
    const rows = watcher.summaries(null);
    expect(rows.find((r) => r.id === "filling")!.fillsUp).toEqual({ at: filling.forecast.fillsUpAt, figure: "memory" });
    expect(rows.find((r) => r.id === "roomy")!.fillsUp).toBeNull();
    const counted = metricsRequestedToday();
    expect(watcher.capacity()).toBe(capacity);
    expect(metricsRequestedToday()).toBe(counted);
    expect(watcher.status(0).capacityRead).toMatchObject({ metricsPerRead: 36, everyMs: 6 * 3600_000 });
  });
});

import Redis from "ioredis";
import { describe, expect, it } from "vitest";
import { addShard, migrateSlots, removeShard } from "@/emulator/nodes/cluster-resharding";
import { withRedis } from "@/emulator/nodes/redis-admin";
import { clusterInfo, clusterSlots } from "@/emulator/nodes/redis-cluster";
import { MiB, startCluster, startRedisNodes, testSupervisor } from "./node-test-kit";

async function slotCounts(port: number): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  for (const entry of await clusterSlots(port)) {
    counts.set(entry.primary.port, (counts.get(entry.primary.port) ?? 0) + entry.end - entry.start + 1);
  }
  return counts;
}

async function expectAllKeys(port: number, keys: string[]): Promise<void> {
  const client = new Redis.Cluster([{ host: "127.0.0.1", port }]);
  try {
    const values = await Promise.all(keys.map((key) => client.get(key)));
    expect(values.filter((value, i) => value !== `v:${keys[i]}`)).toEqual([]);
  } finally {
    client.disconnect();
  }
}

describe("resharding with real slot migration", () => {
  it("moves slots with their keys, adds a shard under live writes, and removes a shard", async () => {
    const supervisor = testSupervisor();
    const {
      shards: [a, b],
    } = await startCluster(supervisor, 2, 16 * MiB);
    const client = new Redis.Cluster([{ host: "127.0.0.1", port: a.primaryPort }]);
    const keys = Array.from({ length: 3000 }, (_, i) => `order:${i}`);
    try {
      await Promise.all(keys.map((key) => client.set(key, `v:${key}`)));

      const slot = (await withRedis(a.primaryPort, (c) => c.call("CLUSTER", "KEYSLOT", "order:1"))) as number;
      const owner = slot <= 8191 ? a : b;
      const other = owner === a ? b : a;
      await migrateSlots({ sourcePort: owner.primaryPort, targetPort: other.primaryPort, slots: [slot] });
      expect(await withRedis(other.primaryPort, (c) => c.call("CLUSTER", "COUNTKEYSINSLOT", slot))).toBeGreaterThan(0);
      expect(await withRedis(owner.primaryPort, (c) => c.call("CLUSTER", "COUNTKEYSINSLOT", slot))).toBe(0);
      await expectAllKeys(a.primaryPort, keys);

      const [newPrimary, newReplica] = await startRedisNodes(supervisor, "new-shard", 2, { maxmemoryBytes: 16 * MiB, clusterEnabled: true });
      const progress: Array<[number, number]> = [];
      let writing = true;
      const liveKeys: string[] = [];
      const writer = (async () => {
        for (let i = 0; writing && i < 5_000; i++) {
          await client.set(`live:${i}`, `v:live:${i}`);
          liveKeys.push(`live:${i}`);
          await new Promise((resolve) => setTimeout(resolve, 2));
        }
      })();
      const added = await addShard(
        a.primaryPort,
        { primaryPort: newPrimary.port, replicaPorts: [newReplica.port] },
        { onProgress: (moved, total) => progress.push([moved, total]) },
      ).finally(() => (writing = false));
      await writer;

      const total = added.reduce((sum, m) => sum + m.slots.length, 0);
      expect(total).toBeGreaterThan(5000);
      expect(progress.at(-1)).toEqual([total, total]);
      expect(progress.every(([moved], i) => i === 0 || moved > progress[i - 1][0])).toBe(true);
      const counts = await slotCounts(newReplica.port);
      expect([...counts.values()].sort()).toEqual([5461, 5461, 5462]);
      expect(counts.get(newPrimary.port)).toBeGreaterThan(5000);
      expect(await withRedis(newPrimary.port, (c) => c.dbsize())).toBeGreaterThan(500);
      expect(liveKeys.length).toBeGreaterThan(0);
      await expectAllKeys(newReplica.port, [...keys, ...liveKeys]);

      await removeShard(newPrimary.port, a);
      const after = await slotCounts(newPrimary.port);
      expect([...after.keys()].sort()).toEqual([b.primaryPort, newPrimary.port].sort());
      expect([...after.values()]).toEqual([8192, 8192]);
      expect(await withRedis(a.primaryPort, (c) => c.dbsize())).toBe(0);
      expect((await clusterInfo(a.primaryPort)).cluster_known_nodes).toBe("1");
      expect((await clusterInfo(b.primaryPort)).cluster_known_nodes).toBe("4");
      await expectAllKeys(b.primaryPort, [...keys, ...liveKeys]);
    } finally {
      client.disconnect();
    }
  });
});

import Redis from "ioredis";
import { describe, expect, it } from "vitest";
import { failoverClusterShard, failoverPrimary } from "@/emulator/nodes/shard-failover";
import { info, waitForReplicationUp, withRedis } from "@/emulator/nodes/redis-admin";
import { clusterInfo, clusterSlots, detachNodes } from "@/emulator/nodes/redis-cluster";
import { InsufficientMemoryError, assertDataFits, memoryFootprint, syncReplacement } from "@/emulator/nodes/vertical-scaling";
import { MiB, replicatedGroup, startCluster, startRedisNodes, testSupervisor } from "./node-test-kit";

const value = "x".repeat(10_000);

async function fill(port: number, keys: number): Promise<void> {
  await withRedis(port, async (c) => {
    const pipeline = c.pipeline();
    for (let i = 0; i < keys; i++) pipeline.set(`blob:${i}`, value);
    const replies = (await pipeline.exec()) ?? [];
    expect(replies.filter(([error]) => error)).toEqual([]);
  });
}

describe("vertical scaling", () => {
  it("scales a replicated group up: the bigger node syncs, takes over, and holds every key", async () => {
    const supervisor = testSupervisor();
    const { nodes } = await replicatedGroup(supervisor, 2, 8 * MiB);
    const [primary, replica] = nodes;
    await fill(primary.port, 200);

    const bigger = await supervisor.startRedis({ key: "new/0001", maxmemoryBytes: 32 * MiB, clusterEnabled: false });
    await syncReplacement({ primaryPort: primary.port, newPort: bigger.port, clusterMode: false });
    const result = await failoverPrimary({ primaryPort: primary.port, replicaPorts: [replica.port, bigger.port], promotePort: bigger.port });
    expect(result.promotedPort).toBe(bigger.port);
    await supervisor.stop(primary.key);

    const memory = await info(bigger.port, "memory");
    expect(Number(memory.maxmemory)).toBe(32 * MiB);
    expect(await withRedis(bigger.port, (c) => c.dbsize())).toBe(200);
    expect(await waitForReplicationUp(replica.port)).toMatchObject({ masterPort: bigger.port });
  });

  it("refuses a scale-down whose data does not fit, before and after syncing", async () => {
    const supervisor = testSupervisor();
    const primary = await supervisor.startRedis({ key: "big", maxmemoryBytes: 32 * MiB, clusterEnabled: false });
    await fill(primary.port, 500);
    const footprint = await memoryFootprint(primary.port);
    expect(footprint).toBeGreaterThan(5 * MiB);

    await expect(assertDataFits(primary.port, 2 * MiB)).rejects.toThrow(InsufficientMemoryError);
    const small = await supervisor.startRedis({ key: "small", maxmemoryBytes: 2 * MiB, clusterEnabled: false });
    const refusal = await syncReplacement({ primaryPort: primary.port, newPort: small.port, clusterMode: false }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(InsufficientMemoryError);
    expect((refusal as InsufficientMemoryError).maxmemoryBytes).toBe(2 * MiB);
    expect((refusal as Error).message).toMatch(/needs [\d.]+ MiB but the new node has a maxmemory of 2\.00 MiB/);
    await expect(assertDataFits(primary.port, 32 * MiB)).resolves.toBeUndefined();
  });

  it("replaces a cluster shard's nodes with bigger ones without losing a key", async () => {
    const supervisor = testSupervisor();
    const { nodes, shards } = await startCluster(supervisor, 2);
    const client = new Redis.Cluster([{ host: "127.0.0.1", port: nodes[0].port }]);
    const keys = Array.from({ length: 1000 }, (_, i) => `cart:${i}`);
    try {
      await Promise.all(keys.map((key) => client.set(key, key)));
    } finally {
      client.disconnect();
    }

    const [newPrimary, newReplica] = await startRedisNodes(supervisor, "bigger", 2, { maxmemoryBytes: 64 * MiB, clusterEnabled: true });
    const old = shards[0];
    await syncReplacement({ primaryPort: old.primaryPort, newPort: newPrimary.port, clusterMode: true });
    await failoverClusterShard({ replicaPorts: [newPrimary.port], primaryAlive: true });
    await syncReplacement({ primaryPort: newPrimary.port, newPort: newReplica.port, clusterMode: true });
    await detachNodes(newPrimary.port, [old.primaryPort, ...old.replicaPorts]);
    await Promise.all([old.primaryPort, ...old.replicaPorts].map((port) => supervisor.stop(nodes.find((n) => n.port === port)!.key)));

    const slots = await clusterSlots(shards[1].primaryPort);
    const shardOne = slots.find((s) => s.primary.port === newPrimary.port);
    expect(shardOne?.replicas.map((r) => r.port)).toEqual([newReplica.port]);
    expect((await clusterInfo(newReplica.port)).cluster_known_nodes).toBe("4");
    const after = new Redis.Cluster([{ host: "127.0.0.1", port: newPrimary.port }]);
    try {
      const values = await Promise.all(keys.map((key) => after.get(key)));
      expect(values).toEqual(keys);
    } finally {
      after.disconnect();
    }
  });
});

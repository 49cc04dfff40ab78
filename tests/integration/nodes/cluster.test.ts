import Redis from "ioredis";
import { describe, expect, it } from "vitest";
import { clusterInfo, clusterNodes, clusterSlots, formCluster } from "@/emulator/nodes/redis-cluster";
import { MiB, startRedisNodes, testSupervisor } from "./node-test-kit";

describe("formCluster", () => {
  it("forms a 3×2 cluster whose slots cover 0–16383 and that serves a cluster client", async () => {
    const supervisor = testSupervisor();
    const nodes = await startRedisNodes(supervisor, "orders", 6, { maxmemoryBytes: 4 * MiB, clusterEnabled: true });
    const shards = [0, 1, 2].map((s) => ({ primaryPort: nodes[2 * s].port, replicaPorts: [nodes[2 * s + 1].port] }));
    const formed = await formCluster(shards);

    expect(formed.map((s) => s.slots)).toEqual([
      [{ start: 0, end: 5460 }],
      [{ start: 5461, end: 10921 }],
      [{ start: 10922, end: 16383 }],
    ]);
    for (const node of nodes) {
      const clusterState = await clusterInfo(node.port);
      expect(clusterState).toMatchObject({ cluster_state: "ok", cluster_slots_assigned: "16384", cluster_known_nodes: "6" });
    }
    const slots = await clusterSlots(nodes[5].port);
    expect(slots.map((s) => [s.start, s.end, s.primary.port, s.replicas.map((r) => r.port)])).toEqual(
      shards.map((shard, i) => [formed[i].slots[0].start, formed[i].slots[0].end, shard.primaryPort, shard.replicaPorts]),
    );
    const view = await clusterNodes(nodes[0].port);
    expect(view.filter((n) => n.flags.includes("slave")).map((n) => n.masterId).sort()).toEqual(
      formed.map((s) => s.primaryId).sort(),
    );

    const client = new Redis.Cluster([{ host: "127.0.0.1", port: nodes[0].port }]);
    try {
      const keys = Array.from({ length: 200 }, (_, i) => `customer:${i}`);
      for (const key of keys) await client.set(key, key.toUpperCase());
      for (const key of keys) expect(await client.get(key)).toBe(key.toUpperCase());
    } finally {
      client.disconnect();
    }

    // Nodes restarted with their nodes.conf (or a control plane that retries) must not break a formed cluster.
    await formCluster(shards);
    expect((await clusterInfo(nodes[3].port)).cluster_state).toBe("ok");
  });
});

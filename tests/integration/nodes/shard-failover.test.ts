import Redis from "ioredis";
import { describe, expect, it } from "vitest";
import { failoverClusterShard, failoverPrimary, rankReplicas } from "@/emulator/nodes/shard-failover";
import { replicationStatus, waitForReplicasCaughtUp, waitForReplicationUp, withRedis } from "@/emulator/nodes/redis-admin";
import { clusterInfo, clusterSlots } from "@/emulator/nodes/redis-cluster";
import { ReplicationThrottle } from "@/emulator/nodes/replication-throttle";
import { replicatedGroup, startCluster, testSupervisor } from "./node-test-kit";

async function writeKeys(port: number, count: number, replicas: number): Promise<string[]> {
  const keys = Array.from({ length: count }, (_, i) => `item:${i}`);
  await withRedis(port, async (c) => {
    const pipeline = c.pipeline();
    for (const key of keys) pipeline.set(key, `value-of-${key}`);
    await pipeline.exec();
    expect(await c.wait(replicas, 5_000)).toBe(replicas);
  });
  return keys;
}

async function expectKeys(port: number, keys: string[]): Promise<void> {
  const values = await withRedis(port, (c) => c.mget(...keys));
  expect(values).toEqual(keys.map((key) => `value-of-${key}`));
}

/** Throttles the second replica, then writes `late` = "write", acknowledged by the first replica only. */
async function slowSecondReplica(primary: number, replicas: number[], delayMs: number) {
  const [fresh, slowed] = replicas;
  const throttle = await ReplicationThrottle.start({ replicaPort: slowed, primaryPort: primary, delayMs });
  await withRedis(primary, async (c) => {
    await c.set("late", "write");
    expect(await c.wait(1, 2_000)).toBe(1);
  });
  return { fresh, slowed, throttle };
}

describe("failover, cluster mode disabled", () => {
  it("promotes the least lagging replica of a live primary and re-points everyone", async () => {
    const supervisor = testSupervisor();
    const { primary, replicas } = await replicatedGroup(supervisor, 3);
    const keys = await writeKeys(primary, 500, 2);
    const { fresh, slowed, throttle } = await slowSecondReplica(primary, replicas, 3_000);
    try {
      const ranking = await rankReplicas([slowed, fresh]);
      expect(ranking.map((r) => r.port)).toEqual([fresh, slowed]);
      expect(ranking[0].offset).toBeGreaterThan(ranking[1].offset);
      const result = await failoverPrimary({ primaryPort: primary, replicaPorts: [slowed, fresh] });
      expect(result).toEqual({ promotedPort: fresh, previousPrimaryPort: primary, previousPrimaryRejoined: true, repointedPorts: [slowed] });
    } finally {
      await throttle.close();
    }

    expect((await replicationStatus(fresh)).role).toBe("master");
    for (const port of [primary, slowed]) {
      expect(await waitForReplicationUp(port)).toMatchObject({ role: "slave", masterPort: fresh });
    }
    await withRedis(fresh, (c) => c.set("after", "failover"));
    await waitForReplicasCaughtUp(fresh, { expectedReplicas: 2 });
    await expectKeys(fresh, keys);
    for (const port of [primary, slowed]) {
      expect(await withRedis(port, (c) => c.mget("late", "after"))).toEqual(["write", "failover"]);
    }
  });

  it("keeps a throttled replica slowed after a failover, replicating from the new primary", async () => {
    const supervisor = testSupervisor();
    const { primary, replicas } = await replicatedGroup(supervisor, 3);
    const { fresh, slowed, throttle } = await slowSecondReplica(primary, replicas, 1_000);
    try {
      const result = await failoverPrimary({ primaryPort: primary, replicaPorts: [slowed, fresh] });
      expect(result.promotedPort).toBe(fresh);
      await throttle.retarget(fresh);
      expect(throttle.primaryPort).toBe(fresh);
      expect((await replicationStatus(slowed)).masterPort).toBe(throttle.proxyPort);

      await withRedis(fresh, (c) => c.set("after", "failover"));
      expect((await replicationStatus(fresh)).replicas.find((r) => r.port === slowed)?.lagBytes).toBeGreaterThan(0);
      await waitForReplicasCaughtUp(fresh, { expectedReplicas: 2 });
      expect(await withRedis(slowed, (c) => c.mget("late", "after"))).toEqual(["write", "failover"]);
    } finally {
      await throttle.close();
    }
  });

  it("promotes a replica of a dead primary with no acknowledged write lost", async () => {
    const supervisor = testSupervisor();
    const { primary, replicas, nodes } = await replicatedGroup(supervisor, 3);
    const keys = await writeKeys(primary, 300, 2);
    await supervisor.kill(nodes[0].key);

    const result = await failoverPrimary({ primaryPort: primary, replicaPorts: replicas });
    expect(replicas).toContain(result.promotedPort);
    expect(result.previousPrimaryRejoined).toBe(false);
    const [other] = result.repointedPorts;
    expect(await waitForReplicationUp(other)).toMatchObject({ masterPort: result.promotedPort });
    await expectKeys(result.promotedPort, keys);
    await withRedis(result.promotedPort, (c) => c.set("new", "primary"));
  });

  it("promotes the replica it is told to", async () => {
    const supervisor = testSupervisor();
    const { primary, replicas } = await replicatedGroup(supervisor, 3);
    const result = await failoverPrimary({ primaryPort: primary, replicaPorts: replicas, promotePort: replicas[1] });
    expect(result.promotedPort).toBe(replicas[1]);
    await expect(failoverPrimary({ primaryPort: replicas[1], replicaPorts: [primary], promotePort: 1 })).rejects.toThrow(
      /not one of the replicas/,
    );
  });
});

describe("failover, cluster mode enabled", () => {
  it("fails over a shard with a live primary and one whose primary died, keeping every key", async () => {
    const supervisor = testSupervisor();
    const { nodes, shards } = await startCluster(supervisor, 3);
    const client = new Redis.Cluster([{ host: "127.0.0.1", port: nodes[0].port }]);
    try {
      const keys = Array.from({ length: 300 }, (_, i) => `session:${i}`);
      for (const key of keys) await client.set(key, key);
      await Promise.all(shards.map((s) => waitForReplicasCaughtUp(s.primaryPort, { expectedReplicas: 1 })));

      const planned = await failoverClusterShard({ replicaPorts: shards[0].replicaPorts, primaryAlive: true });
      expect(planned.promotedPort).toBe(shards[0].replicaPorts[0]);
      expect(await waitForReplicationUp(shards[0].primaryPort)).toMatchObject({ masterPort: planned.promotedPort });

      await supervisor.kill(nodes[2].key);
      const unplanned = await failoverClusterShard({ replicaPorts: shards[1].replicaPorts, primaryAlive: false });
      expect(unplanned.promotedPort).toBe(shards[1].replicaPorts[0]);
      expect((await clusterInfo(unplanned.promotedPort)).cluster_state).toBe("ok");

      const owners = new Set((await clusterSlots(nodes[5].port)).map((s) => s.primary.port));
      expect(owners).toEqual(new Set([planned.promotedPort, unplanned.promotedPort, shards[2].primaryPort]));
      const after = new Redis.Cluster([{ host: "127.0.0.1", port: nodes[5].port }]);
      try {
        for (const key of keys) expect(await after.get(key)).toBe(key);
      } finally {
        after.disconnect();
      }
    } finally {
      client.disconnect();
    }
  });
});

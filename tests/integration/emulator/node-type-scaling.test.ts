import {
  DescribeCacheClustersCommand,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  InvalidReplicationGroupStateFault,
  ListAllowedNodeTypeModificationsCommand,
  ModifyReplicationGroupCommand,
  type ModifyReplicationGroupCommandInput,
} from "@aws-sdk/client-elasticache";
import { describe, expect, it } from "vitest";
import { nodeMaxmemoryBytes } from "@/emulator/elasticache/control-plane";
import { info, replicationStatus } from "@/emulator/nodes/redis-admin";
import { emulatorForFile } from "@/tests/helpers/emulator-for-file";
import { waitForReplicationGroup } from "@/tests/helpers/emulator";
import { cacheNodePort, clusterClient, createGroup, describeGroup, eventLog, everyKeyReadable, missingKeys, rolesOf, withRedis, writeAcknowledged, writeClusterKeys } from "@/tests/helpers/replication-group";

// ModifyReplicationGroup on real nodes: a node-type change replaces every process with one of the new type's memory
// without losing data or moving roles; failover settings follow AWS's rules; refusals carry AWS's codes.

const env = emulatorForFile({ settings: { timeScale: 0.002 } });
const modify = (input: ModifyReplicationGroupCommandInput) => env.client.send(new ModifyReplicationGroupCommand(input));

async function maxmemoryOf(port: number): Promise<number> {
  return Number((await info(port, "memory")).maxmemory);
}

describe("changing the node type", () => {
  it("scales up a cluster-mode-disabled group: new processes with the new memory, data synced, roles and endpoints kept", async () => {
    const before = await createGroup(env.client, { ReplicationGroupId: "grow", NumCacheClusters: 2, CacheNodeType: "cache.t4g.micro" });
    const { primaryPort, roles } = rolesOf(before);
    const keys = await writeAcknowledged(primaryPort, "grow", 100, 1);
    const allowed = await env.client.send(new ListAllowedNodeTypeModificationsCommand({ ReplicationGroupId: "grow" }));
    expect(allowed.ScaleUpModifications).toContain("cache.t4g.small");
    const since = new Date();

    const answer = await modify({ ReplicationGroupId: "grow", CacheNodeType: "cache.t4g.small", ApplyImmediately: true });
    expect(answer.ReplicationGroup!.Status).toBe("modifying");
    const pending = await env.client.send(new DescribeCacheClustersCommand({ CacheClusterId: "grow-002" }));
    expect(pending.CacheClusters![0]).toMatchObject({ CacheClusterStatus: "modifying", CacheNodeType: "cache.t4g.micro", PendingModifiedValues: { CacheNodeType: "cache.t4g.small" } });
    await expect(modify({ ReplicationGroupId: "grow", ReplicationGroupDescription: "again" })).rejects.toBeInstanceOf(InvalidReplicationGroupStateFault);

    const after = await waitForReplicationGroup(env.client, "grow");
    expect(after.CacheNodeType).toBe("cache.t4g.small");
    expect(rolesOf(after)).toEqual({ primaryPort, roles });
    const members = await env.client.send(new DescribeCacheClustersCommand({ ShowCacheNodeInfo: true }));
    for (const cluster of members.CacheClusters!.filter((c) => c.ReplicationGroupId === "grow")) {
      expect(cluster).toMatchObject({ CacheNodeType: "cache.t4g.small", PendingModifiedValues: {}, CacheClusterStatus: "available" });
      expect(await maxmemoryOf(cluster.CacheNodes![0].Endpoint!.Port!)).toBe(nodeMaxmemoryBytes("cache.t4g.small"));
    }
    expect(await missingKeys(primaryPort, keys)).toEqual([]);
    expect(await replicationStatus(rolesOf(after).primaryPort)).toMatchObject({ role: "master" });
    expect(await eventLog(env.client, [["replication-group", "grow"]], since)).toEqual([
      "grow: Modifying cache node type from cache.t4g.micro to cache.t4g.small",
      "grow: Finished modifying cache node type from cache.t4g.micro to cache.t4g.small",
    ]);
  });

  it("scales a cluster-mode-enabled group shard by shard, every key still readable through the cluster", async () => {
    const group = await createGroup(env.client, { ReplicationGroupId: "gridup", NumNodeGroups: 2, ReplicasPerNodeGroup: 1, CacheNodeType: "cache.t4g.small" });
    const cluster = clusterClient(group);
    try {
      const keys = await writeClusterKeys(cluster, "g", 200, 1);
      await modify({ ReplicationGroupId: "gridup", CacheNodeType: "cache.t4g.medium", ApplyImmediately: true });
      const after = await waitForReplicationGroup(env.client, "gridup", "available", 120_000);
      expect(after.CacheNodeType).toBe("cache.t4g.medium");
      for (const id of after.MemberClusters!) expect(await maxmemoryOf(await cacheNodePort(env.client, id))).toBe(nodeMaxmemoryBytes("cache.t4g.medium"));
      await everyKeyReadable(cluster, keys);
    } finally {
      cluster.disconnect();
    }
  });

  it("refuses a scale-down the data does not fit, with AWS's message, and node types ListAllowedNodeTypeModifications does not offer", async () => {
    const group = await createGroup(env.client, { ReplicationGroupId: "full", NumCacheClusters: 1, CacheNodeType: "cache.t4g.medium" });
    await withRedis(rolesOf(group).primaryPort, async (r) => {
      const pipeline = r.pipeline();
      for (let i = 0; i < 300; i++) pipeline.set(`blob:${i}`, "x".repeat(10_000));
      await pipeline.exec();
    });
    const allowed = await env.client.send(new ListAllowedNodeTypeModificationsCommand({ ReplicationGroupId: "full" }));
    expect(allowed.ScaleDownModifications).toContain("cache.t4g.micro");
    expect(allowed.ScaleUpModifications).not.toContain("cache.t4g.medium");
    await expect(modify({ ReplicationGroupId: "full", CacheNodeType: "cache.t4g.micro", ApplyImmediately: true })).rejects.toThrow(
      "Failed to scale down to cache node type cache.t4g.micro because the node has insufficient memory.",
    );
    await expect(modify({ ReplicationGroupId: "full", CacheNodeType: "cache.t4g.micro", ApplyImmediately: true })).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(modify({ ReplicationGroupId: "full", CacheNodeType: "cache.t4g.medium", ApplyImmediately: true })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(modify({ ReplicationGroupId: "full", CacheNodeType: "cache.x9.huge", ApplyImmediately: true })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(modify({ ReplicationGroupId: "full", CacheNodeType: "cache.r7g.large" })).rejects.toThrow(/ApplyImmediately/);
    expect((await describeGroup(env.client, "full")).Status).toBe("available");
  });
});

describe("automatic failover and Multi-AZ", () => {
  it("follows AWS's rules, and turning automatic failover on shows enabling, then enabled", async () => {
    await createGroup(env.client, { ReplicationGroupId: "flags", NumCacheClusters: 2 });
    await createGroup(env.client, { ReplicationGroupId: "alone", NumCacheClusters: 1 });
    await expect(modify({ ReplicationGroupId: "flags", MultiAZEnabled: true })).rejects.toThrow(/Multi-AZ requires automatic failover/);
    await expect(modify({ ReplicationGroupId: "alone", AutomaticFailoverEnabled: true })).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(modify({ ReplicationGroupId: "flags" })).rejects.toThrow(/No modifications/);

    const answer = await modify({ ReplicationGroupId: "flags", AutomaticFailoverEnabled: true, MultiAZEnabled: true });
    expect(answer.ReplicationGroup).toMatchObject({ Status: "modifying", AutomaticFailover: "enabling" });
    expect(await waitForReplicationGroup(env.client, "flags")).toMatchObject({ AutomaticFailover: "enabled", MultiAZ: "enabled" });
    await expect(modify({ ReplicationGroupId: "flags", AutomaticFailoverEnabled: false })).rejects.toThrow(/Multi-AZ requires automatic failover/);
    const renamed = await modify({ ReplicationGroupId: "flags", ReplicationGroupDescription: "checkout" });
    expect(renamed.ReplicationGroup).toMatchObject({ Status: "available", Description: "checkout" });
  });
});

import {
  DecreaseReplicaCountCommand,
  DescribeEventsCommand,
  IncreaseReplicaCountCommand,
  InsufficientCacheClusterCapacityFault,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ModifyReplicationGroupShardConfigurationCommand,
  NoOperationFault,
  type DecreaseReplicaCountCommandInput,
  type IncreaseReplicaCountCommandInput,
} from "@aws-sdk/client-elasticache";
import { describe, expect, it } from "vitest";
import { ping, replicationStatus } from "@/emulator/nodes/redis-admin";
import { waitFor } from "@/emulator/nodes/wait-for";
import { emulatorForFile } from "@/tests/helpers/emulator-for-file";
import { waitForReplicationGroup } from "@/tests/helpers/emulator";
import { faultRequest } from "@/tests/helpers/faults";
import {
  cacheNodePort,
  clusterClient,
  createGroup,
  describeGroup,
  everyKeyReadable,
  memberPort,
  missingKeys,
  rolesOf,
  withRedis,
  writeAcknowledged,
  writeClusterKeys,
} from "@/tests/helpers/replication-group";

// IncreaseReplicaCount / DecreaseReplicaCount and ModifyReplicationGroupShardConfiguration on real nodes: processes
// really added and removed, slots (with their keys) really moved, progress reported while it runs, nothing lost.

const env = emulatorForFile({ settings: { timeScale: 0.002 } });
const increase = (input: IncreaseReplicaCountCommandInput) => env.client.send(new IncreaseReplicaCountCommand(input));
const decrease = (input: DecreaseReplicaCountCommandInput) => env.client.send(new DecreaseReplicaCountCommand(input));

describe("replica count", () => {
  it("adds a replica in the asked zone and removes the one named, for real, keeping every acknowledged key", async () => {
    const group = await createGroup(env.client, { ReplicationGroupId: "reads", NumCacheClusters: 2 });
    const { primaryPort } = rolesOf(group);
    const keys = await writeAcknowledged(primaryPort, "reads", 100, 1);

    const answer = await increase({
      ReplicationGroupId: "reads",
      ApplyImmediately: true,
      ReplicaConfiguration: [{ NodeGroupId: "0001", NewReplicaCount: 2, PreferredAvailabilityZones: ["us-east-1a", "us-east-1b", "us-east-1d"] }],
    });
    expect(answer.ReplicationGroup).toMatchObject({ Status: "modifying", MemberClusters: ["reads-001", "reads-002", "reads-003"] });
    const grown = await waitForReplicationGroup(env.client, "reads");
    const added = grown.NodeGroups![0].NodeGroupMembers!.find((m) => m.CacheClusterId === "reads-003")!;
    expect(added).toMatchObject({ CurrentRole: "replica", PreferredAvailabilityZone: "us-east-1d" });
    expect(await replicationStatus(added.ReadEndpoint!.Port!)).toMatchObject({ role: "slave", masterPort: primaryPort, masterLinkStatus: "up" });
    expect(await missingKeys(added.ReadEndpoint!.Port!, keys)).toEqual([]);

    const removedPort = memberPort(grown, "reads-002");
    await decrease({ ReplicationGroupId: "reads", ApplyImmediately: true, ReplicasToRemove: ["reads-002"] });
    const shrunk = await waitForReplicationGroup(env.client, "reads");
    expect(shrunk.MemberClusters).toEqual(["reads-001", "reads-003"]);
    expect(await ping(removedPort)).toBe(false);
    expect(await missingKeys(rolesOf(shrunk).primaryPort, keys)).toEqual([]);
  });

  it("refuses what AWS refuses", async () => {
    await createGroup(env.client, { ReplicationGroupId: "guarded", NumCacheClusters: 2, AutomaticFailoverEnabled: true, MultiAZEnabled: true });
    await expect(increase({ ReplicationGroupId: "guarded", ApplyImmediately: true, NewReplicaCount: 1 })).rejects.toBeInstanceOf(NoOperationFault);
    await expect(increase({ ReplicationGroupId: "guarded", ApplyImmediately: true, NewReplicaCount: 6 })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(decrease({ ReplicationGroupId: "guarded", ApplyImmediately: true, NewReplicaCount: 0 })).rejects.toThrow(/Multi-AZ is enabled/);
    await expect(decrease({ ReplicationGroupId: "guarded", ApplyImmediately: true, NewReplicaCount: 0 })).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(decrease({ ReplicationGroupId: "guarded", ApplyImmediately: true, ReplicasToRemove: ["guarded-001"] })).rejects.toThrow(/is the primary/);
    await expect(
      increase({ ReplicationGroupId: "guarded", ApplyImmediately: true, NewReplicaCount: 2, ReplicaConfiguration: [{ NodeGroupId: "0001", NewReplicaCount: 2 }] }),
    ).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(increase({ ReplicationGroupId: "guarded", ApplyImmediately: false, NewReplicaCount: 2 })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(
      increase({ ReplicationGroupId: "guarded", ApplyImmediately: true, ReplicaConfiguration: [{ NodeGroupId: "0001", NewReplicaCount: 2 }, { NodeGroupId: "1", NewReplicaCount: 3 }] }),
    ).rejects.toThrow(/ReplicaConfiguration names node group 0001 more than once/);
    await expect(decrease({ ReplicationGroupId: "guarded", ApplyImmediately: true, ReplicasToRemove: ["guarded-002", "GUARDED-002"] })).rejects.toThrow(/ReplicasToRemove names guarded-002 more than once/);
    expect((await describeGroup(env.client, "guarded")).Status).toBe("available");

    // Without Multi-AZ, automatic failover alone still needs a replica to fail over to (cluster mode disabled).
    await createGroup(env.client, { ReplicationGroupId: "failover-only", NumCacheClusters: 2, AutomaticFailoverEnabled: true, MultiAZEnabled: false });
    const emptied = decrease({ ReplicationGroupId: "failover-only", ApplyImmediately: true, NewReplicaCount: 0 });
    await expect(emptied).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(emptied).rejects.toThrow(/Automatic failover is enabled for failover-only: it must keep at least 1 replica/);

    const cut = await faultRequest<{ fault: { id: string } }>(env.emulator.url, "POST", "/interrupt-az-power", { availabilityZone: "us-east-1c", replicationGroupIds: ["guarded"] });
    try {
      await expect(increase({ ReplicationGroupId: "guarded", ApplyImmediately: true, NewReplicaCount: 2 })).rejects.toBeInstanceOf(InsufficientCacheClusterCapacityFault);
    } finally {
      await faultRequest(env.emulator.url, "DELETE", `/${cut.body.fault.id}`);
    }
  });
});

describe("shards", () => {
  it("adds a shard with real slot migration (progress while it runs), then removes one after draining it; every key stays readable", async () => {
    // cache.t4g.micro's 2 MiB is about what an empty cluster node uses: the new shard could not receive keys.
    const group = await createGroup(env.client, { ReplicationGroupId: "grid", NumNodeGroups: 2, ReplicasPerNodeGroup: 1, CacheNodeType: "cache.t4g.medium" });
    const cluster = clusterClient(group);
    try {
      const keys = await writeClusterKeys(cluster, "grid", 500, 1);
      await expect(
        env.client.send(new ModifyReplicationGroupShardConfigurationCommand({ ReplicationGroupId: "grid", NodeGroupCount: 3, ApplyImmediately: false })),
      ).rejects.toBeInstanceOf(InvalidParameterValueException);

      await env.client.send(new ModifyReplicationGroupShardConfigurationCommand({ ReplicationGroupId: "grid", NodeGroupCount: 3, ApplyImmediately: true }));
      const progress = await progressUntilAvailable("grid");
      expect(progress.length).toBeGreaterThan(0);
      expect(progress.every((p) => p >= 0 && p <= 100)).toBe(true);
      const three = await describeGroup(env.client, "grid");
      expect(three.NodeGroups!.map((ng) => ng.NodeGroupId)).toEqual(["0001", "0002", "0003"]);
      expect(three.NodeGroups!.reduce((sum, ng) => sum + slotCount(ng.Slots!), 0)).toBe(16384);
      expect(three.NodeGroups!.every((ng) => Math.abs(slotCount(ng.Slots!) - 16384 / 3) < 1)).toBe(true);
      expect(three.PendingModifiedValues).toEqual({});
      await everyKeyReadable(cluster, keys);
      await expectKeysWhereTheirSlotsAre(keys, "grid");

      // A replica more for the new shard joins the cluster and syncs its share of the keys.
      await increase({ ReplicationGroupId: "grid", ApplyImmediately: true, ReplicaConfiguration: [{ NodeGroupId: "3", NewReplicaCount: 2 }] });
      const wider = await waitForReplicationGroup(env.client, "grid");
      expect(wider.NodeGroups![2].NodeGroupMembers!.map((m) => m.CacheClusterId)).toEqual(["grid-0003-001", "grid-0003-002", "grid-0003-003"]);
      expect((await replicationStatus(await cacheNodePort(env.client, "grid-0003-003"))).masterLinkStatus).toBe("up");
      const extraPort = await cacheNodePort(env.client, "grid-0003-003");
      await decrease({ ReplicationGroupId: "grid", ApplyImmediately: true, ReplicaConfiguration: [{ NodeGroupId: "0003", NewReplicaCount: 1 }] });
      const narrower = await waitForReplicationGroup(env.client, "grid");
      expect(narrower.NodeGroups![2].NodeGroupMembers!.map((m) => m.CacheClusterId)).toEqual(["grid-0003-001", "grid-0003-002"]);
      expect(await ping(extraPort)).toBe(false);
      await everyKeyReadable(cluster, keys);

      const leavingPorts = await Promise.all(["grid-0001-001", "grid-0001-002"].map((id) => cacheNodePort(env.client, id)));
      await expect(
        env.client.send(new ModifyReplicationGroupShardConfigurationCommand({ ReplicationGroupId: "grid", NodeGroupCount: 2, ApplyImmediately: true, NodeGroupsToRemove: ["0001"], NodeGroupsToRetain: ["0002"] })),
      ).rejects.toBeInstanceOf(InvalidParameterCombinationException);
      await env.client.send(new ModifyReplicationGroupShardConfigurationCommand({ ReplicationGroupId: "grid", NodeGroupCount: 2, ApplyImmediately: true, NodeGroupsToRemove: ["1"] }));
      await progressUntilAvailable("grid");
      const two = await describeGroup(env.client, "grid");
      expect(two.NodeGroups!.map((ng) => ng.NodeGroupId)).toEqual(["0002", "0003"]);
      for (const port of leavingPorts) expect(await ping(port)).toBe(false);
      await everyKeyReadable(cluster, keys);
      await expectKeysWhereTheirSlotsAre(keys, "grid");
    } finally {
      cluster.disconnect();
    }
  });
});

describe("a reshard that cannot finish", () => {
  it("is undone before any slot moves when the new nodes have no room: its nodes go, an event says why, no key is lost", async () => {
    const group = await createGroup(env.client, { ReplicationGroupId: "tight", NumNodeGroups: 2, ReplicasPerNodeGroup: 0 });
    const cluster = clusterClient(group);
    try {
      const keys = await writeClusterKeys(cluster, "tight", 300, 0);
      const since = new Date();
      await env.client.send(new ModifyReplicationGroupShardConfigurationCommand({ ReplicationGroupId: "tight", NodeGroupCount: 3, ApplyImmediately: true }));
      await progressUntilAvailable("tight");
      const after = await describeGroup(env.client, "tight");
      expect(after.NodeGroups!.map((ng) => ng.NodeGroupId)).toEqual(["0001", "0002"]);
      expect(after.MemberClusters).toEqual(["tight-0001-001", "tight-0002-001"]);
      const { Events } = await env.client.send(new DescribeEventsCommand({ SourceType: "replication-group", SourceIdentifier: "tight", StartTime: since }));
      expect(Events!.map((e) => e.Message)).toContainEqual(expect.stringMatching(/^Resharding failed: .* choose a larger node type first$/));
      await everyKeyReadable(cluster, keys);
    } finally {
      cluster.disconnect();
    }
  });
});

/** Polls the group while it is modifying and returns every SlotMigration.ProgressPercentage it showed. */
async function progressUntilAvailable(id: string): Promise<number[]> {
  const seen: number[] = [];
  await waitFor(
    async () => {
      const group = await describeGroup(env.client, id);
      const percent = group.PendingModifiedValues?.Resharding?.SlotMigration?.ProgressPercentage;
      if (percent !== undefined) seen.push(percent);
      return group.Status === "available";
    },
    { timeoutMs: 120_000, intervalMs: 20, description: `${id} to finish resharding` },
  );
  return seen;
}

function slotRanges(slots: string): number[][] {
  return slots.split(",").map((range) => range.split("-").map(Number));
}

function slotCount(slots: string): number {
  return slotRanges(slots).reduce((sum, [start, end = start]) => sum + end - start + 1, 0);
}

/** Each key is stored on the primary of the node group whose Slots, as DescribeReplicationGroups reports them, hold its slot. */
async function expectKeysWhereTheirSlotsAre(keys: string[], id: string): Promise<void> {
  const group = await describeGroup(env.client, id);
  const anyPort = await cacheNodePort(env.client, group.MemberClusters![0]);
  const slots = await withRedis(anyPort, async (r) => {
    const pipeline = r.pipeline();
    for (const key of keys) pipeline.call("CLUSTER", "KEYSLOT", key);
    return ((await pipeline.exec()) ?? []).map(([, slot]) => Number(slot));
  });
  for (const ng of group.NodeGroups!) {
    const ranges = slotRanges(ng.Slots!);
    const owned = keys.filter((_, i) => ranges.some(([start, end = start]) => slots[i] >= start && slots[i] <= end));
    const primary = ng.NodeGroupMembers!.map((m) => m.CacheClusterId!);
    const ports = await Promise.all(primary.map((member) => cacheNodePort(env.client, member)));
    const primaryPort = (await Promise.all(ports.map(async (port) => ((await replicationStatus(port)).role === "master" ? port : 0)))).find((p) => p > 0)!;
    expect(await missingKeys(primaryPort, owned)).toEqual([]);
  }
}

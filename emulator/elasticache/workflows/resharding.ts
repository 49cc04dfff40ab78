import { rebalanceCluster, slotOwnership } from "@/emulator/nodes/cluster-resharding";
import { info } from "@/emulator/nodes/redis-admin";
import { clusterNodes, detachNodes, joinCluster } from "@/emulator/nodes/redis-cluster";
import { memoryFootprint } from "@/emulator/nodes/vertical-scaling";
import { nodeMaxmemoryBytes, type ElastiCacheControlPlane } from "../control-plane";
import { eventMessages } from "../state/events";
import type { NodeGroupRecord, ReplicationGroupRecord } from "../state/model";
import { forgetMember, memberCreated } from "./members";
import { pace } from "./pacing";
import { shardOf, shardsOf, type ShardMember } from "./shards";
import { spreadSlotsEvenly } from "../state/simulated-nodes";

// ModifyReplicationGroupShardConfiguration on the processes: new shards join the cluster empty and receive their
// share of the slots with the keys in them; shards being removed give all their slots (and keys) to the others
// before they leave. Progress is AWS's PendingModifiedValues.Resharding.SlotMigration.ProgressPercentage.

function reportProgress(cp: ElastiCacheControlPlane, rg: ReplicationGroupRecord, moved: number, total: number): void {
  const percent = total === 0 ? 100 : Math.round((moved / total) * 10_000) / 100;
  rg.pendingModifiedValues = { Resharding: { SlotMigration: { ProgressPercentage: percent } } };
  cp.save();
}

/** Records each node group's slots as its primary owns them now, as comma-separated ranges. */
async function recordSlots(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord): Promise<void> {
  const shards = shardsOf(cp, region, rg);
  const anyPort = shards.find((s) => s.primary?.running)?.primary?.node.port;
  if (anyPort === undefined) return;
  const owners = slotOwnership(await clusterNodes(anyPort));
  for (const shard of shards) {
    const slots = owners.find((o) => o.port === shard.primary?.node.port)?.slots ?? [];
    shard.nodeGroup.slots = toRanges(slots);
  }
}

export function toRanges(slots: number[]): string {
  const sorted = [...slots].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(sorted[i] === sorted[j] ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(",");
}

/** New node groups (records already added, members creating): started, joined, given their slots. */
export async function addShards(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, added: NodeGroupRecord[]): Promise<void> {
  const from = rg.nodeGroups.length - added.length;
  cp.emit(region, "replication-group", rg.replicationGroupId, eventMessages.reshardingStarted(from, rg.nodeGroups.length));
  reportProgress(cp, rg, 0, 1);
  await pace(cp, "nodeProvisioning");
  const existing = shardsOf(cp, region, rg).filter((s) => !added.includes(s.nodeGroup));
  const clusterPort = existing[0].primary?.node.port as number;
  for (const nodeGroup of added) {
    const members = shardOf(cp, region, nodeGroup).members;
    await Promise.all(members.map((m) => cp.startNode(region, m.cluster, m.node, { clusterEnabled: true })));
    cp.checkNotClosing();
    if (rg.simulated) continue;
    const shard = shardOf(cp, region, nodeGroup);
    await joinCluster(clusterPort, { primaryPort: shard.primary?.node.port as number, replicaPorts: shard.replicas.map((r) => r.node.port) });
  }
  if (rg.simulated) spreadSlotsEvenly(rg);
  else {
    const newPrimaries = added.map((ng) => shardOf(cp, region, ng).primary?.node.port as number);
    const oldPrimaries = existing.map((s) => s.primary?.node.port as number);
    await assertRoomForShare(oldPrimaries, newPrimaries, oldPrimaries.length + newPrimaries.length, nodeMaxmemoryBytes(rg.cacheNodeType));
    await rebalanceCluster(clusterPort, { onProgress: (moved, total) => reportProgress(cp, rg, moved, total) });
    cp.checkNotClosing();
    await recordSlots(cp, region, rg);
  }
  for (const nodeGroup of added) for (const m of shardOf(cp, region, nodeGroup).members) memberCreated(cp, region, m.cluster);
  cp.emit(region, "replication-group", rg.replicationGroupId, eventMessages.reshardingFinished(from, rg.nodeGroups.length));
  cp.save();
}

/**
 * After a failed addition: new node groups that own no slot yet leave the cluster, stop, and their records go. One
 * that already received slots stays (with its keys), as a reshard on AWS can end partially done.
 */
export async function undoAddedShards(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, added: NodeGroupRecord[]): Promise<void> {
  const staying = shardsOf(cp, region, rg).filter((s) => !added.includes(s.nodeGroup));
  const clusterPort = staying[0].primary?.node.port as number;
  const view = await clusterNodes(clusterPort);
  for (const nodeGroup of added) {
    const members = shardOf(cp, region, nodeGroup).members;
    const owns = view.some((n) => members.some((m) => m.node.port === n.port) && n.slots.length > 0);
    if (owns) continue;
    const joined = members.filter((m) => view.some((n) => n.port === m.node.port));
    if (joined.length > 0) await detachNodes(clusterPort, joined.map((m) => m.node.port));
    await Promise.all(members.map((m) => cp.removeNode(region, m.cluster.cacheClusterId, m.node.cacheNodeId)));
    for (const id of [...nodeGroup.memberClusterIds]) forgetMember(cp, region, nodeGroup, id);
    rg.nodeGroups = rg.nodeGroups.filter((ng) => ng !== nodeGroup);
  }
  await recordSlots(cp, region, rg);
}

/**
 * Refuses to move slots to nodes that cannot hold them: each new primary needs room for its share of the data on top
 * of what it uses empty (an empty cluster node uses about 1.6 MiB, most of cache.t4g.micro's 2 MiB here), within the
 * 75% of memory ElastiCache leaves to data by default (reserved-memory-percent 25): the migration's buffers need the rest.
 */
const USABLE_MEMORY_FRACTION = 0.75;

async function assertRoomForShare(givers: number[], receivers: number[], shareOf: number, maxmemoryBytes: number): Promise<void> {
  const datasets = await Promise.all(givers.map(async (port) => Number((await info(port, "memory")).used_memory_dataset ?? 0)));
  const share = datasets.reduce((sum, bytes) => sum + bytes, 0) / shareOf;
  for (const port of receivers) {
    const needed = (await memoryFootprint(port)) + share;
    if (needed > maxmemoryBytes * USABLE_MEMORY_FRACTION) {
      throw new Error(
        `the primary on port ${port} would need ${(needed / 2 ** 20).toFixed(2)} MiB for its share of the data, ` +
          `but its node type leaves ${((maxmemoryBytes * USABLE_MEMORY_FRACTION) / 2 ** 20).toFixed(2)} MiB to data; choose a larger node type first`,
      );
    }
  }
}

/** Node groups to remove: their slots and keys move to the others, then their nodes leave and stop. */
export async function removeShards(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, leaving: NodeGroupRecord[]): Promise<void> {
  const from = rg.nodeGroups.length;
  cp.emit(region, "replication-group", rg.replicationGroupId, eventMessages.reshardingStarted(from, from - leaving.length));
  reportProgress(cp, rg, 0, 1);
  const departing = leaving.flatMap((ng) => shardOf(cp, region, ng).members);
  if (!rg.simulated) await migrateSlotsAway(cp, region, rg, leaving, departing);
  await Promise.all(departing.map((m) => cp.removeNode(region, m.cluster.cacheClusterId, m.node.cacheNodeId)));
  cp.checkNotClosing();
  for (const nodeGroup of leaving) {
    for (const id of [...nodeGroup.memberClusterIds]) forgetMember(cp, region, nodeGroup, id);
  }
  rg.nodeGroups = rg.nodeGroups.filter((ng) => !leaving.includes(ng));
  if (rg.simulated) spreadSlotsEvenly(rg);
  else await recordSlots(cp, region, rg);
  cp.emit(region, "replication-group", rg.replicationGroupId, eventMessages.reshardingFinished(from, rg.nodeGroups.length));
  cp.save();
}

/** The leaving shards' slots and keys move to the others, then their nodes leave the cluster. */
async function migrateSlotsAway(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, leaving: NodeGroupRecord[], departing: ShardMember[]): Promise<void> {
  const staying = shardsOf(cp, region, rg).filter((s) => !leaving.includes(s.nodeGroup));
  const clusterPort = staying[0].primary?.node.port as number;
  const receivers = staying.map((s) => s.primary?.node.port as number);
  const givers = leaving.map((ng) => shardOf(cp, region, ng).primary?.node.port as number);
  await assertRoomForShare(givers, receivers, receivers.length, nodeMaxmemoryBytes(rg.cacheNodeType));
  await rebalanceCluster(clusterPort, {
    primaryPorts: receivers,
    onProgress: (moved, total) => reportProgress(cp, rg, moved, total),
  });
  cp.checkNotClosing();
  await detachNodes(clusterPort, departing.map((m) => m.node.port));
}

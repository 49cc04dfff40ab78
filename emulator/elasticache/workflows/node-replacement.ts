import { attachFreshNodes, clusterIdsOfPorts, forgetNodes, parseSlotRanges, type FreshClusterNode } from "@/emulator/nodes/cluster-node-replacement";
import { replicaOf, replicationStatus } from "@/emulator/nodes/redis-admin";
import { clusterMyId, joinCluster, waitForClusterHealthy } from "@/emulator/nodes/redis-cluster";
import type { ElastiCacheControlPlane } from "../control-plane";
import { eventMessages } from "../state/events";
import type { ReplicationGroupRecord } from "../state/model";
import { pace } from "./pacing";
import { shardsOf, type ShardMember } from "./shards";

// Node replacement, as AWS does it after a failure or a failover: the node gets a new, empty process (same endpoint
// when its port is still free) that syncs from its shard's primary. A member whose shard has no primary left to sync
// from comes back as an empty primary — the data is lost, as on AWS without a replica to fail over to.

/**
 * Replaces `members` of `rg` (dead, or alive and to be replaced, like a test failover's old primary) with the events
 * AWS shows: "Recovering cache nodes 0001", the paced replacement, the sync, "Finished recovery for cache nodes 0001".
 */
export async function recoverMembers(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, members: ShardMember[]): Promise<void> {
  if (members.length === 0) return;
  for (const m of members) cp.emit(region, "cache-cluster", m.cluster.cacheClusterId, eventMessages.recoveringCacheNodes([m.node.cacheNodeId]));
  cp.save();
  await pace(cp, "nodeReplacement");
  await replaceMembers(cp, region, rg, members);
  for (const m of members) cp.emit(region, "cache-cluster", m.cluster.cacheClusterId, eventMessages.finishedRecovery([m.node.cacheNodeId]));
  cp.save();
}

async function replaceMembers(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, members: ShardMember[]): Promise<void> {
  if (rg.simulated) {
    await Promise.all(members.map((m) => cp.startNode(region, m.cluster, m.node, { clusterEnabled: rg.clusterEnabled })));
    return;
  }
  const replaced = new Set(members.map((m) => m.key));
  const survivors = shardsOf(cp, region, rg)
    .flatMap((s) => s.members)
    .filter((m) => m.running && !replaced.has(m.key));
  if (rg.clusterEnabled && survivors.length > 0) {
    // Every dead member is forgotten, including those that cannot be replaced yet (their zone has no power): they
    // come back as fresh identities either way, and a dead identity left in the tables keeps the cluster from settling.
    const gone = shardsOf(cp, region, rg).flatMap((s) => s.members).filter((m) => !m.running || replaced.has(m.key));
    const ids = await clusterIdsOfPorts(survivors[0].node.port, gone.map((m) => m.node.port));
    await forgetNodes(survivors.map((m) => m.node.port), ids);
  }
  await Promise.all(members.filter((m) => m.running).map((m) => cp.stopNode(m.key)));
  await Promise.all(members.map((m) => cp.startNode(region, m.cluster, m.node, { clusterEnabled: rg.clusterEnabled })));
  cp.checkNotClosing();
  if (rg.clusterEnabled) await rejoinCluster(cp, region, rg, survivors, members);
  else await rejoinReplication(cp, region, rg, members);
  cp.save();
}

/** Who the replaced members follow once they are back: their shard's primary, or nobody when they are that primary. */
function placeInShard(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, member: ShardMember) {
  const shard = shardsOf(cp, region, rg).find((s) => s.members.some((m) => m.key === member.key));
  const primary = shard?.primary;
  return { shard, primary: primary && primary.key !== member.key ? primary : undefined };
}

async function rejoinReplication(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, members: ShardMember[]): Promise<void> {
  const replaced = new Set(members.map((m) => m.key));
  const primariesFirst = [...members].sort((a, b) => Number(a.node.role === "replica") - Number(b.node.role === "replica"));
  for (const member of primariesFirst) {
    const { shard, primary } = placeInShard(cp, region, rg, member);
    if (primary) {
      await replicaOf(member.node.port, primary.node.port);
      await replicaInSync(cp, member, primary.node.port);
      continue;
    }
    // An empty primary is back (on a new port if its old one was taken): the surviving replicas follow it there.
    for (const replica of shard?.replicas.filter((r) => r.running && !replaced.has(r.key)) ?? []) {
      await replicaOf(replica.node.port, member.node.port);
      await replicaInSync(cp, replica, member.node.port);
    }
  }
}

export async function replicaInSync(cp: ElastiCacheControlPlane, replica: ShardMember, primaryPort: number): Promise<void> {
  await cp.waitUntil(async () => {
    const status = await replicationStatus(replica.node.port);
    return status.role === "slave" && status.masterPort === primaryPort && status.masterLinkStatus === "up" && !status.masterSyncInProgress;
  }, `${replica.cluster.cacheClusterId} on port ${replica.node.port} to sync from port ${primaryPort}`, 60_000);
}

async function rejoinCluster(
  cp: ElastiCacheControlPlane,
  region: string,
  rg: ReplicationGroupRecord,
  survivors: ShardMember[],
  members: ShardMember[],
): Promise<void> {
  const fresh: FreshClusterNode[] = members.map((member) => {
    const { shard, primary } = placeInShard(cp, region, rg, member);
    return primary
      ? { port: member.node.port, primaryPort: primary.node.port }
      : { port: member.node.port, slots: parseSlotRanges(shard?.nodeGroup.slots ?? "") };
  });
  // Slot owners first, so the replicas that follow them find them already owning their shard.
  fresh.sort((a, b) => Number(a.slots === undefined) - Number(b.slots === undefined));
  await attachFreshNodes(survivors[0]?.node.port ?? fresh[0].port, fresh);
  const everyone = shardsOf(cp, region, rg).flatMap((s) => s.members);
  if (everyone.every((m) => m.running)) {
    await waitForClusterHealthy({
      primaryPorts: everyone.filter((m) => m.node.role === "primary").map((m) => m.node.port),
      replicaPorts: everyone.filter((m) => m.node.role === "replica").map((m) => m.node.port),
    }, { timeoutMs: 60_000 });
  }
}

/**
 * Gives a running member a fresh process (with its cluster record's node type: a vertical scale sets the new one
 * first) that replicates from `primaryPort`, which may be a process outside the records. `otherLivePorts` are such
 * processes in a cluster, which must forget the old identity too. Resolves once the new process is in sync.
 */
export async function restartAsReplica(
  cp: ElastiCacheControlPlane,
  region: string,
  rg: ReplicationGroupRecord,
  member: ShardMember,
  primaryPort: number,
  otherLivePorts: number[] = [],
): Promise<void> {
  const oldId = rg.clusterEnabled ? await clusterMyId(member.node.port) : undefined;
  await cp.stopNode(member.key);
  if (oldId) {
    const live = shardsOf(cp, region, rg).flatMap((s) => s.members).filter((m) => m.running && m.key !== member.key);
    await forgetNodes([...live.map((m) => m.node.port), ...otherLivePorts], [oldId]);
  }
  // Without cluster mode the new process starts as a replica: a client still holding this node's address (the old
  // primary's, right after a failover) must get READONLY, never an empty primary whose writes the sync then wipes.
  await cp.startNode(region, member.cluster, member.node, { clusterEnabled: rg.clusterEnabled, replicaOfPort: rg.clusterEnabled ? undefined : primaryPort });
  cp.checkNotClosing();
  if (rg.clusterEnabled) await joinCluster(primaryPort, { primaryPort, replicaPorts: [member.node.port] });
  await replicaInSync(cp, member, primaryPort);
  cp.save();
}

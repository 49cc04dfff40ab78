import { clusterMyId, clusterNodes, detachNodes } from "@/emulator/nodes/redis-cluster";
import { failoverClusterShard, failoverPrimary } from "@/emulator/nodes/shard-failover";
import { syncReplacement } from "@/emulator/nodes/vertical-scaling";
import { waitFor } from "@/emulator/nodes/wait-for";
import { nodeMaxmemoryBytes, type ElastiCacheControlPlane } from "../control-plane";
import { nodeSecurity, settingsOf } from "../state/cache-settings";
import type { ReplicationGroupRecord } from "../state/model";
import { restartAsReplica } from "./node-replacement";
import { followNewPrimary } from "./shard-failover";
import { shardsOf, type Shard } from "./shards";

// A node-type change, shard by shard, without losing data or the primary's identity: a stand-in node of the new
// type syncs from the primary (and proves the data fits it), each replica gets a new process of the new type, the
// primary role switches over to the stand-in (a coordinated failover: writes pause, nothing acknowledged is lost),
// the old primary gets its new process and syncs, the role switches back, and the stand-in is stopped. Endpoints and
// roles end as they began; every node runs with the new type's maxmemory.

export async function scaleNodeType(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, toType: string): Promise<void> {
  if (rg.simulated) {
    for (const member of shardsOf(cp, region, rg).flatMap((s) => s.members)) member.cluster.cacheNodeType = toType;
    return;
  }
  for (const shard of shardsOf(cp, region, rg)) await scaleShard(cp, region, rg, shard, toType);
}

/** One shard's node-type change; an engine upgrade uses it with the same type for a shard without replicas. */
export async function scaleShard(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, shard: Shard, toType: string): Promise<void> {
  const primary = shard.primary;
  if (!primary) throw new Error(`node group ${shard.nodeGroup.nodeGroupId} has no primary`);
  const standIn = await cp.startAuxiliaryNode(`${region}/scaling/${primary.cluster.cacheClusterId}`, {
    maxmemoryBytes: nodeMaxmemoryBytes(toType),
    clusterEnabled: rg.clusterEnabled,
    security: nodeSecurity(settingsOf(rg)),
  });
  try {
    await syncReplacement({ primaryPort: primary.node.port, newPort: standIn.port, clusterMode: rg.clusterEnabled });
    for (const replica of shard.replicas) {
      replica.cluster.cacheNodeType = toType;
      await restartAsReplica(cp, region, rg, replica, primary.node.port, [standIn.port]);
    }
    const replicaPorts = shard.replicas.map((r) => r.node.port);
    await switchPrimary(rg, primary.node.port, standIn.port, replicaPorts);
    primary.cluster.cacheNodeType = toType;
    await restartAsReplica(cp, region, rg, primary, standIn.port, [standIn.port]);
    await switchPrimary(rg, standIn.port, primary.node.port, replicaPorts);
    if (rg.clusterEnabled) await detachStandIn(primary.node.port, standIn.port);
  } finally {
    await cp.removeAuxiliaryNode(standIn.key);
  }
}

/** Once the primary's view no longer has anyone following the stand-in (gossip lags the switch back), it leaves. */
async function detachStandIn(primaryPort: number, standInPort: number): Promise<void> {
  const standInId = await clusterMyId(standInPort);
  await waitFor(async () => !(await clusterNodes(primaryPort)).some((n) => n.masterId === standInId), {
    timeoutMs: 20_000,
    intervalMs: 100,
    description: `the cluster to stop following the stand-in on port ${standInPort}`,
  });
  await detachNodes(primaryPort, [standInPort]);
}

/** A coordinated failover from `fromPort` to `toPort`; the old primary and the `others` replicas end following `toPort`. */
async function switchPrimary(rg: ReplicationGroupRecord, fromPort: number, toPort: number, others: number[]): Promise<void> {
  if (rg.clusterEnabled) {
    await failoverClusterShard({ replicaPorts: [toPort], promotePort: toPort, primaryAlive: true });
    await followNewPrimary(toPort, [fromPort, ...others]);
  } else {
    await failoverPrimary({ primaryPort: fromPort, replicaPorts: [toPort, ...others], promotePort: toPort });
  }
}

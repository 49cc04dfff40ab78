import type { ElastiCacheControlPlane } from "../control-plane";
import type { EngineVersion } from "../state/engines";
import { eventMessages } from "../state/events";
import type { ReplicationGroupRecord } from "../state/model";
import { restartAsReplica } from "./node-replacement";
import { pace } from "./pacing";
import { promoteReplica } from "./shard-failover";
import { shardsOf, type Shard, type ShardMember } from "./shards";
import { scaleShard } from "./vertical-scaling";

// An engine upgrade (a newer Redis OSS, or Valkey) as ElastiCache performs it, shard by shard: each replica gets a new
// process that syncs from the primary, then one coordinated failover promotes an upgraded replica (writes pause,
// nothing acknowledged is lost), then the old primary gets its new process as a replica. A shard without replicas
// goes through a stand-in node (as a node-type change does) so its data survives. Each member reports the new engine
// once its node is replaced; the group reports it at the end. The binary stays the local redis-server: only the
// reported engine, version and parameter group change (docs/emulator.md).

export interface EngineUpgrade {
  version: EngineVersion;
  parameterGroup: string;
}

export async function upgradeEngine(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, upgrade: EngineUpgrade): Promise<void> {
  await pace(cp, "nodeProvisioning");
  for (const shard of shardsOf(cp, region, rg)) {
    if (rg.simulated) shard.members.forEach((m) => upgraded(cp, region, m, upgrade));
    else await upgradeShard(cp, region, rg, shard, upgrade);
  }
  rg.engine = upgrade.version.engine as ReplicationGroupRecord["engine"];
  rg.engineVersion = upgrade.version.version;
  rg.cacheParameterGroupName = upgrade.parameterGroup;
}

async function upgradeShard(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, shard: Shard, upgrade: EngineUpgrade): Promise<void> {
  const primary = shard.primary;
  if (!primary) throw new Error(`node group ${shard.nodeGroup.nodeGroupId} has no primary`);
  if (shard.replicas.length === 0) {
    await scaleShard(cp, region, rg, shard, primary.cluster.cacheNodeType);
    upgraded(cp, region, primary, upgrade);
    return;
  }
  for (const replica of shard.replicas) {
    await restartAsReplica(cp, region, rg, replica, primary.node.port);
    upgraded(cp, region, replica, upgrade);
  }
  const { to } = await promoteReplica(cp, region, rg, shard);
  await restartAsReplica(cp, region, rg, primary, to.node.port);
  upgraded(cp, region, primary, upgrade);
}

function upgraded(cp: ElastiCacheControlPlane, region: string, member: ShardMember, upgrade: EngineUpgrade): void {
  member.cluster.engine = upgrade.version.engine;
  member.cluster.engineVersion = upgrade.version.version;
  member.cluster.cacheParameterGroupName = upgrade.parameterGroup;
  member.cluster.pendingModifiedValues = {};
  cp.emit(region, "cache-cluster", member.cluster.cacheClusterId, eventMessages.cacheNodeUpgraded(member.node.cacheNodeId, upgrade.version.engine, upgrade.version.version));
  cp.save();
}

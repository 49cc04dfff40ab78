import type { ElastiCacheControlPlane } from "../control-plane";
import type { CacheSettings } from "../state/cache-settings";
import type { CacheClusterRecord, ReplicationGroupRecord } from "../state/model";
import { shardsOf } from "./shards";

// Settings changed by ModifyReplicationGroup / ModifyCacheCluster take effect at once, as AWS applies them without a
// maintenance window: the group and each member record them (members report their group's settings).

export async function applyGroupSettings(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, settings: CacheSettings): Promise<void> {
  const members = shardsOf(cp, region, rg).flatMap((s) => s.members.map((m) => m.cluster));
  rg.settings = settings;
  for (const cluster of members) cluster.settings = structuredClone(settings);
  cp.save();
}

export async function applyClusterSettings(cp: ElastiCacheControlPlane, cluster: CacheClusterRecord, settings: CacheSettings): Promise<void> {
  cluster.settings = settings;
  cp.save();
}

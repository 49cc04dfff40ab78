import { changePasswords } from "@/emulator/nodes/redis-admin";
import type { ElastiCacheControlPlane } from "../control-plane";
import { settingsOf, type CacheSettings } from "../state/cache-settings";
import type { CacheClusterRecord, ReplicationGroupRecord } from "../state/model";
import { shardsOf } from "./shards";

// Settings changed by ModifyReplicationGroup / ModifyCacheCluster take effect at once, as AWS applies them without a
// maintenance window: the group and each member record them (members report their group's settings), and a new AUTH
// token reaches every running node as its password before the call answers. A node that is down gets it when it
// starts again, from its record.

export async function applyGroupSettings(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, settings: CacheSettings): Promise<void> {
  const members = shardsOf(cp, region, rg).flatMap((s) => s.members);
  if (tokensChange(settingsOf(rg), settings)) {
    const running = members.filter((m) => m.running && !m.cluster.simulated);
    await Promise.all(running.map((m) => changePasswords(m.node.port, settings.authTokens)));
  }
  rg.settings = settings;
  for (const { cluster } of members) cluster.settings = structuredClone(settings);
  cp.save();
}

export async function applyClusterSettings(cp: ElastiCacheControlPlane, region: string, cluster: CacheClusterRecord, settings: CacheSettings): Promise<void> {
  if (tokensChange(settingsOf(cluster), settings) && !cluster.simulated) {
    const running = cluster.nodes.filter((node) => !node.exitedAt && cp.isRunning(cp.nodeKey(region, cluster.cacheClusterId, node.cacheNodeId)));
    await Promise.all(running.map((node) => changePasswords(node.port, settings.authTokens)));
  }
  cluster.settings = settings;
  cp.save();
}

function tokensChange(before: CacheSettings, after: CacheSettings): boolean {
  return before.authTokens.join("\n") !== after.authTokens.join("\n");
}

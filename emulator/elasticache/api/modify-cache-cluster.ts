import { z } from "zod";
import { parseInput, qBool } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { settingsOf } from "../state/cache-settings";
import { applyClusterSettings } from "../workflows/settings-change";
import { applyAuthTokenChange, modifiableSettingsInput, settingsForModify } from "./cache-settings-input";
import { fault, invalidCombination } from "./errors";
import { resourceId } from "./input-schemas";
import { requireCacheCluster } from "./lookups";
import { renderCacheCluster } from "./render";
import { refuseUnsupported } from "./shared";

const modifySchema = z.object({
  CacheClusterId: resourceId("CacheClusterId", 50),
  ApplyImmediately: qBool.optional(),
  ...modifiableSettingsInput,
});

/** Parameters of ModifyCacheCluster for changes the emulator does not model: refused by name. */
const UNSUPPORTED = [
  "NumCacheNodes",
  "CacheNodeIdsToRemove",
  "AZMode",
  "NewAvailabilityZones",
  "CacheSecurityGroupNames",
  "PreferredMaintenanceWindow",
  "NotificationTopicArn",
  "CacheParameterGroupName",
  "NotificationTopicStatus",
  "Engine",
  "EngineVersion",
  "CacheNodeType",
  "IpDiscovery",
  "ScaleConfig",
];

/** Memcached clusters have no backups, AUTH or log delivery on AWS. */
const NOT_FOR_MEMCACHED = ["SnapshotRetentionLimit", "SnapshotWindow", "AuthToken", "AuthTokenUpdateStrategy", "LogDeliveryConfigurations"];

/** ModifyCacheCluster for a cluster outside any replication group: backups, security groups, logs, upgrades, AUTH. */
export function modifyCacheCluster(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(modifySchema, raw);
    refuseUnsupported(raw, UNSUPPORTED);
    const cluster = requireCacheCluster(cp.regionState(ctx.region), input.CacheClusterId);
    if (cluster.replicationGroupId) {
      throw invalidCombination(`Cache cluster ${cluster.cacheClusterId} belongs to replication group ${cluster.replicationGroupId}; modify the group with ModifyReplicationGroup`);
    }
    if (cluster.engine === "memcached") {
      const given = NOT_FOR_MEMCACHED.find((name) => raw[name] !== undefined);
      if (given) throw invalidCombination(`${given} is not valid for the memcached engine`);
    }
    if (cluster.status !== "available") {
      throw fault("InvalidCacheClusterStateFault", `Cache cluster ${cluster.cacheClusterId} has status ${cluster.status}; it can be modified only when it is available.`);
    }
    const settings = settingsForModify(settingsOf(cluster), input);
    applyAuthTokenChange(settings, input.AuthToken, input.AuthTokenUpdateStrategy, ctx.receivedAt);
    if (JSON.stringify(settings) === JSON.stringify(settingsOf(cluster))) throw invalidCombination("No modifications were requested");
    await applyClusterSettings(cp, ctx.region, cluster, settings);
    return { CacheCluster: renderCacheCluster(cp.accountId, ctx.region, cluster, false) };
  };
}

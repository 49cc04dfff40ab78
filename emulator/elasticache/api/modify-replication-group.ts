import { z } from "zod";
import { memoryFootprint } from "@/emulator/nodes/vertical-scaling";
import { parseInput, qBool } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import { nodeMaxmemoryBytes, type ElastiCacheControlPlane } from "../control-plane";
import { eventMessages } from "../state/events";
import { settingsOf } from "../state/cache-settings";
import type { ReplicationGroupRecord } from "../state/model";
import { allowedModifications } from "../state/node-types";
import { startGroupChange } from "../workflows/group-change";
import { applyGroupSettings } from "../workflows/settings-change";
import { pace } from "../workflows/pacing";
import { shardsOf } from "../workflows/shards";
import { scaleNodeType } from "../workflows/vertical-scaling";
import { upgradeEngine } from "../workflows/engine-upgrade";
import { engineTarget } from "./engine-upgrade-input";
import { applyAuthTokenChange, modifiableSettingsInput, settingsForModify } from "./cache-settings-input";
import { invalidCombination, invalidValue } from "./errors";
import { resourceId } from "./input-schemas";
import { requireAvailableGroup, requireRunningMembers, requireZonesPowered } from "./lookups";
import { renderReplicationGroup } from "./render";
import { refuseUnsupported, requireNodeType } from "./shared";

const modifySchema = z.object({
  ReplicationGroupId: resourceId("ReplicationGroupId", 40),
  ReplicationGroupDescription: z.string().optional(),
  AutomaticFailoverEnabled: qBool.optional(),
  MultiAZEnabled: qBool.optional(),
  CacheNodeType: z.string().optional(),
  ApplyImmediately: qBool.optional(),
  Engine: z.string().optional(),
  EngineVersion: z.string().optional(),
  CacheParameterGroupName: z.string().optional(),
  ...modifiableSettingsInput,
});

/** Parameters of ModifyReplicationGroup for features the emulator does not model: refused by name. */
const UNSUPPORTED = [
  "PrimaryClusterId",
  "SnapshottingClusterId",
  "NodeGroupId",
  "CacheSecurityGroupNames",
  "PreferredMaintenanceWindow",
  "NotificationTopicArn",
  "NotificationTopicStatus",
  "UserGroupIdsToAdd",
  "UserGroupIdsToRemove",
  "RemoveUserGroups",
  "IpDiscovery",
  "TransitEncryptionEnabled",
  "TransitEncryptionMode",
  "ClusterMode",
];

type ModifyInput = z.output<typeof modifySchema>;

/** The failover settings after the change, checked against AWS's rules (the same as at creation). */
function failoverSettings(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, input: ModifyInput) {
  const automaticFailover = input.AutomaticFailoverEnabled ?? rg.automaticFailover === "enabled";
  const multiAZ = input.MultiAZEnabled ?? rg.multiAZ === "enabled";
  if (rg.clusterEnabled && !automaticFailover) {
    throw invalidCombination("Automatic failover cannot be turned off for a replication group with cluster mode enabled");
  }
  const everyShardHasReplica = shardsOf(cp, region, rg).every((s) => s.replicas.length > 0);
  if (!rg.clusterEnabled && automaticFailover && !everyShardHasReplica) {
    throw invalidCombination("Automatic failover needs at least one replica; add one with IncreaseReplicaCount first");
  }
  if (multiAZ && !automaticFailover) throw invalidCombination("Multi-AZ requires automatic failover to be enabled");
  if (multiAZ && !everyShardHasReplica) throw invalidCombination("Multi-AZ needs at least one replica in every node group");
  return { automaticFailover, multiAZ };
}

/** The node type to move to, refused unless ListAllowedNodeTypeModifications lists it and the data fits it. */
async function checkNodeType(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, input: ModifyInput): Promise<string | undefined> {
  if (input.CacheNodeType === undefined) return undefined;
  const target = requireNodeType(input.CacheNodeType);
  if (target === rg.cacheNodeType) throw invalidValue(`Replication group ${rg.replicationGroupId} already uses cache node type ${target}`);
  const allowed = allowedModifications(rg.cacheNodeType);
  if (!allowed.scaleUp.includes(target) && !allowed.scaleDown.includes(target)) {
    throw invalidCombination(`Cannot modify ${rg.replicationGroupId} from ${rg.cacheNodeType} to ${target}; see ListAllowedNodeTypeModifications`);
  }
  if (input.ApplyImmediately !== true) {
    throw invalidCombination("The emulator has no maintenance window: set ApplyImmediately to true to change CacheNodeType");
  }
  const shards = shardsOf(cp, region, rg);
  requireRunningMembers(shards);
  requireZonesPowered(cp, region, shards.flatMap((s) => s.members.map((m) => m.node.availabilityZone)), target);
  const maxmemory = nodeMaxmemoryBytes(target);
  for (const shard of shards) {
    if (shard.primary && (await memoryFootprint(shard.primary.node.port)) > maxmemory) {
      throw invalidCombination(
        `Failed to scale down to cache node type ${target} because the node has insufficient memory. ` +
          "Please select a different node type or reduce current memory usage and retry.",
      );
    }
  }
  return target;
}

/**
 * ModifyReplicationGroup: description, backups, security groups, log delivery, minor upgrades, the AUTH token and the
 * parameter group (applied at once, on every member), automatic failover, Multi-AZ, a real node-type change and an
 * engine upgrade (a rolling replacement of the nodes, see ../workflows/engine-upgrade.ts).
 */
export function modifyReplicationGroup(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(modifySchema, raw);
    refuseUnsupported(raw, UNSUPPORTED);
    const state = cp.regionState(ctx.region);
    const rg = requireAvailableGroup(state, input.ReplicationGroupId, "modified");
    const settings = failoverSettings(cp, ctx.region, rg, input);
    const engine = engineTarget(state, rg, input);
    if (engine?.replacesNodes && input.CacheNodeType !== undefined) {
      throw invalidCombination("Change the engine version and the cache node type in separate requests");
    }
    if (engine?.replacesNodes && !rg.simulated) requireRunningMembers(shardsOf(cp, ctx.region, rg));
    const upgrade = engine?.replacesNodes ? engine : undefined;
    const targetType = await checkNodeType(cp, ctx.region, rg, input);
    const failoverChanges = settings.automaticFailover !== (rg.automaticFailover === "enabled");
    const multiAZChanges = settings.multiAZ !== (rg.multiAZ === "enabled");
    const cacheSettings = settingsForModify(settingsOf(rg), input);
    applyAuthTokenChange(cacheSettings, input.AuthToken, input.AuthTokenUpdateStrategy, ctx.receivedAt);
    const settingsChange = JSON.stringify(cacheSettings) !== JSON.stringify(settingsOf(rg));
    const parameterGroupOnly = engine && !engine.replacesNodes ? engine.parameterGroup : undefined;
    if (input.ReplicationGroupDescription === undefined && !targetType && !upgrade && !parameterGroupOnly && !failoverChanges && !multiAZChanges && !settingsChange) {
      throw invalidCombination("No modifications were requested");
    }
    // The memory check above waited on the nodes: another change may have started meanwhile.
    requireAvailableGroup(state, rg.replicationGroupId, "modified");
    if (input.ReplicationGroupDescription !== undefined) rg.description = input.ReplicationGroupDescription;
    if (settingsChange) await applyGroupSettings(cp, ctx.region, rg, cacheSettings);
    if (parameterGroupOnly) setParameterGroup(cp, ctx.region, rg, parameterGroupOnly);
    if (!targetType && !upgrade && !failoverChanges && !multiAZChanges) {
      cp.save();
      return { ReplicationGroup: renderReplicationGroup(cp.accountId, ctx.region, state, rg) };
    }

    const fromType = rg.cacheNodeType;
    if (failoverChanges) rg.automaticFailover = settings.automaticFailover ? "enabling" : "disabling";
    if (targetType) {
      for (const cluster of shardsOf(cp, ctx.region, rg).flatMap((s) => s.members.map((m) => m.cluster))) {
        cluster.pendingModifiedValues = { CacheNodeType: targetType };
      }
      cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.nodeTypeChangeStarted(fromType, targetType), ctx.receivedAt);
    }
    const fromEngine = `${rg.engine} ${rg.engineVersion}`;
    const toEngine = upgrade && `${upgrade.version.engine} ${upgrade.version.version}`;
    if (upgrade && toEngine) {
      for (const cluster of shardsOf(cp, ctx.region, rg).flatMap((s) => s.members.map((m) => m.cluster))) {
        cluster.pendingModifiedValues = { EngineVersion: upgrade.version.version };
      }
      cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.engineChangeStarted(fromEngine, toEngine), ctx.receivedAt);
    }
    startGroupChange(cp, ctx.region, rg, {
      description: `modifying replication group ${rg.replicationGroupId} in ${ctx.region}`,
      work: async () => {
        if (failoverChanges || multiAZChanges) {
          await pace(cp, "failoverSettingChange");
          rg.automaticFailover = settings.automaticFailover ? "enabled" : "disabled";
          rg.multiAZ = settings.multiAZ ? "enabled" : "disabled";
          if (failoverChanges) cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.automaticFailoverChanged(rg.automaticFailover));
          if (multiAZChanges) cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.multiAZChanged(rg.multiAZ));
          cp.save();
        }
        if (targetType) {
          await pace(cp, "nodeProvisioning");
          await scaleNodeType(cp, ctx.region, rg, targetType);
          rg.cacheNodeType = targetType;
          cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.nodeTypeChangeFinished(fromType, targetType));
        }
        if (upgrade && toEngine) {
          await upgradeEngine(cp, ctx.region, rg, { version: upgrade.version, parameterGroup: upgrade.parameterGroup });
          cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.engineChangeFinished(fromEngine, toEngine));
        }
      },
      failed: () => {
        if (targetType) {
          for (const cluster of shardsOf(cp, ctx.region, rg).flatMap((s) => s.members.map((m) => m.cluster))) cluster.cacheNodeType = rg.cacheNodeType;
          cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.nodeTypeChangeFailed(targetType));
        }
        if (upgrade && toEngine) {
          // Members replaced before the failure keep the binary they had anyway: they report the group's engine again.
          for (const cluster of shardsOf(cp, ctx.region, rg).flatMap((s) => s.members.map((m) => m.cluster))) {
            cluster.engine = rg.engine;
            cluster.engineVersion = rg.engineVersion;
            cluster.cacheParameterGroupName = rg.cacheParameterGroupName;
          }
          cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.engineChangeFailed(toEngine));
        }
      },
    });
    return { ReplicationGroup: renderReplicationGroup(cp.accountId, ctx.region, state, rg) };
  };
}

/** A parameter group of the same family takes effect at once on the group and every member. */
function setParameterGroup(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, name: string): void {
  rg.cacheParameterGroupName = name;
  for (const cluster of shardsOf(cp, region, rg).flatMap((s) => s.members.map((m) => m.cluster))) cluster.cacheParameterGroupName = name;
}

import { z } from "zod";
import { parseInput, qBool, qInt, qList } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { defaultParameterGroup, findEngineVersion } from "../state/engines";
import { isClusterModeGroup } from "../state/parameter-groups";
import { requireClusterModeMatch, requireParameterGroup } from "./parameter-group-check";
import type { CacheClusterRecord, ReplicationGroupRecord } from "../state/model";
import { setTags } from "../state/tags";
import { launch, replicationGroupLifecycle } from "../workflows/lifecycle";
import { refuseNonIpv4, settingsForCreate, settingsInput } from "./cache-settings-input";
import { fault, invalidCombination, invalidValue } from "./errors";
import { resourceId, tagList } from "./input-schemas";
import { checkNodeQuota, mergeTags } from "./lookups";
import { renderReplicationGroup } from "./render";
import { refuseUnsupported, requireNodeType } from "./shared";
import { planClusterModeDisabled, planClusterModeEnabled, wantsClusterMode, type PlannedShard } from "./topology";

const createSchema = z.object({
  ReplicationGroupId: resourceId("ReplicationGroupId", 40),
  ReplicationGroupDescription: z.string(),
  Engine: z.string().optional(),
  EngineVersion: z.string().optional(),
  CacheNodeType: z.string().optional(),
  CacheParameterGroupName: z.string().optional(),
  ClusterMode: z.enum(["enabled", "disabled", "compatible"]).optional(),
  NumCacheClusters: qInt.optional(),
  PreferredCacheClusterAZs: qList(z.string()).optional(),
  NumNodeGroups: qInt.optional(),
  ReplicasPerNodeGroup: qInt.optional(),
  NodeGroupConfiguration: qList(
    z.object({
      NodeGroupId: z.string().optional(),
      Slots: z.string().optional(),
      ReplicaCount: qInt.optional(),
      PrimaryAvailabilityZone: z.string().optional(),
      ReplicaAvailabilityZones: qList(z.string()).optional(),
    }),
  ).optional(),
  AutomaticFailoverEnabled: qBool.optional(),
  MultiAZEnabled: qBool.optional(),
  Tags: tagList.optional(),
  PrimaryClusterId: z.string().optional(),
  GlobalReplicationGroupId: z.string().optional(),
  SnapshotArns: qList(z.string()).optional(),
  SnapshotName: z.string().optional(),
  ServerlessCacheSnapshotName: z.string().optional(),
  ...settingsInput,
});

/** Parameters for features the emulator does not model: refused by name rather than dropped. */
const UNSUPPORTED = [
  "PrimaryClusterId",
  "GlobalReplicationGroupId",
  "SnapshotArns",
  "SnapshotName",
  "ServerlessCacheSnapshotName",
  "CacheSecurityGroupNames",
  "PreferredMaintenanceWindow",
  "NotificationTopicArn",
  "KmsKeyId",
  "UserGroupIds",
  "DataTieringEnabled",
  "PreferredOutpostArn",
];

/** Failover settings: cluster mode needs automatic failover; Multi-AZ needs it and a replica in every shard. */
function failoverSettings(input: z.output<typeof createSchema>, clusterEnabled: boolean, shards: PlannedShard[]) {
  const automaticFailover = input.AutomaticFailoverEnabled ?? clusterEnabled;
  if (clusterEnabled && !automaticFailover) {
    throw invalidCombination("Redis OSS with cluster mode enabled cannot be created with automatic failover turned off");
  }
  const everyShardHasReplica = shards.every((s) => s.members.length > 1);
  if (!clusterEnabled && automaticFailover && !everyShardHasReplica) {
    throw invalidCombination("Automatic failover needs at least 2 cache clusters (a primary and a replica); set NumCacheClusters to 2 or more");
  }
  const multiAZ = input.MultiAZEnabled ?? false;
  if (multiAZ && !automaticFailover) throw invalidCombination("Multi-AZ requires automatic failover to be enabled");
  if (multiAZ && !everyShardHasReplica) throw invalidCombination("Multi-AZ needs at least one replica in every node group");
  return { automaticFailover: automaticFailover ? "enabled" : "disabled", multiAZ: multiAZ ? "enabled" : "disabled" } as const;
}

export function createReplicationGroup(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(createSchema, raw);
    refuseUnsupported(raw, UNSUPPORTED);
    refuseNonIpv4(raw);
    const state = cp.regionState(ctx.region);
    const id = input.ReplicationGroupId;
    const engine = input.Engine?.toLowerCase() ?? "redis";
    if (engine !== "redis" && engine !== "valkey") {
      throw invalidValue(`Invalid Engine ${input.Engine}: replication groups run redis or valkey`);
    }
    const version = findEngineVersion(engine, input.EngineVersion);
    if (!version) throw invalidCombination(`Cannot find version ${input.EngineVersion} for ${engine}`);
    const cacheNodeType = requireNodeType(input.CacheNodeType);
    if (state.replicationGroups[id]) throw fault("ReplicationGroupAlreadyExistsFault", `Replication group ${id} already exists.`);

    const layout = {
      region: ctx.region,
      replicationGroupId: id,
      numCacheClusters: input.NumCacheClusters,
      preferredCacheClusterAZs: input.PreferredCacheClusterAZs,
      numNodeGroups: input.NumNodeGroups,
      replicasPerNodeGroup: input.ReplicasPerNodeGroup,
      nodeGroupConfiguration: input.NodeGroupConfiguration,
    };
    const namedGroup = input.CacheParameterGroupName === undefined ? undefined : requireParameterGroup(state, input.CacheParameterGroupName, version);
    const clusterEnabled = wantsClusterMode(layout, input.ClusterMode, namedGroup !== undefined && isClusterModeGroup(namedGroup));
    if (namedGroup) requireClusterModeMatch(namedGroup, clusterEnabled, `replication group ${id}`);
    if (clusterEnabled && input.ClusterMode && input.ClusterMode !== "enabled") {
      throw invalidCombination(`ClusterMode ${input.ClusterMode} cannot have more than one node group`);
    }
    const shards = clusterEnabled ? planClusterModeEnabled(layout) : [planClusterModeDisabled(layout)];
    const failover = failoverSettings(input, clusterEnabled, shards);
    const settings = settingsForCreate(state, ctx.region, input, engine);
    const members = shards.flatMap((s) => s.members);
    const taken = members.find((m) => state.cacheClusters[m.cacheClusterId]);
    if (taken) throw fault("CacheClusterAlreadyExistsFault", `Cache cluster ${taken.cacheClusterId} already exists.`);
    checkNodeQuota(state, members.length, cp.settings.nodeQuotaPerRegion);
    const tags = mergeTags(cp.arn(ctx.region, "replicationgroup", id), [], input.Tags ?? []);

    const now = ctx.receivedAt.toISOString();
    const parameterGroup = namedGroup?.cacheParameterGroupName ?? defaultParameterGroup(version, clusterEnabled);
    const rg: ReplicationGroupRecord = {
      replicationGroupId: id,
      description: input.ReplicationGroupDescription,
      status: "creating",
      engine,
      engineVersion: version.version,
      cacheNodeType,
      clusterEnabled,
      clusterMode: input.ClusterMode ?? (clusterEnabled ? "enabled" : "disabled"),
      ...failover,
      createTime: now,
      cacheParameterGroupName: parameterGroup,
      nodeGroups: shards.map((s) => ({
        nodeGroupId: s.nodeGroupId,
        status: "creating",
        slots: s.slots,
        memberClusterIds: s.members.map((m) => m.cacheClusterId),
      })),
      pendingModifiedValues: {},
      simulated: ctx.simulatedNodes,
      settings,
    };
    for (const shard of shards) {
      for (const member of shard.members) {
        const cluster: CacheClusterRecord = {
          cacheClusterId: member.cacheClusterId,
          engine,
          engineVersion: version.version,
          cacheNodeType,
          status: "creating",
          createTime: now,
          replicationGroupId: id,
          nodeGroupId: shard.nodeGroupId,
          azMode: "single-az",
          cacheParameterGroupName: parameterGroup,
          nodes: [{ cacheNodeId: "0001", status: "creating", createTime: now, availabilityZone: member.availabilityZone, port: 0, role: member.role }],
          pendingModifiedValues: {},
          simulated: ctx.simulatedNodes,
          settings: structuredClone(settings),
        };
        state.cacheClusters[cluster.cacheClusterId] = cluster;
        setTags(state, cp.arn(ctx.region, "cluster", cluster.cacheClusterId), tags);
      }
    }
    state.replicationGroups[id] = rg;
    setTags(state, cp.arn(ctx.region, "replicationgroup", id), tags);
    cp.save();
    launch(cp, replicationGroupLifecycle(cp, ctx.region, rg));
    return { ReplicationGroup: renderReplicationGroup(cp.accountId, ctx.region, state, rg) };
  };
}

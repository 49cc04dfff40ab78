import type {
  CacheCluster,
  Endpoint as SdkEndpoint,
  Event,
  ReplicationGroup,
  ServerlessCache,
} from "@aws-sdk/client-elasticache";
import type { Cache, CacheEvent, CacheNode, Endpoint, PendingChanges, Shard } from "./model";
import { memberRoles } from "./roles";

// The one place where ElastiCache's answers become CacheDeck's model. Each Describe* answer is translated on its own;
// a replication group's member details (statuses, engine versions, pending node types) come from DescribeCacheClusters
// and are joined in by withMembers.

export function toEndpoint(endpoint: SdkEndpoint | undefined): Endpoint | null {
  return endpoint?.Address ? { host: endpoint.Address, port: endpoint.Port ?? null } : null;
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** Names of the PendingModifiedValues that hold something (an empty object or list is nothing pending). */
function pendingNames(pending: object | undefined): string[] {
  return Object.entries(pending ?? {})
    .filter(([, value]) => value !== undefined && value !== null && !(typeof value === "object" && Object.keys(value).length === 0))
    .map(([name]) => name);
}

function nothingPending(): PendingChanges {
  return { names: [], primaryClusterId: null, automaticFailoverStatus: null, reshardingPercent: null, nodeTypes: [], engineVersions: [], nodeCount: null };
}

const baseCache = {
  engineVersion: null,
  nodeType: null,
  clusterMode: false,
  multiAz: null,
  automaticFailover: null,
  replicationGroupId: null,
  description: null,
  preferredZone: null,
  configurationEndpoint: null,
  endpoint: null,
  readerEndpoint: null,
  transitEncryption: false,
  authToken: false,
  settings: { snapshotRetentionLimit: null, autoMinorVersionUpgrade: null, atRestEncryption: false, subnetGroups: [] },
  shards: [],
  nodes: [],
  usageLimits: null,
  createdAt: null,
} satisfies Partial<Cache>;

/** A replication group as DescribeReplicationGroups tells it: members without status until withMembers. */
export function fromReplicationGroup(group: ReplicationGroup): Cache {
  const clusterMode = Boolean(group.ClusterEnabled) || group.ClusterMode === "enabled";
  const listed: CacheNode[] = (group.NodeGroups ?? []).flatMap((shard) => {
    const members = shard.NodeGroupMembers ?? [];
    const ids = members.map((m) => m.CacheClusterId ?? "");
    const reported = new Map(members.map((m) => [m.CacheClusterId ?? "", m.CurrentRole]));
    const roles = memberRoles(clusterMode, ids, { reported });
    return members.map((m, i) => ({
      cacheClusterId: ids[i],
      nodeId: m.CacheNodeId ?? "0001",
      shardId: shard.NodeGroupId ?? "",
      role: roles[i],
      status: null,
      zone: m.PreferredAvailabilityZone ?? null,
      endpoint: toEndpoint(m.ReadEndpoint),
    }));
  });
  // Members AWS lists before it places them in a shard (a replica being added) still count as nodes.
  const unplaced: CacheNode[] = (group.MemberClusters ?? [])
    .filter((id) => !listed.some((n) => n.cacheClusterId === id))
    .map((id) => ({ cacheClusterId: id, nodeId: "0001", shardId: null, role: "unknown", status: null, zone: null, endpoint: null }));
  const shards: Shard[] = (group.NodeGroups ?? []).map((g) => ({
    id: g.NodeGroupId ?? "",
    status: g.Status ?? "unknown",
    slots: g.Slots ?? null,
    primaryEndpoint: toEndpoint(g.PrimaryEndpoint),
    readerEndpoint: toEndpoint(g.ReaderEndpoint),
  }));
  const pending = group.PendingModifiedValues;
  const nodes = [...listed, ...unplaced];
  return {
    ...baseCache,
    kind: "replication-group",
    id: group.ReplicationGroupId ?? "",
    arn: group.ARN ?? null,
    engine: group.Engine ?? "redis",
    status: group.Status ?? "unknown",
    nodeType: group.CacheNodeType ?? null,
    clusterMode,
    multiAz: group.MultiAZ ? group.MultiAZ === "enabled" : null,
    automaticFailover: group.AutomaticFailover ?? null,
    description: group.Description ?? null,
    nodeCount: nodes.length,
    configurationEndpoint: toEndpoint(group.ConfigurationEndpoint),
    transitEncryption: Boolean(group.TransitEncryptionEnabled),
    authToken: Boolean(group.AuthTokenEnabled),
    settings: {
      snapshotRetentionLimit: group.SnapshotRetentionLimit ?? null,
      autoMinorVersionUpgrade: group.AutoMinorVersionUpgrade ?? null,
      atRestEncryption: Boolean(group.AtRestEncryptionEnabled),
      subnetGroups: [],
    },
    shards,
    nodes,
    pending: {
      ...nothingPending(),
      names: pendingNames(pending),
      primaryClusterId: pending?.PrimaryClusterId ?? null,
      automaticFailoverStatus: pending?.AutomaticFailoverStatus ?? null,
      reshardingPercent: pending?.Resharding?.SlotMigration?.ProgressPercentage ?? null,
    },
  };
}

/**
 * A node's status: its own while it is not available; otherwise, for a one-node cluster (a group member, a standalone
 * Redis), the cluster's, which says what the node's "available" does not (modifying, snapshotting).
 */
function nodeStatus(nodeStatus: string | undefined, clusterStatus: string | undefined, onlyNode: boolean): string {
  if (nodeStatus && nodeStatus !== "available") return nodeStatus;
  return (onlyNode ? clusterStatus : nodeStatus) ?? clusterStatus ?? "unknown";
}

/** A cache cluster as DescribeCacheClusters (ShowCacheNodeInfo) tells it: a standalone cache or a group's member. */
export function fromCacheCluster(cluster: CacheCluster): Cache {
  const id = cluster.CacheClusterId ?? "";
  const listed = cluster.CacheNodes ?? [];
  const pending = cluster.PendingModifiedValues;
  return {
    ...baseCache,
    kind: "cache-cluster",
    id,
    arn: cluster.ARN ?? null,
    engine: cluster.Engine ?? "redis",
    engineVersion: cluster.EngineVersion ?? null,
    status: cluster.CacheClusterStatus ?? "unknown",
    nodeType: cluster.CacheNodeType ?? null,
    replicationGroupId: cluster.ReplicationGroupId ?? null,
    nodeCount: cluster.NumCacheNodes ?? listed.length,
    preferredZone: cluster.PreferredAvailabilityZone ?? null,
    configurationEndpoint: toEndpoint(cluster.ConfigurationEndpoint),
    transitEncryption: Boolean(cluster.TransitEncryptionEnabled),
    authToken: Boolean(cluster.AuthTokenEnabled),
    settings: {
      snapshotRetentionLimit: cluster.SnapshotRetentionLimit ?? null,
      autoMinorVersionUpgrade: cluster.AutoMinorVersionUpgrade ?? null,
      atRestEncryption: Boolean(cluster.AtRestEncryptionEnabled),
      subnetGroups: cluster.CacheSubnetGroupName ? [cluster.CacheSubnetGroupName] : [],
    },
    nodes: listed.map((n) => ({
      cacheClusterId: id,
      nodeId: n.CacheNodeId ?? "0001",
      shardId: null,
      role: "node",
      status: nodeStatus(n.CacheNodeStatus, cluster.CacheClusterStatus, listed.length === 1),
      zone: n.CustomerAvailabilityZone ?? cluster.PreferredAvailabilityZone ?? null,
      endpoint: toEndpoint(n.Endpoint),
    })),
    pending: {
      ...nothingPending(),
      names: pendingNames(pending),
      nodeTypes: pending?.CacheNodeType ? [pending.CacheNodeType] : [],
      engineVersions: pending?.EngineVersion ? [pending.EngineVersion] : [],
      nodeCount: pending?.NumCacheNodes ?? null,
    },
  };
}

/**
 * The group with what DescribeCacheClusters says about its members joined in: each member's status (null for a
 * member not among `clusters`), node id, zone and endpoint where the group left them out, the engine versions and the
 * node types the members are moving to, the members' subnet groups (and their minor-upgrade flag where the group
 * did not report one).
 */
export function withMembers(group: Cache, clusters: readonly Cache[]): Cache {
  const members = clusters.filter((c) => c.replicationGroupId === group.id);
  const memberOf = (id: string) => members.find((m) => m.id === id);
  const nodes = group.nodes.length
    ? group.nodes
    : members.map((m): CacheNode => ({ cacheClusterId: m.id, nodeId: "0001", shardId: null, role: "unknown", status: null, zone: null, endpoint: null }));
  return {
    ...group,
    engineVersion: unique(members.flatMap((m) => (m.engineVersion ? [m.engineVersion] : []))).join(" / ") || group.engineVersion,
    nodeType: group.nodeType ?? members[0]?.nodeType ?? null,
    nodeCount: nodes.length,
    settings: {
      ...group.settings,
      autoMinorVersionUpgrade: group.settings.autoMinorVersionUpgrade ?? members.find((m) => m.settings.autoMinorVersionUpgrade !== null)?.settings.autoMinorVersionUpgrade ?? null,
      subnetGroups: unique(members.flatMap((m) => m.settings.subnetGroups)),
    },
    nodes: nodes.map((n) => {
      const member = memberOf(n.cacheClusterId);
      const node = member?.nodes[0];
      return {
        ...n,
        nodeId: node?.nodeId ?? n.nodeId,
        status: node?.status ?? member?.status ?? n.status,
        zone: n.zone ?? member?.preferredZone ?? null,
        endpoint: n.endpoint ?? node?.endpoint ?? null,
      };
    }),
    pending: {
      ...group.pending,
      nodeTypes: unique([...group.pending.nodeTypes, ...members.flatMap((m) => m.pending.nodeTypes)]),
      engineVersions: unique([...(group.pending.engineVersions ?? []), ...members.flatMap((m) => m.pending.engineVersions ?? [])]),
    },
  };
}

export function fromServerlessCache(cache: ServerlessCache): Cache {
  const limits = cache.CacheUsageLimits;
  return {
    ...baseCache,
    kind: "serverless",
    id: cache.ServerlessCacheName ?? "",
    arn: cache.ARN ?? null,
    engine: cache.Engine ?? "redis",
    engineVersion: cache.FullEngineVersion ?? cache.MajorEngineVersion ?? null,
    status: (cache.Status ?? "unknown").toLowerCase(),
    description: cache.Description ?? null,
    nodeCount: 0,
    endpoint: toEndpoint(cache.Endpoint),
    readerEndpoint: toEndpoint(cache.ReaderEndpoint),
    pending: nothingPending(),
    usageLimits: {
      dataStorage: limits?.DataStorage?.Maximum ? { maximum: limits.DataStorage.Maximum, unit: limits.DataStorage.Unit ?? "GB" } : null,
      ecpuPerSecond: limits?.ECPUPerSecond?.Maximum ?? null,
    },
    createdAt: cache.CreateTime ? new Date(cache.CreateTime).toISOString() : null,
  };
}

export function fromEvent(event: Event): CacheEvent {
  return {
    at: event.Date ? new Date(event.Date).getTime() : 0,
    sourceId: event.SourceIdentifier ?? "",
    sourceType: String(event.SourceType ?? ""),
    message: event.Message ?? "",
  };
}

import { arnFor } from "../state/arns";
import { settingsOf, type CacheSettings } from "../state/cache-settings";
import type { CacheClusterRecord, CacheNodeRecord, RegionState, ReplicationGroupRecord, ServerlessCacheRecord } from "../state/model";
import { simulatedHost } from "../state/simulated-nodes";

// Records → the API's shapes, with AWS's member names. Every endpoint is the node's real 127.0.0.1 address and port
// (a simulated node's is a name under .invalid);
// a node that has not listened yet (port 0) has no endpoint, as AWS leaves endpoints out while a node is created.

export const NODE_ADDRESS = "127.0.0.1";
const MAINTENANCE_WINDOW = "sun:05:00-sun:06:00";

type Shape = Record<string, unknown>;

export const endpoint = (port: number, address = NODE_ADDRESS) => (port > 0 ? { Address: address, Port: port } : undefined);

/** A node's endpoint: its local process, or for a simulated node a name that never resolves. */
function nodeEndpoint(region: string, cluster: CacheClusterRecord, node: CacheNodeRecord) {
  return cluster.simulated ? endpoint(node.port, simulatedHost(region, `${cluster.cacheClusterId}.${node.cacheNodeId}`)) : endpoint(node.port);
}

/** The settings both a replication group and a cache cluster report, with AWS's member names. */
function renderSettings(settings: CacheSettings, snapshots: boolean): Shape {
  return {
    SnapshotRetentionLimit: snapshots ? settings.snapshotRetentionLimit : undefined,
    SnapshotWindow: snapshots ? settings.snapshotWindow : undefined,
    AuthTokenEnabled: settings.authTokens.length > 0,
    AuthTokenLastModifiedDate: settings.authTokenLastModifiedDate ? new Date(settings.authTokenLastModifiedDate) : undefined,
    TransitEncryptionEnabled: settings.transitEncryptionEnabled,
    TransitEncryptionMode: settings.transitEncryptionMode,
    AtRestEncryptionEnabled: settings.atRestEncryptionEnabled,
    LogDeliveryConfigurations: settings.logDeliveryConfigurations.map((l) => ({
      LogType: l.logType,
      DestinationType: l.destinationType,
      DestinationDetails:
        l.destinationType === "cloudwatch-logs" ? { CloudWatchLogsDetails: { LogGroup: l.destination } } : { KinesisFirehoseDetails: { DeliveryStream: l.destination } },
      LogFormat: l.logFormat,
      Status: "active",
    })),
    AutoMinorVersionUpgrade: settings.autoMinorVersionUpgrade,
    NetworkType: "ipv4",
    IpDiscovery: "ipv4",
  };
}

/** AWS lists an AUTH token rotation among the pending changes until the SET that ends it. */
function pendingWithAuth(pending: Record<string, unknown>, settings: CacheSettings): Record<string, unknown> {
  return settings.authTokenRotating ? { ...pending, AuthTokenStatus: "ROTATING" } : pending;
}

export function memberNode(state: RegionState, cacheClusterId: string): { cluster: CacheClusterRecord; node: CacheNodeRecord } | undefined {
  const cluster = state.cacheClusters[cacheClusterId];
  return cluster?.nodes[0] ? { cluster, node: cluster.nodes[0] } : undefined;
}

export function renderReplicationGroup(account: string, region: string, state: RegionState, rg: ReplicationGroupRecord): Shape {
  const disabledMode = !rg.clusterEnabled;
  const nodeGroups = rg.nodeGroups.map((ng) => {
    const members = ng.memberClusterIds.flatMap((id) => memberNode(state, id) ?? []);
    const primary = members.find((m) => m.node.role === "primary");
    const reader = members.find((m) => m.node.role === "replica" && m.node.port > 0) ?? primary;
    return {
      NodeGroupId: ng.nodeGroupId,
      Status: ng.status,
      PrimaryEndpoint: disabledMode && primary ? nodeEndpoint(region, primary.cluster, primary.node) : undefined,
      ReaderEndpoint: disabledMode && reader ? nodeEndpoint(region, reader.cluster, reader.node) : undefined,
      Slots: rg.clusterEnabled ? ng.slots : undefined,
      NodeGroupMembers: members.map(({ cluster, node }) => ({
        CacheClusterId: cluster.cacheClusterId,
        CacheNodeId: node.cacheNodeId,
        ReadEndpoint: disabledMode ? nodeEndpoint(region, cluster, node) : undefined,
        PreferredAvailabilityZone: node.availabilityZone,
        CurrentRole: disabledMode ? node.role : undefined,
      })),
    };
  });
  const first = rg.nodeGroups[0] && memberNode(state, rg.nodeGroups[0].memberClusterIds[0]);
  const settings = settingsOf(rg);
  return {
    ReplicationGroupId: rg.replicationGroupId,
    Description: rg.description,
    Status: rg.status,
    PendingModifiedValues: pendingWithAuth(rg.pendingModifiedValues, settings),
    MemberClusters: rg.nodeGroups.flatMap((ng) => ng.memberClusterIds),
    NodeGroups: nodeGroups,
    AutomaticFailover: rg.automaticFailover,
    MultiAZ: rg.multiAZ,
    ConfigurationEndpoint:
      rg.clusterEnabled && first
        ? rg.simulated
          ? endpoint(first.node.port, simulatedHost(region, `${rg.replicationGroupId}.clustercfg`))
          : endpoint(first.node.port)
        : undefined,
    ClusterEnabled: rg.clusterEnabled,
    CacheNodeType: rg.cacheNodeType,
    ...renderSettings(settings, true),
    ARN: arnFor(account, region, "replicationgroup", rg.replicationGroupId),
    ReplicationGroupCreateTime: new Date(rg.createTime),
    DataTiering: "disabled",
    ClusterMode: rg.clusterMode,
    Engine: rg.engine,
  };
}

function renderCacheNode(region: string, cluster: CacheClusterRecord, node: CacheNodeRecord): Shape {
  return {
    CacheNodeId: node.cacheNodeId,
    CacheNodeStatus: node.status,
    CacheNodeCreateTime: new Date(node.createTime),
    Endpoint: nodeEndpoint(region, cluster, node),
    ParameterGroupStatus: "in-sync",
    CustomerAvailabilityZone: node.availabilityZone,
  };
}

export function renderCacheCluster(account: string, region: string, cluster: CacheClusterRecord, showNodes: boolean): Shape {
  const zones = new Set(cluster.nodes.map((n) => n.availabilityZone));
  const settings = settingsOf(cluster);
  return {
    CacheClusterId: cluster.cacheClusterId,
    // Memcached's configuration endpoint is a DNS name on AWS; here it is the first node, which answers for itself.
    ConfigurationEndpoint: cluster.engine === "memcached" && cluster.nodes[0] ? nodeEndpoint(region, cluster, cluster.nodes[0]) : undefined,
    ClientDownloadLandingPage: "https://console.aws.amazon.com/elasticache/home#client-download:",
    CacheNodeType: cluster.cacheNodeType,
    Engine: cluster.engine,
    EngineVersion: cluster.engineVersion,
    CacheClusterStatus: cluster.status,
    NumCacheNodes: cluster.nodes.length,
    PreferredAvailabilityZone: zones.size > 1 ? "Multiple" : cluster.nodes[0]?.availabilityZone,
    CacheClusterCreateTime: new Date(cluster.createTime),
    PreferredMaintenanceWindow: MAINTENANCE_WINDOW,
    PendingModifiedValues: pendingWithAuth(cluster.pendingModifiedValues, settings),
    CacheSecurityGroups: [],
    CacheParameterGroup: { CacheParameterGroupName: cluster.cacheParameterGroupName, ParameterApplyStatus: "in-sync", CacheNodeIdsToReboot: [] },
    CacheSubnetGroupName: settings.cacheSubnetGroupName,
    CacheNodes: showNodes ? cluster.nodes.map((node) => renderCacheNode(region, cluster, node)) : undefined,
    SecurityGroups: settings.securityGroupIds.map((id) => ({ SecurityGroupId: id, Status: "active" })),
    ReplicationGroupId: cluster.replicationGroupId,
    ...renderSettings(settings, cluster.engine !== "memcached"),
    ARN: arnFor(account, region, "cluster", cluster.cacheClusterId),
    ReplicationGroupLogDeliveryEnabled: cluster.replicationGroupId !== undefined && settings.logDeliveryConfigurations.length > 0,
  };
}

export function renderServerlessCache(account: string, region: string, cache: ServerlessCacheRecord): Shape {
  return {
    ServerlessCacheName: cache.serverlessCacheName,
    Description: cache.description,
    CreateTime: new Date(cache.createTime),
    Status: cache.status,
    Engine: cache.engine,
    MajorEngineVersion: cache.majorEngineVersion,
    FullEngineVersion: cache.fullEngineVersion,
    CacheUsageLimits: cache.cacheUsageLimits,
    SecurityGroupIds: cache.securityGroupIds,
    // AWS serves reads on a second port of the same host; here one process answers both.
    Endpoint: endpoint(cache.port),
    ReaderEndpoint: endpoint(cache.port),
    ARN: arnFor(account, region, "serverlesscache", cache.serverlessCacheName),
    SubnetIds: cache.subnetIds,
    SnapshotRetentionLimit: 0,
    DailySnapshotTime: "04:00",
    NetworkType: "ipv4",
  };
}

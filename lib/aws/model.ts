// CacheDeck's own vocabulary for what ElastiCache reports. lib/aws translates every AWS answer into these types
// (lib/aws/translate.ts) and nothing outside lib/aws sees an SDK shape. Plain, serialisable data only, so the same
// objects feed pages, drills, actions and the server-side watcher.

export type CacheKind = "replication-group" | "cache-cluster" | "serverless";

/**
 * A node's part in its shard. "node" is a node outside any replication (a Memcached node, a standalone Redis
 * cluster); "unknown" is a group member whose role nothing has told yet (cluster mode before any evidence).
 */
export type NodeRole = "primary" | "replica" | "node" | "unknown";

export interface Endpoint {
  host: string;
  port: number | null;
}

export interface CacheNode {
  /** The cache cluster holding the node: in a replication group each member cluster is one node. */
  cacheClusterId: string;
  nodeId: string;
  /** The node group (shard) of a replication group member, else null. */
  shardId: string | null;
  role: NodeRole;
  /** "available" or what the node or its cluster is doing instead; null when it was not read. */
  status: string | null;
  zone: string | null;
  endpoint: Endpoint | null;
}

export interface Shard {
  id: string;
  status: string;
  /** Hash slots the shard owns ("0-5460"), cluster mode only. */
  slots: string | null;
  primaryEndpoint: Endpoint | null;
  readerEndpoint: Endpoint | null;
}

/** Changes AWS has accepted and not yet finished. */
export interface PendingChanges {
  /** Names of what is pending, as AWS names them (NodeType, Resharding, PrimaryClusterId…), for checklists. */
  names: string[];
  /** The member that is becoming the primary. */
  primaryClusterId: string | null;
  automaticFailoverStatus: string | null;
  /** Slot migration progress (0–100) while resharding. */
  reshardingPercent: number | null;
  /** Node types the cache or its members are moving to. */
  nodeTypes: string[];
  /**
   * Engine versions members are being upgraded to (an engine upgrade replaces them one by one). Optional: watcher
   * snapshots stored before it existed (lib/watcher/relay.ts replays them) do not have it.
   */
  engineVersions?: string[];
  /** The node count a Memcached cluster is moving to. */
  nodeCount: number | null;
}

/**
 * Settings AWS Security Hub's ElastiCache controls judge, as the describes report them. A replication group's member
 * clusters carry the subnet group (and AWS's minor-upgrade flag); withMembers joins them in.
 */
export interface CacheSettings {
  /** Days of automatic backups kept (0: off); null where AWS does not report it (Memcached, serverless). */
  snapshotRetentionLimit: number | null;
  /** null where AWS did not say. */
  autoMinorVersionUpgrade: boolean | null;
  atRestEncryption: boolean;
  /** The subnet groups of the cache's clusters (one, unless members differ); empty when not read. */
  subnetGroups: string[];
}

export interface UsageLimits {
  dataStorage: { maximum: number; unit: string } | null;
  ecpuPerSecond: number | null;
}

/** A replication group, a cache cluster or a serverless cache, with its shards and nodes. */
export interface Cache {
  kind: CacheKind;
  id: string;
  arn: string | null;
  /** redis, valkey or memcached. */
  engine: string;
  /** The engine versions of the nodes ("7.1.0", or "7.0.7 / 7.1.0" mid-upgrade); null when not read. */
  engineVersion: string | null;
  status: string;
  nodeType: string | null;
  /** Cluster mode enabled (a sharded replication group); false for everything else. */
  clusterMode: boolean;
  multiAz: boolean | null;
  /** enabled, disabled, enabling, disabling; null where it does not apply. */
  automaticFailover: string | null;
  /** The group a cache cluster belongs to; null for a standalone one and the other kinds. */
  replicationGroupId: string | null;
  description: string | null;
  /** Nodes (or members) the cache has, even when their details were not read. */
  nodeCount: number;
  /** The zone AWS prefers for a cache cluster ("Multiple" for a spread Memcached cluster). */
  preferredZone: string | null;
  configurationEndpoint: Endpoint | null;
  /** A serverless cache's endpoints (node-based caches have them per shard or per node). */
  endpoint: Endpoint | null;
  readerEndpoint: Endpoint | null;
  /** The probe cannot connect through these. */
  transitEncryption: boolean;
  authToken: boolean;
  settings: CacheSettings;
  shards: Shard[];
  nodes: CacheNode[];
  pending: PendingChanges;
  usageLimits: UsageLimits | null;
  createdAt: string | null;
}

export interface CacheEvent {
  /** Epoch milliseconds. */
  at: number;
  sourceId: string;
  sourceType: string;
  message: string;
}

export function shardNodes(cache: Cache, shardId: string): CacheNode[] {
  return cache.nodes.filter((n) => n.shardId === shardId);
}

export function primaryOf(cache: Cache, shardId: string): CacheNode | undefined {
  return shardNodes(cache, shardId).find((n) => n.role === "primary");
}

/** "host:port" as people and redis-cli write it. */
export function addressOf(endpoint: Endpoint | null): string | null {
  if (!endpoint) return null;
  return endpoint.port === null ? endpoint.host : `${endpoint.host}:${endpoint.port}`;
}

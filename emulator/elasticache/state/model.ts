import { z } from "zod";
import { cacheSettingsRecord } from "./cache-settings";

// The control plane's persisted metadata. The schemas are the types (z.infer) and also check the state file when a
// restarted emulator reads it back, so a hand-edited or truncated file fails with a clear message instead of
// half-loading. Timestamps are ISO 8601 strings; the renderers turn them into dates.

export const ENGINES = ["redis", "valkey", "memcached"] as const;
export type Engine = (typeof ENGINES)[number];

const isoDate = z.string().datetime();

export const cacheNodeRecord = z.object({
  cacheNodeId: z.string(),
  /** creating | available | deleting | rebooting (AWS's CacheNodeStatus values). */
  status: z.string(),
  createTime: isoDate,
  availabilityZone: z.string(),
  /** 0 until the process first listens; kept across restarts so endpoints stay stable when the port is still free. */
  port: z.number().int(),
  /** Replication group members only. */
  role: z.enum(["primary", "replica"]).optional(),
  /** Set when the process died without being asked to (the supervisor's "exit"), cleared when it runs again. */
  exitedAt: isoDate.optional(),
  /** When a failover gave the node its current role; a simulated node's IsMaster history turns over there. */
  roleSince: isoDate.optional(),
});
export type CacheNodeRecord = z.infer<typeof cacheNodeRecord>;

export const cacheClusterRecord = z.object({
  cacheClusterId: z.string(),
  engine: z.enum(ENGINES),
  engineVersion: z.string(),
  cacheNodeType: z.string(),
  /** creating | available | deleting | modifying | create-failed … (AWS's CacheClusterStatus values). */
  status: z.string(),
  createTime: isoDate,
  replicationGroupId: z.string().optional(),
  /** The shard of a replication group member. */
  nodeGroupId: z.string().optional(),
  azMode: z.enum(["single-az", "cross-az"]),
  cacheParameterGroupName: z.string(),
  nodes: z.array(cacheNodeRecord),
  /** Nodes without a process: state and metrics come from a model (scale mode, see ./simulated-nodes.ts). */
  simulated: z.boolean().optional(),
  /** Rendered as the cluster's PendingModifiedValues (e.g. CacheNodeType while a scale waits). */
  pendingModifiedValues: z.record(z.string(), z.unknown()),
  /** Encryption, AUTH, backups, network and log settings (a group member's are its group's); see ./cache-settings.ts. */
  settings: cacheSettingsRecord.optional(),
});
export type CacheClusterRecord = z.infer<typeof cacheClusterRecord>;

export const nodeGroupRecord = z.object({
  nodeGroupId: z.string(),
  status: z.string(),
  /** Cluster mode enabled only, e.g. "0-5460". */
  slots: z.string().optional(),
  /** Member cluster ids, primary first at creation; roles live on the nodes. */
  memberClusterIds: z.array(z.string()),
});
export type NodeGroupRecord = z.infer<typeof nodeGroupRecord>;

export const replicationGroupRecord = z.object({
  replicationGroupId: z.string(),
  description: z.string(),
  /** creating | available | modifying | deleting | create-failed | snapshotting */
  status: z.string(),
  engine: z.enum(["redis", "valkey"]),
  engineVersion: z.string(),
  cacheNodeType: z.string(),
  clusterEnabled: z.boolean(),
  clusterMode: z.enum(["enabled", "disabled", "compatible"]),
  automaticFailover: z.enum(["enabled", "disabled", "enabling", "disabling"]),
  multiAZ: z.enum(["enabled", "disabled"]),
  createTime: isoDate,
  cacheParameterGroupName: z.string(),
  nodeGroups: z.array(nodeGroupRecord),
  pendingModifiedValues: z.record(z.string(), z.unknown()),
  /** Every member is simulated (see ./simulated-nodes.ts); members added later are too. */
  simulated: z.boolean().optional(),
  settings: cacheSettingsRecord.optional(),
});
export type ReplicationGroupRecord = z.infer<typeof replicationGroupRecord>;

export const serverlessCacheRecord = z.object({
  serverlessCacheName: z.string(),
  description: z.string().optional(),
  engine: z.enum(ENGINES),
  majorEngineVersion: z.string(),
  fullEngineVersion: z.string(),
  /** Upper case, as AWS reports it: CREATING, AVAILABLE, DELETING, CREATE-FAILED, MODIFYING. */
  status: z.string(),
  createTime: isoDate,
  cacheUsageLimits: z.record(z.string(), z.unknown()).optional(),
  maxmemoryBytes: z.number(),
  port: z.number().int(),
  securityGroupIds: z.array(z.string()),
  subnetIds: z.array(z.string()),
  exitedAt: isoDate.optional(),
});
export type ServerlessCacheRecord = z.infer<typeof serverlessCacheRecord>;

/** A cache subnet group: names VPC subnets, each placed in one of the region's simulated zones. */
export const cacheSubnetGroupRecord = z.object({
  cacheSubnetGroupName: z.string(),
  description: z.string(),
  vpcId: z.string(),
  subnetIds: z.array(z.string()),
});
export type CacheSubnetGroupRecord = z.infer<typeof cacheSubnetGroupRecord>;

/** A created cache parameter group: its family and the values set on it (the rest are the family's defaults). */
export const cacheParameterGroupRecord = z.object({
  cacheParameterGroupName: z.string(),
  family: z.string(),
  description: z.string(),
  values: z.record(z.string(), z.string()),
});
export type CacheParameterGroupRecord = z.infer<typeof cacheParameterGroupRecord>;

export const SOURCE_TYPES = [
  "cache-cluster",
  "cache-parameter-group",
  "cache-security-group",
  "cache-subnet-group",
  "replication-group",
  "serverless-cache",
  "serverless-cache-snapshot",
  "user",
  "user-group",
] as const;
export type SourceType = (typeof SOURCE_TYPES)[number];

export const eventRecord = z.object({
  /** Increases with every event of the region: orders events that share a millisecond and anchors paging. */
  seq: z.number().int(),
  sourceIdentifier: z.string(),
  sourceType: z.enum(SOURCE_TYPES),
  message: z.string(),
  date: isoDate,
});
export type EventRecord = z.infer<typeof eventRecord>;

export const tag = z.object({ Key: z.string(), Value: z.string().default("") });
export type Tag = z.infer<typeof tag>;

export const regionState = z.object({
  replicationGroups: z.record(z.string(), replicationGroupRecord),
  cacheClusters: z.record(z.string(), cacheClusterRecord),
  serverlessCaches: z.record(z.string(), serverlessCacheRecord),
  events: z.array(eventRecord),
  nextEventSeq: z.number().int(),
  /** By resource ARN. */
  tags: z.record(z.string(), z.array(tag)),
  /** Created ones only: the region's "default" group is implied (see ./subnet-groups.ts). */
  cacheSubnetGroups: z.record(z.string(), cacheSubnetGroupRecord).default({}),
  /** Created ones only: the default group of each family is implied (see ./parameter-groups.ts). */
  cacheParameterGroups: z.record(z.string(), cacheParameterGroupRecord).default({}),
});
export type RegionState = z.infer<typeof regionState>;

export const STATE_FORMAT_VERSION = 1;
export const persistedState = z.object({
  version: z.literal(STATE_FORMAT_VERSION),
  regions: z.record(z.string(), regionState),
});
export type PersistedState = z.infer<typeof persistedState>;

export function emptyRegion(): RegionState {
  return { replicationGroups: {}, cacheClusters: {}, serverlessCaches: {}, events: [], nextEventSeq: 1, tags: {}, cacheSubnetGroups: {}, cacheParameterGroups: {} };
}

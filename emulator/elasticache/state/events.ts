import type { EventRecord, RegionState, SourceType } from "./model";

/** AWS keeps events for 14 days; DescribeEvents cannot look further back. */
export const EVENT_RETENTION_MS = 14 * 24 * 60 * 60 * 1000;
/** A bound on the state file when a fleet churns: the oldest events go first. */
export const MAX_EVENTS_PER_REGION = 10_000;

/** Appends an event (AWS's wording is the caller's job) and drops what has aged out. The caller saves the store. */
export function recordEvent(
  region: RegionState,
  sourceType: SourceType,
  sourceIdentifier: string,
  message: string,
  date = new Date(),
): EventRecord {
  const event: EventRecord = { seq: region.nextEventSeq++, sourceIdentifier, sourceType, message, date: date.toISOString() };
  region.events.push(event);
  const cutoff = new Date(date.getTime() - EVENT_RETENTION_MS).toISOString();
  const firstKept = region.events.findIndex((e) => e.date >= cutoff);
  const drop = Math.max(firstKept === -1 ? region.events.length : firstKept, region.events.length - MAX_EVENTS_PER_REGION);
  if (drop > 0) region.events.splice(0, drop);
  return event;
}

// AWS's wording, in one place so the renderers, the lifecycle and later features (failover, scaling) agree.
export const eventMessages = {
  replicationGroupCreated: (id: string) => `Replication group ${id} created`,
  replicationGroupDeleted: (id: string) => `Replication group ${id} deleted`,
  replicationGroupCreateFailed: (id: string, why: string) => `Failed to create replication group ${id}: ${why}`,
  cacheClusterCreated: () => "Cache cluster created",
  cacheClusterDeleted: () => "Cache cluster deleted",
  cacheClusterCreateFailed: (why: string) => `Failed to create cache cluster: ${why}`,
  cacheNodeAdded: (nodeId: string, zone: string) => `Added cache node ${nodeId} in Availability Zone ${zone}`,
  recoveringCacheNodes: (nodeIds: string[]) => `Recovering cache nodes ${nodeIds.join(",")}`,
  finishedRecovery: (nodeIds: string[]) => `Finished recovery for cache nodes ${nodeIds.join(",")}`,
  nodeTypeChangeStarted: (from: string, to: string) => `Modifying cache node type from ${from} to ${to}`,
  nodeTypeChangeFinished: (from: string, to: string) => `Finished modifying cache node type from ${from} to ${to}`,
  // AWS's wording for ReplicationGroupScalingFailed.
  nodeTypeChangeFailed: (to: string) => `Failed applying modification to cache node type to ${to}.`,
  // Ours: AWS's console shows the engine change, not a fixed sentence, so these follow the node-type wording.
  engineChangeStarted: (from: string, to: string) => `Modifying engine version from ${from} to ${to}`,
  engineChangeFinished: (from: string, to: string) => `Finished modifying engine version from ${from} to ${to}`,
  engineChangeFailed: (to: string) => `Failed applying modification to engine version to ${to}.`,
  cacheNodeUpgraded: (nodeId: string, engine: string, version: string) => `Cache node ${nodeId} replaced with ${engine} ${version}`,
  automaticFailoverChanged: (state: string) => `Automatic failover ${state}`,
  multiAZChanged: (state: string) => `Multi-AZ ${state}`,
  replicaCountChanged: (nodeGroupId: string, from: number, to: number) =>
    `${to > from ? "Increased" : "Decreased"} the number of replicas in node group ${nodeGroupId} from ${from} to ${to}`,
  reshardingStarted: (from: number, to: number) => `Resharding from ${from} to ${to} node groups started`,
  reshardingFinished: (from: number, to: number) => `Resharding from ${from} to ${to} node groups completed`,
  reshardingFailed: (why: string) => `Resharding failed: ${why}`,
  testFailoverCalled: (nodeGroupId: string) => `Test Failover API called for node group ${nodeGroupId}`,
  failoverCompleted: (fromClusterId: string, toClusterId: string) =>
    `Failover from primary node ${fromClusterId} to replica node ${toClusterId} completed`,
  serverlessCacheCreated: (name: string) => `Serverless cache ${name} created`,
  serverlessCacheDeleted: (name: string) => `Serverless cache ${name} deleted`,
  serverlessCacheCreateFailed: (name: string, why: string) => `Failed to create serverless cache ${name}: ${why}`,
};

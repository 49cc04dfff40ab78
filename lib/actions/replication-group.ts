import "server-only";
import { describeReplicationGroups, shardNodes, type Cache } from "@/lib/aws";
import { placeSegment, type Place } from "@/lib/place";
import { watcherFor } from "@/lib/watcher";

/** The group as AWS sees it now; an unknown id throws AwsNotFoundError (explained by the action). */
export async function loadReplicationGroup(place: Place, replicationGroupId: string): Promise<Cache> {
  return (await describeReplicationGroups(place, replicationGroupId))[0];
}

/** A group's page. */
export function clusterPath(place: Place, replicationGroupId: string): string {
  return `/clusters/${placeSegment(place)}/${replicationGroupId}`;
}

/**
 * After an operation AWS accepted: the region's watcher polls busy and describes the group at once (so an operator's
 * own failover shows on every open page without waiting for the next event poll), and the pages to revalidate.
 */
export function afterClusterChange(place: Place, replicationGroupId: string): string[] {
  watcherFor(place).expectChange(replicationGroupId);
  return ["/", clusterPath(place, replicationGroupId), "/audit"];
}

/** Replicas per shard as the group reports them (members beyond the primary). */
export function replicasPerShard(group: Cache): Map<string, number> {
  return new Map(group.shards.map((s) => [s.id, Math.max(shardNodes(group, s.id).length - 1, 0)]));
}

/** The refusal for a group that is not available, in the words the forms show. */
export function unavailableRefusal(group: Cache, verb: string): { error: string } | null {
  if (group.status === "available") return null;
  return { error: `${group.id} is ${group.status}; ${verb} needs it available. Try again when it is.` };
}

/**
 * AWS refuses a shard without replicas where failover needs one (InvalidParameterCombination): with Multi-AZ on, and
 * with automatic failover on in cluster mode disabled (cluster mode keeps failover on and allows replica-less shards).
 */
export function replicaFloorRefusal(group: Cache, target: Map<string, number>): { error: string; fieldErrors: { replicas: string[] } } | null {
  const emptied = [...target].filter(([, count]) => count === 0).map(([id]) => id);
  if (emptied.length === 0) return null;
  const needs =
    group.multiAz === true ? "Multi-AZ" : group.automaticFailover === "enabled" && !group.clusterMode ? "Automatic failover" : null;
  if (!needs) return null;
  const reason = `${needs} is on for ${group.id}: every shard must keep at least 1 replica (shard${emptied.length > 1 ? "s" : ""} ${emptied.join(", ")} would have none).`;
  return { error: `A shard cannot go to 0 replicas here. ${reason}`, fieldErrors: { replicas: [reason] } };
}

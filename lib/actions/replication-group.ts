import "server-only";
import { describeReplicationGroups, type NodeGroup, type ReplicationGroup } from "@/lib/aws";

/** The group as AWS sees it now; an unknown id throws AwsNotFoundError (explained by the action). */
export async function loadReplicationGroup(region: string, replicationGroupId: string): Promise<ReplicationGroup> {
  return (await describeReplicationGroups(region, replicationGroupId))[0];
}

export function nodeGroupOf(group: ReplicationGroup, nodeGroupId: string): NodeGroup | undefined {
  return group.NodeGroups?.find((g) => g.NodeGroupId === nodeGroupId);
}

/** The primary's cache cluster id (cluster mode disabled reports roles; cluster mode enabled does not). */
export function primaryOf(shard: NodeGroup | undefined): string | undefined {
  return shard?.NodeGroupMembers?.find((m) => m.CurrentRole === "primary")?.CacheClusterId;
}

/** The pages that show a group, refreshed after a change to it. */
export function clusterPaths(region: string, replicationGroupId: string): string[] {
  return ["/", `/clusters/${region}/${replicationGroupId}`, "/audit"];
}

/** Replicas per shard as the group reports them (members beyond the primary). */
export function replicasPerShard(group: ReplicationGroup): Map<string, number> {
  return new Map((group.NodeGroups ?? []).map((g) => [g.NodeGroupId ?? "", Math.max((g.NodeGroupMembers ?? []).length - 1, 0)]));
}

/** The refusal for a group that is not available, in the words the forms show. */
export function unavailableRefusal(group: ReplicationGroup, verb: string): { error: string } | null {
  if (group.Status === "available") return null;
  return { error: `${group.ReplicationGroupId} is ${group.Status}; ${verb} needs it available. Try again when it is.` };
}

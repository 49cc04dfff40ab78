import "server-only";
import type { NodeGroup, ReplicationGroup } from "@/lib/aws";

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

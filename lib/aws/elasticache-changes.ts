import "server-only";
import {
  DecreaseReplicaCountCommand,
  IncreaseReplicaCountCommand,
  ModifyReplicationGroupCommand,
  ModifyReplicationGroupShardConfigurationCommand,
  TestFailoverCommand,
  type ConfigureShard,
  type ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import type { Place } from "@/lib/place";
import { elastiCacheClient } from "./clients";
import { callAws } from "./errors";

// The calls that change a cache, used only by the audited server actions in lib/actions. Each returns AWS's request
// id for the audit record and takes the action's AbortSignal, so a call past the action's deadline is abandoned.

export interface ChangeResult {
  requestId: string | undefined;
}

function context(place: Place, operation: string) {
  return { service: "elasticache" as const, ...place, operation };
}

type Send = (client: ElastiCacheClient, options: { abortSignal?: AbortSignal }) => Promise<{ $metadata: { requestId?: string } }>;

async function change(place: Place, operation: string, signal: AbortSignal | undefined, send: Send): Promise<ChangeResult> {
  return callAws(context(place, operation), async () => {
    const output = await send(elastiCacheClient(place), { abortSignal: signal });
    return { requestId: output.$metadata.requestId };
  });
}

export function testFailover(place: Place, replicationGroupId: string, nodeGroupId: string, signal?: AbortSignal): Promise<ChangeResult> {
  return change(place, "TestFailover", signal, (client, options) =>
    client.send(new TestFailoverCommand({ ReplicationGroupId: replicationGroupId, NodeGroupId: nodeGroupId }), options),
  );
}

export function modifyNodeType(place: Place, replicationGroupId: string, cacheNodeType: string, signal?: AbortSignal): Promise<ChangeResult> {
  return change(place, "ModifyReplicationGroup", signal, (client, options) =>
    client.send(
      new ModifyReplicationGroupCommand({ ReplicationGroupId: replicationGroupId, CacheNodeType: cacheNodeType, ApplyImmediately: true }),
      options,
    ),
  );
}

/** Replica count for the whole group (`replicas`) or per shard (`shards`). */
export type ReplicaTarget = { replicas: number } | { shards: { nodeGroupId: string; replicas: number }[] };

function replicaConfiguration(target: ReplicaTarget): { NewReplicaCount?: number; ReplicaConfiguration?: ConfigureShard[] } {
  if ("replicas" in target) return { NewReplicaCount: target.replicas };
  return { ReplicaConfiguration: target.shards.map((s) => ({ NodeGroupId: s.nodeGroupId, NewReplicaCount: s.replicas })) };
}

export function increaseReplicaCount(place: Place, replicationGroupId: string, target: ReplicaTarget, signal?: AbortSignal): Promise<ChangeResult> {
  return change(place, "IncreaseReplicaCount", signal, (client, options) =>
    client.send(
      new IncreaseReplicaCountCommand({ ReplicationGroupId: replicationGroupId, ApplyImmediately: true, ...replicaConfiguration(target) }),
      options,
    ),
  );
}

export function decreaseReplicaCount(place: Place, replicationGroupId: string, target: ReplicaTarget, signal?: AbortSignal): Promise<ChangeResult> {
  return change(place, "DecreaseReplicaCount", signal, (client, options) =>
    client.send(
      new DecreaseReplicaCountCommand({ ReplicationGroupId: replicationGroupId, ApplyImmediately: true, ...replicaConfiguration(target) }),
      options,
    ),
  );
}

export function modifyShardCount(
  place: Place,
  replicationGroupId: string,
  nodeGroupCount: number,
  removeNodeGroupIds: string[],
  signal?: AbortSignal,
): Promise<ChangeResult> {
  return change(place, "ModifyReplicationGroupShardConfiguration", signal, (client, options) =>
    client.send(
      new ModifyReplicationGroupShardConfigurationCommand({
      ReplicationGroupId: replicationGroupId,
      NodeGroupCount: nodeGroupCount,
      ApplyImmediately: true,
      NodeGroupsToRemove: removeNodeGroupIds.length > 0 ? removeNodeGroupIds : undefined,
    }),
      options,
    ),
  );
}

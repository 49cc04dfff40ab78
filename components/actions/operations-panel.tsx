import "server-only";
import type { ReplicationGroup } from "@/lib/aws";
import { listAllowedNodeTypeModifications } from "@/lib/aws/elasticache-changes";
import { can } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { testFailover } from "@/lib/actions/test-failover";
import { modifyNodeType } from "@/lib/actions/modify-node-type";
import { modifyReplicaCount } from "@/lib/actions/modify-replica-count";
import { modifyShardCount } from "@/lib/actions/modify-shard-count";
import { replicasPerShard } from "@/lib/actions/replication-group";
import { TestFailoverForm, type ShardSummary } from "@/components/actions/test-failover-form";
import { NodeTypeForm } from "@/components/actions/node-type-form";
import { ReplicaCountForm } from "@/components/actions/replica-count-form";
import { ShardCountForm } from "@/components/actions/shard-count-form";

function shardsOf(group: ReplicationGroup): ShardSummary[] {
  const replicas = replicasPerShard(group);
  return (group.NodeGroups ?? []).map((shard) => ({
    nodeGroupId: shard.NodeGroupId ?? "",
    primary: shard.NodeGroupMembers?.find((m) => m.CurrentRole === "primary")?.CacheClusterId ?? null,
    replicas: replicas.get(shard.NodeGroupId ?? "") ?? 0,
  }));
}

const note = "text-sm text-slate-600 dark:text-slate-300";

/**
 * The operations the signed-in person may run on a replication group. Viewers get nothing: no control is rendered
 * for an operation the role cannot run (and each server action refuses it anyway).
 */
export async function OperationsPanel({ user, region, group }: { user: SessionUser; region: string; group: ReplicationGroup }) {
  const mayFailover = can(user.role, "cluster.test-failover");
  const mayScale = can(user.role, "cluster.scale");
  if (!mayFailover && !mayScale) return null;
  const id = group.ReplicationGroupId ?? "";
  const shards = shardsOf(group);
  const allowed = mayScale ? await listAllowedNodeTypeModifications(region, id) : null;

  return (
    <section aria-label="Operations" className="flex flex-col gap-6" data-testid="operations-panel">
      {mayFailover &&
        (group.AutomaticFailover === "enabled" ? (
          <TestFailoverForm action={testFailover} region={region} replicationGroupId={id} shards={shards} />
        ) : (
          <p className={note}>Test failover needs automatic failover, which is {group.AutomaticFailover ?? "disabled"} for {id}.</p>
        ))}
      {allowed &&
        (allowed.scaleUp.length + allowed.scaleDown.length > 0 ? (
          <NodeTypeForm action={modifyNodeType} region={region} replicationGroupId={id} current={group.CacheNodeType ?? ""} {...allowed} />
        ) : (
          <p className={note}>AWS offers no other node type for {id}.</p>
        ))}
      {mayScale && <ReplicaCountForm action={modifyReplicaCount} region={region} replicationGroupId={id} shards={shards} />}
      {mayScale && group.ClusterEnabled && (
        <ShardCountForm action={modifyShardCount} region={region} replicationGroupId={id} shardIds={shards.map((s) => s.nodeGroupId)} />
      )}
    </section>
  );
}

import type { ReplicationGroup } from "@/lib/aws";
import { can } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { testFailover } from "@/lib/actions/test-failover";
import { TestFailoverForm, type ShardSummary } from "@/components/actions/test-failover-form";

function shardsOf(group: ReplicationGroup): ShardSummary[] {
  return (group.NodeGroups ?? []).map((shard) => {
    const members = shard.NodeGroupMembers ?? [];
    return {
      nodeGroupId: shard.NodeGroupId ?? "",
      primary: members.find((m) => m.CurrentRole === "primary")?.CacheClusterId ?? null,
      replicas: Math.max(members.length - 1, 0),
    };
  });
}

/**
 * The operations the signed-in person may run on a replication group. Viewers get nothing: no control is rendered
 * for an operation the role cannot run (and the server action refuses it anyway).
 */
export function OperationsPanel({ user, region, group }: { user: SessionUser; region: string; group: ReplicationGroup }) {
  const id = group.ReplicationGroupId ?? "";
  const mayFailover = can(user.role, "cluster.test-failover");
  if (!mayFailover) return null;
  return (
    <section aria-label="Operations" className="flex flex-col gap-6" data-testid="operations-panel">
      {mayFailover &&
        (group.AutomaticFailover === "enabled" ? (
          <TestFailoverForm action={testFailover} region={region} replicationGroupId={id} shards={shardsOf(group)} />
        ) : (
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Test failover needs automatic failover, which is {group.AutomaticFailover ?? "off"} for {id}.
          </p>
        ))}
    </section>
  );
}

import "server-only";
import { can } from "@/lib/auth/permissions";
import type { SessionUser } from "@/lib/auth/session";
import { testFailover } from "@/lib/actions/test-failover";
import { modifyNodeType } from "@/lib/actions/modify-node-type";
import { modifyReplicaCount } from "@/lib/actions/modify-replica-count";
import { modifyShardCount } from "@/lib/actions/modify-shard-count";
import { upgradeEngine } from "@/lib/actions/upgrade-engine";
import type { OperationsTarget } from "@/lib/data/operations";
import type { Prefill } from "@/lib/data/operation-prefill";
import { TestFailoverForm } from "@/components/actions/test-failover-form";
import { NodeTypeForm } from "@/components/actions/node-type-form";
import { ReplicaCountForm } from "@/components/actions/replica-count-form";
import { ShardCountForm } from "@/components/actions/shard-count-form";
import { UpgradeEngineForm } from "@/components/actions/upgrade-engine-form";

const note = "text-sm text-slate-600 dark:text-slate-300";

/**
 * The operations the signed-in person may run on a replication group. Viewers get nothing: no control is rendered
 * for an operation the role cannot run (and each server action refuses it anyway).
 */
export function OperationsPanel({ user, group, upgradeTo, prefill = null }: { user: SessionUser; group: OperationsTarget; upgradeTo?: string; prefill?: Prefill | null }) {
  const mayFailover = can(user.role, "cluster.test-failover");
  const mayScale = can(user.role, "cluster.scale");
  if (!mayFailover && !mayScale) return null;
  const { id, shards } = group;
  const place = { account: group.account, region: group.region };
  const allowed = mayScale ? group.nodeTypes : null;

  return (
    <section aria-label="Operations" className="flex flex-col gap-6" data-testid="operations-panel">
      {mayFailover &&
        (group.automaticFailover === "enabled" ? (
          <TestFailoverForm action={testFailover} place={place} replicationGroupId={id} shards={shards} />
        ) : (
          <p className={note}>Test failover needs automatic failover, which is {group.automaticFailover ?? "disabled"} for {id}.</p>
        ))}
      {allowed &&
        (allowed.scaleUp.length + allowed.scaleDown.length > 0 ? (
          <NodeTypeForm action={modifyNodeType} place={place} replicationGroupId={id} current={group.nodeType ?? ""} {...allowed} initial={prefill?.op === "modify-node-type" ? prefill.nodeType : undefined} />
        ) : (
          <p className={note}>AWS offers no other node type for {id}.</p>
        ))}
      {mayScale && <ReplicaCountForm action={modifyReplicaCount} place={place} replicationGroupId={id} shards={shards} initial={prefill?.op === "modify-replica-count" ? prefill.replicas : undefined} />}
      {mayScale && group.clusterMode && (
        <ShardCountForm action={modifyShardCount} place={place} replicationGroupId={id} shardIds={shards.map((s) => s.nodeGroupId)} initial={prefill?.op === "modify-shard-count" ? prefill.shards : undefined} />
      )}
      {mayScale && group.upgrade && (
        <UpgradeEngineForm action={upgradeEngine} place={place} replicationGroupId={id} clusterMode={group.clusterMode} options={group.upgrade} preselect={upgradeTo} />
      )}
    </section>
  );
}

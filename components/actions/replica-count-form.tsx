"use client";

import { useState } from "react";
import type { modifyReplicaCount } from "@/lib/actions/modify-replica-count";
import { ConfirmPanel, FieldError } from "@/components/actions/confirm-panel";
import { useOperation } from "@/components/actions/use-operation";
import { followUrl } from "@/components/actions/follow-url";
import { numberClass } from "@/components/actions/styles";

interface Props {
  action: typeof modifyReplicaCount;
  region: string;
  replicationGroupId: string;
  /** Current replicas per shard id. */
  shards: { nodeGroupId: string; replicas: number }[];
}

/** One count for every shard, or (cluster mode, several shards) a count per shard. */
export function ReplicaCountForm({ action, region, replicationGroupId, shards }: Props) {
  const [perShard, setPerShard] = useState(false);
  const [groupCount, setGroupCount] = useState(String((shards[0]?.replicas ?? 0) + 1));
  const [counts, setCounts] = useState<Record<string, string>>(Object.fromEntries(shards.map((s) => [s.nodeGroupId, String(s.replicas)])));
  const { submit, state } = useOperation(action, (_data, auditId) => followUrl(region, replicationGroupId, auditId), (data, auditId) => `Replica ${data.direction} started. Audit record #${auditId}.`);

  const describe = perShard
    ? shards.map((s) => `${s.nodeGroupId}: ${s.replicas} → ${counts[s.nodeGroupId]}`).join(", ")
    : `every shard: ${shards.map((s) => s.replicas).join("/")} → ${groupCount}`;

  return (
    <ConfirmPanel
      title="Replicas"
      testId="operation-replica-count"
      verb="Change replicas"
      confirmText={replicationGroupId}
      state={state}
      onConfirm={(confirmation) =>
        submit(
          perShard
            ? { region, replicationGroupId, confirmation, shards: shards.map((s) => ({ nodeGroupId: s.nodeGroupId, replicas: Number(counts[s.nodeGroupId]) })) }
            : { region, replicationGroupId, confirmation, replicas: Number(groupCount) },
        )
      }
      effect={
        <>
          Changes the replicas of <strong>{replicationGroupId}</strong> ({region}), {describe}. New replicas sync from their primary; removed
          replicas stop serving reads at once.
        </>
      }
    >
      {shards.length > 1 && (
        <label className="flex items-center gap-2">
          <input type="checkbox" checked={perShard} onChange={(e) => setPerShard(e.target.checked)} /> A different count per shard
        </label>
      )}
      {perShard ? (
        <div className="flex flex-wrap gap-3">
          {shards.map((s) => (
            <label key={s.nodeGroupId} className="flex flex-col gap-1">
              Shard {s.nodeGroupId}
              <input
                type="number"
                min={0}
                max={5}
                value={counts[s.nodeGroupId]}
                onChange={(e) => setCounts({ ...counts, [s.nodeGroupId]: e.target.value })}
                className={numberClass}
              />
            </label>
          ))}
        </div>
      ) : (
        <label className="flex flex-col gap-1">
          Replicas per shard
          <input type="number" name="replicas" min={0} max={5} value={groupCount} onChange={(e) => setGroupCount(e.target.value)} className={numberClass} />
        </label>
      )}
      <FieldError messages={state.fieldErrors.replicas} />
      <FieldError messages={state.fieldErrors.shards} />
    </ConfirmPanel>
  );
}

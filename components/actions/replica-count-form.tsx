"use client";

import { useState } from "react";
import type { modifyReplicaCount } from "@/lib/actions/modify-replica-count";
import { ConfirmPanel, FieldError } from "@/components/actions/confirm-panel";
import { useOperation } from "@/components/actions/use-operation";
import { followUrl } from "@/components/actions/follow-url";
import { numberClass } from "@/components/actions/styles";
import { placeLabel, type Place } from "@/lib/place";

interface Props {
  action: typeof modifyReplicaCount;
  place: Place;
  replicationGroupId: string;
  /** Current replicas per shard id. */
  shards: { nodeGroupId: string; replicas: number }[];
  /** Pre-filled replicas per shard (a rightsizing link). */
  initial?: number;
}

/** The count a field holds, or null while it holds no whole number (the server says why on submit). */
function typedCount(raw: string | undefined): number | null {
  const text = (raw ?? "").trim();
  return /^\d+$/.test(text) ? Number(text) : null;
}

/** "shard 0001: 1 → 2 replicas, shards 0002–0009: 1 → 0 replicas": shards that change alike are named together. */
function plannedCounts(changes: { nodeGroupId: string; from: number; to: number | null }[]): string {
  const alike = new Map<string, string[]>();
  for (const change of changes) {
    const key = `${change.from} → ${change.to ?? "?"} replica${change.to === 1 ? "" : "s"}`;
    alike.set(key, [...(alike.get(key) ?? []), change.nodeGroupId]);
  }
  return [...alike]
    .map(([key, ids]) => (ids.length === 1 ? `shard ${ids[0]}: ${key}` : ids.length <= 4 ? `shards ${ids.join(", ")}: ${key}` : `${ids.length} shards: ${key}`))
    .join("; ");
}

/** One count for every shard, or (cluster mode, several shards) a count per shard. */
export function ReplicaCountForm({ action, place, replicationGroupId, shards, initial }: Props) {
  const [perShard, setPerShard] = useState(false);
  const [groupCount, setGroupCount] = useState(String(initial ?? (shards[0]?.replicas ?? 0) + 1));
  const [counts, setCounts] = useState<Record<string, string>>(Object.fromEntries(shards.map((s) => [s.nodeGroupId, String(s.replicas)])));
  const { submit, state } = useOperation(action, (_data, auditId) => followUrl(place, replicationGroupId, auditId), (data, auditId) => `Replica ${data.direction} started. Audit record #${auditId}.`);

  const changes = shards.map((s) => ({ nodeGroupId: s.nodeGroupId, from: s.replicas, to: typedCount(perShard ? counts[s.nodeGroupId] : groupCount) }));

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
            ? { ...place, replicationGroupId, confirmation, shards: shards.map((s) => ({ nodeGroupId: s.nodeGroupId, replicas: counts[s.nodeGroupId] })) }
            : { ...place, replicationGroupId, confirmation, replicas: groupCount },
        )
      }
      effect={
        <>
          Changes the replicas of <strong>{replicationGroupId}</strong> ({placeLabel(place)}): <strong data-testid="planned-replicas">{plannedCounts(changes)}</strong>.
          {changes.some((c) => c.to === null) && " Enter a whole number for every shard."} New replicas sync from their primary; removed replicas
          stop serving reads at once.
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

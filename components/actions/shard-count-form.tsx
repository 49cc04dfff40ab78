"use client";

import { useState } from "react";
import type { modifyShardCount } from "@/lib/actions/modify-shard-count";
import { ConfirmPanel, FieldError } from "@/components/actions/confirm-panel";
import { useOperation } from "@/components/actions/use-operation";
import { followUrl } from "@/components/actions/follow-url";
import { numberClass } from "@/components/actions/styles";
import { placeLabel, type Place } from "@/lib/place";

interface Props {
  action: typeof modifyShardCount;
  place: Place;
  replicationGroupId: string;
  shardIds: string[];
  /** Pre-filled shard count (a rightsizing link). */
  initial?: number;
}

export function ShardCountForm({ action, place, replicationGroupId, shardIds, initial }: Props) {
  const [shardCount, setShardCount] = useState(String(initial ?? shardIds.length + 1));
  const { submit, state } = useOperation(action, (_data, auditId) => followUrl(place, replicationGroupId, auditId), (data, auditId) => `Resharding from ${data.from} to ${data.to} shards started. Audit record #${auditId}.`);
  // Shown only for a whole number; anything else is sent as typed and the server answers with a field error.
  const wanted = /^\d+$/.test(shardCount.trim()) ? Number(shardCount.trim()) : null;
  const removed = wanted === null ? [] : [...shardIds].sort().slice(wanted);

  return (
    <ConfirmPanel
      title="Shards"
      testId="operation-shard-count"
      verb="Reshard"
      confirmText={replicationGroupId}
      state={state}
      onConfirm={(confirmation) => submit({ ...place, replicationGroupId, shardCount, confirmation })}
      effect={
        <>
          Reshards <strong>{replicationGroupId}</strong> ({placeLabel(place)}) online from {shardIds.length} to <strong>{wanted ?? "?"}</strong> shards
          {wanted === null ? <> (enter a whole number of shards)</> : removed.length > 0 ? <>: shard(s) {removed.join(", ")} are removed and their slots move to the others</> : <>: slots move to the new shards</>}.
          Keys stay readable and writable while slots migrate.
        </>
      }
    >
      <label className="flex flex-col gap-1">
        Shards
        <input type="number" name="shardCount" min={1} max={500} value={shardCount} onChange={(e) => setShardCount(e.target.value)} className={numberClass} />
      </label>
      <FieldError messages={state.fieldErrors.shardCount} />
    </ConfirmPanel>
  );
}

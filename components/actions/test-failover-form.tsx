"use client";

import { useState } from "react";
import type { testFailover } from "@/lib/actions/test-failover";
import { ConfirmPanel, FieldError } from "@/components/actions/confirm-panel";
import { useOperation } from "@/components/actions/use-operation";
import { followUrl } from "@/components/actions/follow-url";
import { selectClass } from "@/components/actions/styles";
import { placeLabel, type Place } from "@/lib/place";

export interface ShardSummary {
  nodeGroupId: string;
  primary: string | null;
  replicas: number;
}

interface Props {
  action: typeof testFailover;
  place: Place;
  replicationGroupId: string;
  shards: ShardSummary[];
}

export function TestFailoverForm({ action, place, replicationGroupId, shards }: Props) {
  const [nodeGroupId, setNodeGroupId] = useState(shards[0]?.nodeGroupId ?? "");
  const { submit, state } = useOperation(action, (_data, auditId) => followUrl(place, replicationGroupId, auditId), (data, auditId) =>
    `Test failover started${data.previousPrimary ? ` (primary was ${data.previousPrimary})` : ""}. Audit record #${auditId}. The page follows the group until it is available again.`,
  );
  const shard = shards.find((s) => s.nodeGroupId === nodeGroupId);

  return (
    <ConfirmPanel
      title="Test failover"
      testId="operation-test-failover"
      verb="Start test failover"
      confirmText={replicationGroupId}
      state={state}
      onConfirm={(confirmation) => submit({ ...place, replicationGroupId, nodeGroupId, confirmation })}
      effect={
        <>
          Promotes a replica of shard <strong>{nodeGroupId}</strong> of <strong>{replicationGroupId}</strong> ({placeLabel(place)}) to primary
          {shard?.primary ? (
            <>
              ; the current primary <strong>{shard.primary}</strong> becomes a replica
            </>
          ) : null}
          . Clients of this shard lose writes for a few seconds while they reconnect. It counts against the daily test failover quota.
        </>
      }
    >
      {shards.length > 1 && (
        <label className="flex flex-col gap-1">
          Shard
          <select
            name="nodeGroupId"
            value={nodeGroupId}
            onChange={(event) => setNodeGroupId(event.target.value)}
            className={selectClass}
          >
            {shards.map((s) => (
              <option key={s.nodeGroupId} value={s.nodeGroupId}>
                {s.nodeGroupId} ({s.replicas} replica{s.replicas === 1 ? "" : "s"})
              </option>
            ))}
          </select>
        </label>
      )}
      <FieldError messages={state.fieldErrors.nodeGroupId} />
    </ConfirmPanel>
  );
}

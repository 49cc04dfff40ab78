"use client";

import { useState } from "react";
import type { modifyNodeType } from "@/lib/actions/modify-node-type";
import { ConfirmPanel, FieldError } from "@/components/actions/confirm-panel";
import { useOperation } from "@/components/actions/use-operation";
import { followUrl } from "@/components/actions/follow-url";
import { selectClass } from "@/components/actions/styles";
import { placeLabel, type Place } from "@/lib/place";

interface Props {
  action: typeof modifyNodeType;
  place: Place;
  replicationGroupId: string;
  current: string;
  /** From ListAllowedNodeTypeModifications. */
  scaleUp: string[];
  scaleDown: string[];
  /** Pre-selected (a rightsizing link); ignored unless it is one of the allowed types. */
  initial?: string;
}

export function NodeTypeForm({ action, place, replicationGroupId, current, scaleUp, scaleDown, initial }: Props) {
  const offered = initial !== undefined && (scaleUp.includes(initial) || scaleDown.includes(initial));
  const [cacheNodeType, setCacheNodeType] = useState(offered ? initial : (scaleUp[0] ?? scaleDown[0] ?? ""));
  const { submit, state } = useOperation(action, (_data, auditId) => followUrl(place, replicationGroupId, auditId), (data, auditId) => `Node type change to ${data.to} started. Audit record #${auditId}.`);
  const direction = scaleUp.includes(cacheNodeType) ? "up" : "down";

  return (
    <ConfirmPanel
      title="Node type"
      testId="operation-node-type"
      verb="Change node type"
      confirmText={replicationGroupId}
      state={state}
      onConfirm={(confirmation) => submit({ ...place, replicationGroupId, cacheNodeType, confirmation })}
      effect={
        <>
          Scales every node of <strong>{replicationGroupId}</strong> ({placeLabel(place)}) {direction} from <strong>{current}</strong> to{" "}
          <strong>{cacheNodeType || "…"}</strong>: new nodes are created and synced, then endpoints switch over, with a brief disconnect per node.
          {direction === "down" && " A scale-down fails if the data does not fit the smaller nodes."}
        </>
      }
    >
      <label className="flex flex-col gap-1">
        New node type
        <select name="cacheNodeType" value={cacheNodeType} onChange={(e) => setCacheNodeType(e.target.value)} className={selectClass}>
          {scaleUp.length > 0 && (
            <optgroup label="Scale up">
              {scaleUp.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </optgroup>
          )}
          {scaleDown.length > 0 && (
            <optgroup label="Scale down">
              {scaleDown.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      <FieldError messages={state.fieldErrors.cacheNodeType} />
    </ConfirmPanel>
  );
}

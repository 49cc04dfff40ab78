"use client";

import { useState } from "react";
import type { startDrill } from "@/lib/actions/start-drill";
import type { DrillKind, DrillObjectives } from "@/lib/drills/model";
import { ConfirmPanel, FieldError } from "@/components/actions/confirm-panel";
import { useOperation } from "@/components/actions/use-operation";
import { numberClass } from "@/components/actions/styles";

interface Props {
  action: typeof startDrill;
  account: string;
  region: string;
  replicationGroupId: string;
  kind: DrillKind;
  shards: string[];
  availabilityZone: string | null;
  durationSeconds: number | null;
  probe: boolean;
  defaults: DrillObjectives;
  /** What the drill will do, in words, naming the group and shards. */
  effect: string;
}

const objectiveFields: [keyof DrillObjectives, string][] = [
  ["newPrimarySeconds", "Time to new primary (s)"],
  ["healthySeconds", "Time to fully healthy (s)"],
  ["writeOutageSeconds", "Longest write outage (s)"],
];

/** The objectives (prefilled from configuration) and the typed confirmation that starts the drill. */
export function StartDrillForm({ action, account, region, replicationGroupId, kind, shards, availabilityZone, durationSeconds, probe, defaults, effect }: Props) {
  const [objectives, setObjectives] = useState<Record<keyof DrillObjectives, string>>({
    newPrimarySeconds: String(defaults.newPrimarySeconds),
    healthySeconds: String(defaults.healthySeconds),
    writeOutageSeconds: String(defaults.writeOutageSeconds),
  });
  const { submit, state } = useOperation(action, (data) => `/drills/${data.drillId}`, (data, auditId) => `Drill #${data.drillId} started (audit record #${auditId}). Opening its live timeline…`);

  return (
    <ConfirmPanel
      title="Objectives and start"
      testId="start-drill"
      verb="Start drill"
      confirmText={replicationGroupId}
      state={state}
      effect={effect}
      onConfirm={(confirmation) =>
        submit({
          account,
          region,
          replicationGroupId,
          kind,
          shards,
          availabilityZone,
          durationSeconds,
          probe,
          objectives,
          confirmation,
        })
      }
    >
      <fieldset className="flex flex-wrap gap-4">
        <legend className="mb-1 text-sm font-medium">Objectives (the verdict judges the drill against them)</legend>
        {objectiveFields.map(([field, label]) => (
          <label key={field} className="flex flex-col gap-1">
            {label}
            <input
              name={field}
              type="number"
              min={field === "writeOutageSeconds" ? 0 : 1}
              step="any"
              required
              value={objectives[field]}
              onChange={(event) => setObjectives({ ...objectives, [field]: event.target.value })}
              className={numberClass}
            />
          </label>
        ))}
      </fieldset>
      <FieldError messages={[...(state.fieldErrors.objectives ?? []), ...(state.fieldErrors.shards ?? [])]} />
    </ConfirmPanel>
  );
}

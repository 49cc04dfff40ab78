"use client";

import { useState } from "react";
import { createRecommendedAlarms } from "@/lib/actions/create-recommended-alarms";
import type { FleetRow } from "@/lib/data/fleet-rows";
import { alarmsCoverage } from "./fleet-columns";

interface Outcome {
  key: string;
  id: string;
  ok: boolean;
  text: string;
}

/**
 * The fleet filtered to "missing recommended" alarms: one click creates them for every cache shown. Each cache is its
 * own call of the action, so each is authorized in its own account and audited on its own; a refusal (a role that
 * may not in that account) is listed and the others go on.
 */
export function CreateAlarmsForShown({ rows }: { rows: readonly FleetRow[] }) {
  const targets = rows.filter((r) => alarmsCoverage(r) === "missing recommended");
  const [running, setRunning] = useState(false);
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  if (targets.length === 0 && outcomes.length === 0) return null;
  const run = async () => {
    setRunning(true);
    setOutcomes([]);
    for (const row of targets) {
      const input = { account: row.account, region: row.region, kind: row.kind === "serverless" ? ("serverless" as const) : ("cluster" as const), cacheId: row.id };
      let outcome: Outcome;
      try {
        const result = await createRecommendedAlarms(input);
        outcome = result.ok
          ? { key: row.key, id: row.id, ok: true, text: `${result.data.created.length} created (audit #${result.auditId})` }
          : { key: row.key, id: row.id, ok: false, text: result.error };
      } catch {
        outcome = { key: row.key, id: row.id, ok: false, text: "CacheDeck could not be reached." };
      }
      setOutcomes((before) => [...before, outcome]);
    }
    setRunning(false);
  };
  return (
    <div className="space-y-2 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800" data-testid="create-alarms-for-shown">
      <button type="button" onClick={() => void run()} disabled={running || targets.length === 0} className="rounded-md bg-sky-700 px-3 py-1.5 font-medium text-white hover:bg-sky-800 disabled:cursor-not-allowed disabled:opacity-50">
        {running ? `Creating alarms… (${outcomes.length} of ${targets.length})` : `Create the missing recommended alarms of ${targets.length} cache${targets.length === 1 ? "" : "s"}`}
      </button>
      {outcomes.length > 0 && (
        <ul className="space-y-0.5" aria-live="polite">
          {outcomes.map((o) => (
            <li key={o.key} className={o.ok ? "text-emerald-800 dark:text-emerald-300" : "text-red-800 dark:text-red-300"}>
              <span className="font-mono">{o.id}</span>: {o.text}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

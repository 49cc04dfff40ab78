"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { createRecommendedAlarms, type CreateRecommendedAlarmsInput } from "@/lib/actions/create-recommended-alarms";
import type { AlarmRowView, AlarmsView } from "@/lib/data/alarms";
import type { AlarmState } from "@/lib/posture/recommended-alarms";

/** What a person with alarms.create in the cache's account may do here, and the topic new alarms would notify. */
export interface AlarmsOffer {
  input: CreateRecommendedAlarmsInput;
  topic: string | null;
}

const stateStyles: Record<AlarmState | "missing", string> = {
  OK: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  ALARM: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
  INSUFFICIENT_DATA: "bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300",
  missing: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
};
const stateIcons: Record<AlarmState | "missing", string> = { OK: "●", ALARM: "■", INSUFFICIENT_DATA: "○", missing: "△" };

function StateBadge({ state }: { state: AlarmState | "missing" }) {
  return (
    <span className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ${stateStyles[state]}`} data-testid="alarm-state">
      <span aria-hidden="true">{stateIcons[state]}</span>
      {state === "INSUFFICIENT_DATA" ? "Insufficient data" : state === "missing" ? "Missing" : state}
    </span>
  );
}

/** CloudWatch's standard-resolution price per alarm-metric and month (shared reference, fleet-governance.md). */
const usdPerAlarmMonth = 0.1;

interface Outcome {
  error?: string;
  success?: string;
}

function CreateButton({ offer, missing, setOutcome }: { offer: AlarmsOffer; missing: number; setOutcome: (outcome: Outcome) => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // Marks the button live once React has hydrated it, for browser tests that must not click dead HTML.
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.setAttribute("data-ready", "true"), []);
  const create = () =>
    startTransition(async () => {
      try {
        const result = await createRecommendedAlarms(offer.input);
        if (!result.ok) return setOutcome({ error: [result.error, ...Object.values(result.fieldErrors ?? {}).flat()].join(" ") });
        setOutcome({ success: `Created ${result.data.created.length} alarm${result.data.created.length === 1 ? "" : "s"} (audit record #${result.auditId}). Their state shows here within a minute.` });
        router.refresh();
      } catch {
        setOutcome({ error: "CacheDeck could not be reached. Check your connection, then try again." });
      }
    });
  return (
    <div ref={box} className="space-y-2 rounded-md border border-slate-200 p-3 text-sm dark:border-slate-800" data-testid="create-alarms">
      <p>
        Creates the {missing} missing alarm{missing === 1 ? "" : "s"} with the thresholds below (CloudWatch bills about ${(missing * usdPerAlarmMonth).toFixed(2)} a month for them).{" "}
        {offer.topic ? (
          <>They notify <code className="font-mono">{offer.topic}</code> when they go to ALARM and back to OK.</>
        ) : (
          <>No SNS topic is configured (CACHEDECK_ALARM_SNS_TOPIC_ARN or the account&apos;s alarmTopicArn): they change state here and in CloudWatch, and notify no one.</>
        )}
      </p>
      <button type="button" onClick={create} disabled={pending} className="rounded-md bg-sky-700 px-3 py-1.5 font-medium text-white hover:bg-sky-800 disabled:cursor-not-allowed disabled:opacity-50">
        {pending ? "Creating alarms…" : `Create ${missing} recommended alarm${missing === 1 ? "" : "s"}`}
      </button>
    </div>
  );
}

function OutcomeMessage({ outcome }: { outcome: Outcome }) {
  if (outcome.error) return <p role="alert" className="rounded-md border border-red-400 bg-red-50 p-2 text-sm text-red-900 dark:bg-red-950 dark:text-red-100">{outcome.error}</p>;
  if (outcome.success) return <p role="status" className="rounded-md border border-emerald-400 bg-emerald-50 p-2 text-sm text-emerald-900 dark:bg-emerald-950 dark:text-emerald-100">{outcome.success}</p>;
  return null;
}

/**
 * Above this many alarms (a cluster of more than ten nodes; 540 for 30 shards × 3) the table is drawn only when asked
 * for: the count above it says how many exist and how many are in ALARM, and thousands of rows would weigh on every
 * load of the page.
 */
const longList = 60;

function AlarmsTable({ rows }: { rows: AlarmRowView[] }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="alarms-table">
        <thead className="text-xs uppercase text-slate-500 dark:text-slate-400">
          <tr>
            <th className="py-1 pr-3 font-medium">Node</th>
            <th className="py-1 pr-3 font-medium">Metric</th>
            <th className="py-1 pr-3 font-medium">Alarms when</th>
            <th className="py-1 pr-3 font-medium">State</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name} className="border-t border-slate-200 dark:border-slate-800" data-alarm={row.name} title={row.why}>
              <td className="py-1 pr-3 font-mono text-xs">{row.target}</td>
              <td className="py-1 pr-3">{row.metric}</td>
              <td className="py-1 pr-3">{row.rule}</td>
              <td className="py-1 pr-3">
                <StateBadge state={row.state} />
                {row.names.length > 0 && row.names[0] !== row.name && <span className="ml-2 text-xs text-slate-500">as {row.names.join(", ")}</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Each recommended alarm with its state; the missing ones created in one audited action by those who may. */
export function RecommendedAlarms({ alarms, offer }: { alarms: AlarmsView | undefined; offer?: AlarmsOffer }) {
  // Held here, not in the button: the refreshed page has nothing left to create and drops the button, while the
  // person still needs to read what was created (or why not).
  const [outcome, setOutcome] = useState<Outcome>({});
  const [open, setOpen] = useState(false);
  if (!alarms) return <p className="text-sm text-slate-600 dark:text-slate-400">The region&apos;s alarms have not been read yet; they show within a minute.</p>;
  const missing = alarms.recommended - alarms.present;
  return (
    <div className="space-y-2" data-testid="recommended-alarms">
      <p className="text-sm" data-testid="alarm-count">
        {alarms.present} of {alarms.recommended} recommended alarms exist
        {alarms.rows.some((r) => r.state === "ALARM") ? ` · ${alarms.rows.filter((r) => r.state === "ALARM").length} in ALARM` : ""}.
      </p>
      {missing > 0 && offer && <CreateButton offer={offer} missing={missing} setOutcome={setOutcome} />}
      <OutcomeMessage outcome={outcome} />
      {alarms.rows.length > longList ? (
        <details onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="all-alarms">
          <summary className="cursor-pointer text-sm underline-offset-2 hover:underline">Show all {alarms.rows.length} alarms</summary>
          {open && <AlarmsTable rows={alarms.rows} />}
        </details>
      ) : (
        <AlarmsTable rows={alarms.rows} />
      )}
    </div>
  );
}

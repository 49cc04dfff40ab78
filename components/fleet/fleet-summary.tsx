"use client";

import type { FleetCounts } from "@/lib/data/fleet-query";
import { QueryLink, useFleetParams } from "./use-fleet-params";

const tiles = [
  { key: "critical", label: "Critical", style: "border-red-400 dark:border-red-700" },
  { key: "warning", label: "Warning", style: "border-amber-400 dark:border-amber-700" },
  { key: "healthy", label: "Healthy", style: "border-emerald-400 dark:border-emerald-700" },
  { key: "unknown", label: "No data", style: "border-slate-300 dark:border-slate-700" },
] as const;

/** Counts over the whole fleet; each tile filters the table to its clusters (and a second click clears that). */
export function FleetSummary({ counts }: { counts: FleetCounts }) {
  const { params } = useFleetParams();
  return (
    <section aria-label="Fleet health summary" className="grid grid-cols-2 gap-2 sm:grid-cols-5">
      <div className="rounded-md border border-slate-300 bg-white p-3 dark:border-slate-700 dark:bg-slate-900">
        <div className="text-2xl font-semibold" data-testid="count-total">{counts.total}</div>
        <div className="text-xs text-slate-600 dark:text-slate-400">Clusters</div>
      </div>
      {tiles.map((t) => (
        <QueryLink
          key={t.key}
          changes={{ health: params.health === t.key ? undefined : t.key }}
          aria-current={params.health === t.key ? "true" : undefined}
          className={`rounded-md border-l-4 border bg-white p-3 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-600 aria-[current=true]:ring-2 aria-[current=true]:ring-sky-600 dark:bg-slate-900 dark:hover:bg-slate-800 ${t.style}`}
        >
          <div className="text-2xl font-semibold" data-testid={`count-${t.key}`}>{counts[t.key]}</div>
          <div className="text-xs text-slate-600 dark:text-slate-400">{t.label}</div>
        </QueryLink>
      ))}
    </section>
  );
}

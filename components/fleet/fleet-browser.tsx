"use client";

import { useMemo } from "react";
import { useMediaQuery } from "@/components/ui/use-media-query";
import { costTotal } from "@/lib/cost/totals";
import { countHealth, filterFleet, filterOptions, parseFleetQuery, sortFleet, valuesOf } from "@/lib/data/fleet-query";
import { CreateAlarmsForShown } from "./create-alarms-for-shown";
import { FleetCards } from "./fleet-cards";
import { columnFiltersOf, filterColumns, fleetSorts } from "./fleet-columns";
import { FleetFilters } from "./fleet-filters";
import { FleetCostTotal } from "./fleet-cost-total";
import { useFleetRows } from "./fleet-store";
import { FleetSummary } from "./fleet-summary";
import { FleetTable } from "./fleet-table";
import { useFleetParams } from "./use-fleet-params";

/** Tailwind's `md`: from here up the table fits, below it cards do. */
const phoneQuery = "(max-width: 47.999rem)";

/**
 * The fleet as the browser holds it: the summary, the filters and the rows, all derived from the store and the URL on
 * every change, with no request to the server. The sort runs only when the rows or the sort change, so typing in the
 * search box only filters.
 */
/** `mayCreateAlarms`: the person holds alarms.create in some account (each cache's own is checked by the action). */
export function FleetBrowser({ regions, phoneGuess, mayCreateAlarms }: { regions: string[]; phoneGuess: boolean; mayCreateAlarms: boolean }) {
  const rows = useFleetRows();
  const { params } = useFleetParams();
  const query = useMemo(() => parseFleetQuery(params), [params]);
  const { sort, dir, group } = query;
  const sorted = useMemo(() => sortFleet(rows, { sort, dir, group }, fleetSorts), [rows, sort, dir, group]);
  const shown = useMemo(() => filterFleet(sorted, query, columnFiltersOf(params)), [sorted, query, params]);
  const counts = useMemo(() => countHealth(rows), [rows]);
  const cost = useMemo(() => costTotal(rows), [rows]);
  const options = useMemo(() => filterOptions(rows), [rows]);
  const columnOptions = useMemo(() => filterColumns.map((c) => valuesOf(rows, c.filter.value)), [rows]);
  const phone = useMediaQuery(phoneQuery, phoneGuess);
  // A deployment of one account (no accounts file) is not told about accounts.
  const accounts = options.accounts.length > 1 || options.accounts.some((a) => a !== "default");

  return (
    <>
      <FleetSummary counts={counts} />
      <FleetCostTotal total={cost} />
      <FleetFilters options={options} columnOptions={columnOptions} accounts={accounts} />
      <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite" data-testid="shown-count">
        Showing {shown.length} of {rows.length} clusters
      </p>
      {mayCreateAlarms && params.alarms === "missing recommended" && <CreateAlarmsForShown rows={shown} />}
      {rows.length === 0 ? (
        <EmptyFleet regions={regions} />
      ) : shown.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm dark:border-slate-700">No cluster matches these filters. Clear them to see the whole fleet.</p>
      ) : phone ? (
        <FleetCards rows={shown} accounts={accounts} />
      ) : (
        <FleetTable rows={shown} accounts={accounts} grouped={group === "account"} />
      )}
    </>
  );
}

/** `regions`: those read without a problem; a region that failed is explained above the table, not called empty. */
function EmptyFleet({ regions }: { regions: string[] }) {
  if (regions.length === 0) return null;
  return (
    <div className="rounded-md border border-dashed border-slate-300 p-6 text-sm dark:border-slate-700">
      <p className="font-medium">No ElastiCache clusters in {regions.join(", ")}.</p>
      <p className="mt-1 text-slate-600 dark:text-slate-400">
        Set CACHEDECK_REGIONS to the regions your caches run in (for example <code>CACHEDECK_REGIONS=us-east-1,eu-west-1</code>), or start the
        local demo with <code>npm run demo</code>.
      </p>
    </div>
  );
}

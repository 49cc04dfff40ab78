import type { Metadata } from "next";
import { FleetFilters } from "@/components/fleet/fleet-filters";
import { FleetSummary } from "@/components/fleet/fleet-summary";
import { FleetTable } from "@/components/fleet/fleet-table";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { ProblemPanel } from "@/components/ui/problem-panel";
import { RangePicker } from "@/components/ui/range-picker";
import { flatParams, withParams, type SearchParams } from "@/components/ui/url";
import { requireSession } from "@/lib/auth/session";
import { loadFleet } from "@/lib/data/fleet";
import { countHealth, filterFleet, filterOptions, parseFleetQuery, sortFleet } from "@/lib/data/fleet-query";
import { requestTime, resolveTimeWindow } from "@/lib/data/time-range";

export const metadata: Metadata = { title: "Fleet" };

export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = flatParams(await searchParams);
  await requireSession(withParams("/", params, {}));
  const now = requestTime();
  const { window, notice } = resolveTimeWindow(params, now);
  const fleet = await loadFleet(window, now);
  const query = parseFleetQuery(params);
  const shown = sortFleet(filterFleet(fleet.clusters, query), query);
  const failing = fleet.regions.filter((r) => r.problems.length > 0);

  return (
    <main className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Fleet</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {fleet.regions.map((r) => r.region).join(", ")} · health over {window.label.toLowerCase()}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <RangePicker path="/" params={params} window={window} />
          <LiveRefresh seconds={30} renderedAt={fleet.generatedAt} />
        </div>
      </div>
      {notice && <p className="text-sm text-amber-800 dark:text-amber-300">{notice}</p>}
      <ProblemPanel problems={failing.flatMap((r) => r.problems)} title="Some regions could not be read completely; the rest of the fleet is shown." />
      <FleetSummary counts={countHealth(fleet.clusters)} params={params} />
      <FleetFilters params={params} options={filterOptions(fleet.clusters)} />
      <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
        Showing {shown.length} of {fleet.clusters.length} clusters
      </p>
      {fleet.clusters.length === 0 ? (
        <EmptyFleet regions={fleet.regions.map((r) => r.region)} />
      ) : shown.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 p-6 text-center text-sm dark:border-slate-700">No cluster matches these filters. Clear them to see the whole fleet.</p>
      ) : (
        <FleetTable clusters={shown} params={params} />
      )}
    </main>
  );
}

function EmptyFleet({ regions }: { regions: string[] }) {
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

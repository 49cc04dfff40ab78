import type { Metadata } from "next";
import { headers } from "next/headers";
import { FleetBrowser } from "@/components/fleet/fleet-browser";
import { FleetStoreProvider } from "@/components/fleet/fleet-store";
import { FleetParamsProvider } from "@/components/fleet/use-fleet-params";
import { FleetRangePicker } from "@/components/fleet/fleet-range-picker";
import { FleetLive } from "@/components/live/fleet-live";
import { ProblemPanel } from "@/components/ui/problem-panel";
import { flatParams, withParams, type SearchParams } from "@/components/ui/url";
import { canInSomeAccount } from "@/lib/auth/permissions";
import { requireSession } from "@/lib/auth/session";
import { loadFleet } from "@/lib/data/fleet";
import { placesWhere } from "@/lib/accounts";
import { toFleetRows } from "@/lib/data/fleet-rows";
import { packFleetRows } from "@/lib/data/fleet-wire";
import { placeLabel } from "@/lib/place";
import { requestTime, resolveTimeWindow } from "@/lib/data/time-range";

export const metadata: Metadata = { title: "Fleet" };

export default async function FleetPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const params = flatParams(await searchParams);
  const user = await requireSession(withParams("/", params, {}));
  const now = requestTime();
  const { window, notice } = resolveTimeWindow(params, now);
  // Only the accounts where the person has a role: someone admitted by one account's rules sees that account alone.
  const fleet = await loadFleet(window, now, placesWhere(user, "fleet.read"));
  const failing = fleet.regions.filter((r) => r.problems.length > 0);
  const loading = fleet.regions.filter((r) => r.loading).map((r) => placeLabel(r));

  return (
    <FleetStoreProvider packed={packFleetRows(toFleetRows(fleet))}>
    <FleetParamsProvider>
    <main className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-xl font-semibold">Fleet</h1>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            {[...new Set(fleet.regions.map((r) => placeLabel(r)))].join(", ")} · health over {window.label.toLowerCase()}
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <FleetRangePicker window={window} />
          <FleetLive renderedAt={fleet.generatedAt} range={{ range: params.range, from: params.from, to: params.to }} />
        </div>
      </div>
      {notice && <p className="text-sm text-amber-800 dark:text-amber-300">{notice}</p>}
      {loading.length > 0 && (
        <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="regions-loading" aria-live="polite">
          Still reading {loading.join(", ")} from AWS; its caches appear here as soon as they arrive.
        </p>
      )}
      <ProblemPanel problems={failing.flatMap((r) => r.problems)} role={user.role} title="Some accounts or regions could not be read completely; the rest of the fleet is shown." />
      <FleetBrowser regions={[...new Set(fleet.regions.filter((r) => r.problems.length === 0 && !r.loading).map((r) => placeLabel(r)))]} phoneGuess={await looksLikePhone()} mayCreateAlarms={canInSomeAccount(user, "alarms.create")} />
    </main>
    </FleetParamsProvider>
    </FleetStoreProvider>
  );
}

/** The server's guess at the layout, from the browser's own hint; the client corrects it by media query. */
async function looksLikePhone(): Promise<boolean> {
  const h = await headers();
  return h.get("sec-ch-ua-mobile") === "?1" || /iPhone|Android.+Mobile|Mobi/i.test(h.get("user-agent") ?? "");
}

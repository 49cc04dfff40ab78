import "server-only";
import { fleetPlaces } from "@/lib/accounts";
import type { Place } from "@/lib/place";
import { watcherFor } from "@/lib/watcher";
import type { FleetView } from "./model";
import { healthWindow, type TimeWindow } from "./time-range";

/**
 * A page waits this long for a region whose watcher is still on its first reads (a cold start); a region slower
 * than that is shown as loading and arrives over the live stream, so one slow region delays nothing else.
 */
export const firstReadWaitMs = 4_000;

/**
 * Every configured account × region from its watcher's memory: no AWS call once the watchers are warm, whatever the
 * number of viewers. A region or account that failed (an account whose role cannot be assumed) is reported with what
 * to do and the others still render.
 */
export async function loadFleet(window: TimeWindow, now: number, places: Place[] = fleetPlaces(), waitMs = firstReadWaitMs): Promise<FleetView> {
  const sparkWindow = healthWindow(window, now);
  const perRegion = await Promise.all(
    places.map(async (place) => {
      const watcher = watcherFor(place);
      const ready = await watcher.ready(waitMs);
      const view = watcher.view(window, now);
      return { ...view, report: { ...view.report, loading: view.report.loading || !ready } };
    }),
  );
  return {
    window: sparkWindow,
    regions: perRegion.map((r) => r.report),
    clusters: perRegion.flatMap((r) => r.clusters),
    generatedAt: now,
  };
}

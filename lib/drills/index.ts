import "server-only";
import { getAuditLog } from "@/lib/audit";
import { getDatabase } from "@/lib/db/connection";
import { drillConfig } from "@/lib/env";
import { drillCharts } from "@/lib/drills/charts";
import type { Drill } from "@/lib/drills/model";
import type { ObservedGroup } from "@/lib/drills/observe";
import { runPreflight, type Preflight, type PreflightRequest } from "@/lib/drills/preflight";
import { DrillRun } from "@/lib/drills/runner";
import { DEFAULT_STALE_AFTER_MS, DrillStore } from "@/lib/drills/store";
import { runnerIsGone, thisRunner } from "@/lib/drills/runner-identity";
import { settleStoppedUpgradeProbes } from "@/lib/drills/upgrade-probe";
import { watcherFor } from "@/lib/watcher";
import type { Place } from "@/lib/place";

// The drills of this CacheDeck process: the store over the shared database, the pre-flight with live AWS facts, and
// runners that execute in the server process (never in the browser), one per running drill.

const log = (message: string, error?: unknown) => console.error(`[cachedeck] ${message}`, ...(error === undefined ? [] : [error]));

let store: Promise<DrillStore> | undefined;

export function getDrillStore(): Promise<DrillStore> {
  if (!store) {
    store = getDatabase().then(({ db }) => new DrillStore(db, { runner: thisRunner, runnerGone: runnerIsGone }));
    store.catch(() => {
      store = undefined;
    });
  }
  return store;
}

export async function preflight(request: PreflightRequest): Promise<Preflight> {
  return runPreflight(request, { store: await getDrillStore(), audit: await getAuditLog(), config: drillConfig(), log });
}

/** Starts the runner in the background; the drill's record, timeline and report carry everything it does. */
export async function launchDrill(drill: Drill, before: ObservedGroup): Promise<void> {
  const expectChange = (place: Place, id: string) => watcherFor(place).expectChange(id);
  const run = new DrillRun(drill, { store: await getDrillStore(), audit: await getAuditLog(), config: drillConfig(), log, charts: drillCharts, expectChange }, before);
  void run.run().catch((error) => log(`drill #${drill.id}: runner crashed`, error));
}

/** Drills whose process died, marked interrupted with their reports (the store writes both in one transaction). */
async function markInterrupted(): Promise<void> {
  // Every instance sweeps; the update that marks a drill is conditional on it still running, so exactly one instance
  // gets its id back and writes its report.
  for (const id of await (await getDrillStore()).markStaleInterrupted()) {
    log(`drill #${id} lost the CacheDeck instance running it; marked interrupted, report kept`);
  }
}

/**
 * From start-up on, every stale-after interval, work whose owning instance died (this process's predecessor, or
 * another instance on the same database) is settled within two intervals of its last heartbeat, as long as any
 * instance is alive: drills are marked interrupted with their reports, engine upgrade probes recorded as stopped.
 */
export function recoverAbandonedWork(): void {
  const sweep = () => {
    void markInterrupted().catch((error) => log("marking interrupted drills failed", error));
    void settleStoppedUpgradeProbes()
      .then((ids) => ids.forEach((id) => log(`the engine upgrade probe of audit record #${id} lost the CacheDeck instance running it; recorded as stopped`)))
      .catch((error) => log("recording stopped upgrade probes failed", error));
  };
  sweep();
  setInterval(sweep, DEFAULT_STALE_AFTER_MS).unref();
}

import "server-only";
import { getDatabase } from "@/lib/db/connection";
import { watcherConfig } from "@/lib/env";
import { placeKey, type Place } from "@/lib/place";
import { budgetShareOf, phaseOf } from "./budget-share";
import { RegionWatcher, type WatcherKey, type WatcherStatus } from "./region-watcher";
import { defaultRelayOptions, WatcherRelay, type DetailPage, type ServeDetail } from "./relay";

export type { NodeRoleUpdate, RegionView, WatcherChange, WatcherKey, WatcherStatus } from "./region-watcher";
export type { RegionWatcher } from "./region-watcher";

// One watcher per account × region for the whole process, kept on globalThis so Next's separately bundled route
// handlers and pages (and dev-mode reloads) share it instead of each starting its own.
interface Registry {
  watchers: Map<string, RegionWatcher>;
  streams: Map<string, number>;
  /** With Postgres: the lease and relay shared with the other app instances on the same database. */
  relay?: WatcherRelay;
}
const registry: Registry = ((globalThis as { __cachedeckWatchers?: Registry }).__cachedeckWatchers ??= {
  watchers: new Map(),
  streams: new Map(),
});

const keyOf = (key: WatcherKey) => placeKey(key);

// How this instance, when it leads, reads a follower's cluster page. Installed by index.ts from detail-feed.ts, which
// itself needs this registry: a hook instead of an import keeps the modules free of a cycle.
let detailServer: ServeDetail | undefined;
export function installDetailServer(server: ServeDetail): void {
  detailServer = server;
}

/** Several instances can share a Postgres database, never a SQLite file: only then is there a leader to follow. */
function sharedRelay(): WatcherRelay | null {
  const url = watcherConfig().sharedDatabaseUrl;
  if (!url) return null;
  registry.relay ??= new WatcherRelay(
    url,
    async () => (await getDatabase()).db,
    (message, error) => console.error(`[cachedeck] ${message}`, ...(error === undefined ? [] : [error])),
    defaultRelayOptions,
    (place, page, minAt) => {
      if (!detailServer) throw new Error("the watcher's detail server is not installed (import @/lib/watcher, not its registry)");
      return detailServer(place, page, minAt);
    },
  );
  return registry.relay;
}

/**
 * A follower's cluster page detail, read by the instance leading its watcher (no AWS call here); null when this
 * instance leads it or there is no shared database, and the caller reads for itself.
 */
export function detailFromLeader(place: Place, key: string, page: DetailPage, minAt: number): Promise<{ at: number; detail: unknown }> | null {
  const relay = registry.relay;
  const watcher = registry.watchers.get(keyOf(place));
  if (!relay || !watcher || watcher.isLeading) return null;
  return relay.detailFromLeader(keyOf(place), key, page, minAt);
}

/** The watcher of an account's region (started on first use), touched: it will not idle while pages keep asking. */
export function watcherFor(place: Place): RegionWatcher {
  const key = { account: place.account, region: place.region };
  let watcher = registry.watchers.get(keyOf(key));
  if (!watcher) {
    const relay = sharedRelay();
    const id = keyOf(key);
    const budgetShare = () => {
      const self = registry.watchers.get(id);
      return self ? budgetShareOf(self, registry.watchers.values()) : 1;
    };
    const phase = () => phaseOf(id, registry.watchers.keys());
    watcher = new RegionWatcher(key, watcherConfig(), Date.now(), { follow: relay !== null, budgetShare, phase });
    registry.watchers.set(keyOf(key), watcher);
    relay?.attach(keyOf(key), watcher);
  }
  watcher.touch();
  return watcher;
}

/** A push stream opened (+1) or closed (−1) on this watcher: the admin page's viewer count. */
export function countStream(watcher: RegionWatcher, delta: 1 | -1): void {
  const key = keyOf(watcher.key);
  registry.streams.set(key, Math.max(0, (registry.streams.get(key) ?? 0) + delta));
}

export function watcherStatuses(now = Date.now()): WatcherStatus[] {
  return [...registry.watchers.entries()].map(([key, w]) => w.status(registry.streams.get(key) ?? 0, now));
}

/** Stops and forgets every watcher: tests that switch endpoints start from nothing. */
export async function stopAllWatchers(): Promise<void> {
  for (const watcher of registry.watchers.values()) watcher.stop();
  registry.watchers.clear();
  registry.streams.clear();
  const relay = registry.relay;
  registry.relay = undefined;
  await relay?.close();
}

"use client";

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { applyFleetChanges, type FleetChange } from "@/lib/data/fleet-changes";
import type { FleetRow } from "@/lib/data/fleet-rows";
import { unpackFleetRows } from "@/lib/data/fleet-wire";

/**
 * The fleet the page holds in the browser. The server renders it once; from then on the page sorts, filters and
 * searches it locally, and live updates change it in place through `apply` (see lib/data/fleet-changes.ts for what a
 * change can say). Subscribers hear about every change that altered something.
 */
export interface FleetStore {
  rows(): FleetRow[];
  subscribe(listener: () => void): () => void;
  apply(changes: readonly FleetChange[]): void;
  /** Everything anew (a fresh server render of the page). */
  replace(rows: FleetRow[]): void;
}

export function createFleetStore(initial: FleetRow[]): FleetStore {
  let rows = initial;
  const listeners = new Set<() => void>();
  const set = (next: FleetRow[]) => {
    if (next === rows) return;
    rows = next;
    for (const listener of listeners) listener();
  };
  return {
    rows: () => rows,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    apply: (changes) => set(applyFleetChanges(rows, changes)),
    replace: set,
  };
}

const FleetStoreContext = createContext<FleetStore | null>(null);

/**
 * Holds the page's rows, shipped packed (lib/data/fleet-wire.ts: one string, a fraction of the rows' size); a new
 * `packed` prop (the server rendered the page again) replaces them.
 */
export function FleetStoreProvider({ packed, children }: { packed: string; children: React.ReactNode }) {
  const rows = useMemo(() => unpackFleetRows(packed), [packed]);
  const [store] = useState(() => createFleetStore(rows));
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else store.replace(rows);
  }, [rows, store]);
  return <FleetStoreContext.Provider value={store}>{children}</FleetStoreContext.Provider>;
}

function useFleetStore(): FleetStore {
  const store = useContext(FleetStoreContext);
  if (!store) throw new Error("useFleetStore needs a FleetStoreProvider above it (the fleet page has one)");
  return store;
}

/** The current rows, unsorted and unfiltered; re-renders when a change alters them. */
export function useFleetRows(): FleetRow[] {
  const store = useFleetStore();
  return useSyncExternalStore(store.subscribe, store.rows, store.rows);
}

/** For live updates: `apply(changes)` changes the page's rows in place; the table re-sorts and re-filters itself. */
export function useApplyFleetChanges(): (changes: readonly FleetChange[]) => void {
  const store = useFleetStore();
  return useCallback((changes) => store.apply(changes), [store]);
}

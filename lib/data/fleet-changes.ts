import type { FleetRow, FleetTrends, TrendKey } from "./fleet-rows";
import { trendKeys } from "./fleet-rows";

// Changes to the fleet the browser already holds, as the server-side watcher pushes them (one JSON message can carry
// several). Every change names its row by FleetRow.key; a change for a row the page does not have is ignored, except
// "upsert", which adds it. Applying never touches rows a change does not name, so their identity (and React's memo)
// survives and only changed rows re-render.

/** What can change about a cache without it being a different cache; node roles show on cluster pages, where a
 * failover's effect on the fleet row is its status and activity ("Primary moving to …"). */
export type FleetRowFields = Partial<
  Pick<FleetRow, "status" | "activity" | "engineVersion" | "clusterMode" | "nodeType" | "shards" | "nodes" | "zones" | "tags">
>;

export type FleetChange =
  /** A cache appeared, or everything about it is new. */
  | { type: "upsert"; row: FleetRow }
  /** The cache was deleted. */
  | { type: "remove"; key: string }
  /** Status, activity, topology or tags changed (only the fields given). */
  | { type: "fields"; key: string; fields: FleetRowFields }
  /** Health judged again: level, problems and window figures together. */
  | { type: "health"; key: string; health: FleetRow["health"] }
  /** New (or revised) trend values for the slot holding `t` (epoch ms); a slot past the last one moves the
   * window forward, dropping the oldest slots. Series not named get no value in a new slot. */
  | { type: "points"; key: string; t: number; values: Partial<Record<TrendKey, number | null>> };

function withPoints(trends: FleetTrends, t: number, values: Partial<Record<TrendKey, number | null>>): FleetTrends {
  const length = trends[trendKeys[0]].length;
  const slot = Math.floor((t - trends.start) / trends.step);
  if (slot < 0 || length === 0) return trends;
  const shift = Math.max(0, slot - length + 1);
  const next = { ...trends, start: trends.start + shift * trends.step };
  for (const k of trendKeys) {
    const series = shift === 0 ? [...trends[k]] : [...trends[k].slice(shift), ...new Array<null>(Math.min(shift, length)).fill(null)];
    if (k in values) series[slot - shift] = values[k] ?? null;
    next[k] = series;
  }
  return next;
}

function applyOne(row: FleetRow, change: Exclude<FleetChange, { type: "upsert" | "remove" }>): FleetRow {
  switch (change.type) {
    case "fields":
      return { ...row, ...change.fields };
    case "health":
      return { ...row, health: change.health };
    case "points":
      return row.trends ? { ...row, trends: withPoints(row.trends, change.t, change.values) } : row;
  }
}

/**
 * The rows after `changes`, in order. Returns `rows` itself when nothing applied, so a store can skip notifying;
 * otherwise a new array in which untouched rows are the same objects as before. New rows are appended (the page
 * sorts anyway).
 */
export function applyFleetChanges(rows: readonly FleetRow[], changes: readonly FleetChange[]): FleetRow[] {
  let next: FleetRow[] | null = null;
  let index: Map<string, number> | null = null;
  const positions = () => (index ??= new Map((next ?? rows).map((r, i) => [r.key, i])));
  for (const change of changes) {
    const key = change.type === "upsert" ? change.row.key : change.key;
    const at = positions().get(key);
    if (change.type === "upsert") {
      next ??= [...rows];
      if (at === undefined) {
        index!.set(key, next.length);
        next.push(change.row);
      } else next[at] = change.row;
    } else if (at !== undefined) {
      if (change.type === "remove") {
        next = (next ?? rows).filter((r) => r.key !== key);
        index = null;
      } else {
        const current = (next ?? rows)[at];
        const updated = applyOne(current, change);
        if (updated !== current) {
          next ??= [...rows];
          next[at] = updated;
        }
      }
    }
  }
  return next ?? (rows as FleetRow[]);
}

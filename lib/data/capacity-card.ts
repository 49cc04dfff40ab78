import "server-only";
import { can, type Role } from "@/lib/auth/permissions";
import { savingWhileReserved, type OperationLink } from "@/lib/capacity/rightsizing";
import { priceOf } from "@/lib/cost/prices";
import type { Place } from "@/lib/place";
import { watcherFor } from "@/lib/watcher";
import type { CacheCapacity } from "./capacity";
import { prefillHref } from "./operation-prefill";

/** Reserved nodes the cache draws, and the recommendation's saving while they stay billed (docs/cost.md). */
export interface ReservedWhileResizing {
  nodes: number;
  /** The first of its reservations to end (ISO date). */
  firstEnds: string;
  monthlySavingUsd: number | null;
}

export type CapacityCard =
  | { state: "pending" | "none" }
  | { state: "ready"; capacity: CacheCapacity; now: number; links: { label: string; href: string }[]; reserved: ReservedWhileResizing | null };

const linkLabel = (l: OperationLink) =>
  l.op === "modify-node-type" ? `Change node type to ${l.nodeType}…` : l.op === "modify-shard-count" ? `Reshard to ${l.shards} shard(s)…` : `Set ${l.replicas} replica(s) per shard…`;

/**
 * A cache page's capacity section, from the region watcher's capacity read (shared by every viewer). The scaling links
 * are offered to people who may scale in this account, and only for replication groups (the operations page's target).
 */
export function capacityCard(place: Place, id: string, kind: string, operationsPath: string, role: Role, now = Date.now()): CapacityCard {
  const all = watcherFor(place).capacity(now);
  if (all === null) return { state: "pending" };
  const capacity = all.get(id);
  if (!capacity) return { state: "none" };
  const mayScale = kind === "replication-group" && can(role, "cluster.scale");
  const ops = capacity.recommendation?.verdict === "right-sized" ? [] : (capacity.recommendation?.operations ?? []);
  return {
    state: "ready",
    capacity,
    now,
    links: mayScale ? ops.map((l) => ({ label: linkLabel(l), href: prefillHref(operationsPath, l) })) : [],
    reserved: reservedWhileResizing(place, id, capacity),
  };
}

/** For a recommended change of a cache that draws reserved nodes: how many, until when, and what it saves meanwhile. */
function reservedWhileResizing(place: Place, id: string, capacity: CacheCapacity): ReservedWhileResizing | null {
  const r = capacity.recommendation;
  const watcher = watcherFor(place);
  const cost = watcher.costs.costOf(id);
  const engine = watcher.find(id)?.engine;
  if (!r?.target || r.verdict === "right-sized" || !cost || cost.reservedNodes === 0 || !engine) return null;
  const price = (nodeType: string) => priceOf({ engine, nodeType, region: place.region })?.hourlyUsd ?? null;
  return {
    nodes: cost.reservedNodes,
    firstEnds: new Date(Math.min(...cost.reservations.map((share) => share.end))).toISOString().slice(0, 10),
    monthlySavingUsd: savingWhileReserved(r.current, r.target, cost.reservedNodes, price),
  };
}

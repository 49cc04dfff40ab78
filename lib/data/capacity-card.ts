import "server-only";
import { can, type Role } from "@/lib/auth/permissions";
import type { OperationLink } from "@/lib/capacity/rightsizing";
import type { Place } from "@/lib/place";
import { watcherFor } from "@/lib/watcher";
import type { CacheCapacity } from "./capacity";
import { prefillHref } from "./operation-prefill";

export type CapacityCard =
  | { state: "pending" | "none" }
  | { state: "ready"; capacity: CacheCapacity; now: number; links: { label: string; href: string }[] };

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
  return { state: "ready", capacity, now, links: mayScale ? ops.map((l) => ({ label: linkLabel(l), href: prefillHref(operationsPath, l) })) : [] };
}

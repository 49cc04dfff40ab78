import type { ElastiCacheControlPlane } from "../elasticache/control-plane";

/** Where a fleet entry's traffic goes, read from the control plane's records each time (failovers move primaries). */
export type Target =
  | { kind: "redis"; port: number }
  | { kind: "redis-cluster"; seedPorts: number[] }
  | { kind: "memcached"; ports: number[] }
  | { kind: "unavailable" }
  | { kind: "gone" };

export type ResourceKind = "replicationGroups" | "cacheClusters" | "serverlessCaches";

export interface ResourceRef {
  region: string;
  kind: ResourceKind;
  id: string;
}

/** The target of a resource once it is available; `unavailable` while it is being created or changed. */
export function resolveTarget(cp: ElastiCacheControlPlane, ref: ResourceRef): Target {
  const state = cp.regionState(ref.region);
  const id = ref.id.toLowerCase();
  if (ref.kind === "serverlessCaches") {
    const cache = state.serverlessCaches[ref.id] ?? state.serverlessCaches[id];
    if (!cache) return { kind: "gone" };
    if (cache.status !== "AVAILABLE") return { kind: "unavailable" };
    return cache.engine === "memcached" ? { kind: "memcached", ports: [cache.port] } : { kind: "redis", port: cache.port };
  }
  if (ref.kind === "cacheClusters") {
    const cluster = state.cacheClusters[id];
    if (!cluster) return { kind: "gone" };
    if (cluster.status !== "available") return { kind: "unavailable" };
    const ports = cluster.nodes.map((n) => n.port);
    return cluster.engine === "memcached" ? { kind: "memcached", ports } : { kind: "redis", port: ports[0] };
  }
  const group = state.replicationGroups[id];
  if (!group) return { kind: "gone" };
  if (group.status !== "available") return { kind: "unavailable" };
  const members = group.nodeGroups.flatMap((ng) => ng.memberClusterIds.map((m) => state.cacheClusters[m]?.nodes[0])).filter((n) => n !== undefined);
  if (group.clusterEnabled) return { kind: "redis-cluster", seedPorts: members.map((n) => n.port) };
  const primary = members.find((n) => n.role === "primary");
  return primary ? { kind: "redis", port: primary.port } : { kind: "unavailable" };
}

/** Replica → primary ports of a cluster-mode-disabled replication group that is available; empty otherwise. */
export function replicaLinks(cp: ElastiCacheControlPlane, ref: ResourceRef): { replicaPort: number; primaryPort: number }[] {
  if (ref.kind !== "replicationGroups") return [];
  const state = cp.regionState(ref.region);
  const group = state.replicationGroups[ref.id.toLowerCase()];
  if (!group || group.status !== "available" || group.clusterEnabled) return [];
  return group.nodeGroups.flatMap((ng) => {
    const nodes = ng.memberClusterIds.map((m) => state.cacheClusters[m]?.nodes[0]).filter((n) => n !== undefined && !n.exitedAt);
    const primary = nodes.find((n) => n.role === "primary");
    return primary ? nodes.filter((n) => n.role === "replica").map((n) => ({ replicaPort: n.port, primaryPort: primary.port })) : [];
  });
}

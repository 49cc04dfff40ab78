import type { ClusterDetail } from "./model";

/**
 * A detail with the roles AWS reported since it was read (a failover event names the new primary before any metric
 * or describe shows it). Used on the server when a watcher knows newer roles, and in the browser for pushed ones.
 */
export function withRoles(detail: ClusterDetail, roles: Record<string, "primary" | "replica">): ClusterDetail {
  if (!detail.nodes.some((n) => roles[n.cacheClusterId] && roles[n.cacheClusterId] !== n.role)) return detail;
  const nodes = detail.nodes.map((n) => (roles[n.cacheClusterId] ? { ...n, role: roles[n.cacheClusterId] } : n));
  const shards = detail.shards.map((s) => ({ ...s, primary: nodes.find((n) => n.shardId === s.id && n.role === "primary")?.cacheClusterId ?? s.primary }));
  return { ...detail, nodes, shards };
}

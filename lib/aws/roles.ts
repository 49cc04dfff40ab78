import { shardNodes, type Cache, type CacheEvent, type NodeRole } from "./model";

// Which member of a shard is the primary, decided in one place. AWS reports CurrentRole only with cluster mode
// disabled; with cluster mode enabled the roles are read from ElastiCache's failover events and the IsMaster metric,
// and whichever of the two is newer decides.

export interface IsMasterReading {
  /** Epoch ms of the data point (the start of its period). */
  at: number;
  /** 1 on a primary, 0 on a replica; a period that saw a failover can read in between. */
  value: number;
}

export interface RoleEvidence {
  /** AWS's CurrentRole per member (reported with cluster mode disabled only). */
  reported?: ReadonlyMap<string, string | undefined>;
  /** The newest IsMaster data point of a member, or null without one. */
  isMaster?: (cacheClusterId: string) => IsMasterReading | null;
  /** ElastiCache's events of the group, in any order. */
  events?: readonly CacheEvent[];
}

const failoverPattern = /^Failover from (?:primary )?(?:node )?(\S+) to (?:replica )?(?:node )?(\S+) completed/i;

/** The members a "Failover from … to … completed" event names, or null for any other message. */
export function readFailover(message: string): { from: string; to: string } | null {
  const match = message.trim().match(failoverPattern);
  return match ? { from: match[1], to: match[2] } : null;
}

function reportedRole(role: string | undefined): NodeRole {
  return role === "primary" || role === "replica" ? role : "unknown";
}

/** The newest failover that made one of `members` the primary. */
function newestFailover(members: readonly string[], events: readonly CacheEvent[]): { at: number; primary: string } | null {
  let newest: { at: number; primary: string } | null = null;
  for (const event of events) {
    const failover = readFailover(event.message);
    if (failover && members.includes(failover.to) && (!newest || event.at > newest.at)) newest = { at: event.at, primary: failover.to };
  }
  return newest;
}

/** The primary by the IsMaster data points taken after `after`: exactly one member must read as primary. */
function primaryByIsMaster(members: readonly string[], isMaster: RoleEvidence["isMaster"], after: number): string | null | undefined {
  const fresh = members.flatMap((id) => {
    const reading = isMaster?.(id);
    return reading && reading.at > after ? [{ id, primary: reading.value >= 0.5 }] : [];
  });
  if (fresh.length === 0) return undefined;
  const primaries = fresh.filter((r) => r.primary);
  return primaries.length === 1 ? primaries[0].id : null;
}

/**
 * The role of each member of one shard, in the order given.
 * - Cluster mode disabled: the member's CurrentRole as AWS reports it.
 * - Cluster mode enabled: the newest evidence decides. IsMaster points newer than the last failover event name the
 *   primary when exactly one member reads as primary (a period that straddles a failover can name none or two, and
 *   then the role stays unknown); without such points, the last failover event names it; without either, unknown.
 *   Once the primary is known, every other member is a replica.
 */
export function memberRoles(clusterMode: boolean, members: readonly string[], evidence: RoleEvidence): NodeRole[] {
  if (!clusterMode) return members.map((id) => reportedRole(evidence.reported?.get(id)));
  const failover = newestFailover(members, evidence.events ?? []);
  const byMetric = primaryByIsMaster(members, evidence.isMaster, failover?.at ?? Number.NEGATIVE_INFINITY);
  const primary = byMetric === undefined ? (failover?.primary ?? null) : byMetric;
  return members.map((id) => (primary === null ? "unknown" : id === primary ? "primary" : "replica"));
}

/** The cache with its cluster-mode roles decided from `evidence` (cluster mode disabled keeps AWS's CurrentRole). */
export function withRoleEvidence(cache: Cache, evidence: RoleEvidence): Cache {
  if (!cache.clusterMode) return cache;
  const roles = new Map<string, NodeRole>();
  for (const shard of cache.shards) {
    const ids = shardNodes(cache, shard.id).map((n) => n.cacheClusterId);
    memberRoles(true, ids, evidence).forEach((role, i) => roles.set(ids[i], role));
  }
  return { ...cache, nodes: cache.nodes.map((n) => ({ ...n, role: roles.get(n.cacheClusterId) ?? n.role })) };
}

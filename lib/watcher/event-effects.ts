// What a batch of new ElastiCache events means for the watcher's state, decided without calling AWS: which caches to
// describe again, which roles moved (cluster mode enabled reports no member roles, so a failover event is the only
// prompt source of the new primary), and whether something unknown appeared so the whole region is described.
// Which event reports a failover, and between which members, is lib/aws/roles.ts's rule, the one every role decision uses.

import { readFailover } from "@/lib/aws/roles";

export interface WatchedEvent {
  t: number;
  sourceType: string;
  source: string;
  message: string;
}

export interface RoleMove {
  /** Replication group of the shard, as far as the watcher knows it. */
  group: string | null;
  fromPrimary: string;
  toPrimary: string;
  t: number;
}

export interface EventEffects {
  /** Replication groups, standalone cache clusters and serverless caches to describe again. */
  groups: Set<string>;
  clusters: Set<string>;
  serverless: Set<string>;
  /** Something the watcher does not know (a new cache) or a deletion: describe the whole region. */
  describeAll: boolean;
  roles: RoleMove[];
}

const createdOrDeleted = /\b(created|deleted)\b/i;

export interface KnownCaches {
  groups: ReadonlySet<string>;
  /** Member cache cluster id → its replication group; standalone clusters map to null. */
  clusters: ReadonlyMap<string, string | null>;
  serverless: ReadonlySet<string>;
}

export function eventEffects(events: WatchedEvent[], known: KnownCaches): EventEffects {
  const effects: EventEffects = { groups: new Set(), clusters: new Set(), serverless: new Set(), describeAll: false, roles: [] };
  for (const event of [...events].sort((a, b) => a.t - b.t)) {
    const failover = readFailover(event.message);
    if (createdOrDeleted.test(event.message)) effects.describeAll = true;
    switch (event.sourceType) {
      case "replication-group":
        if (!known.groups.has(event.source)) effects.describeAll = true;
        else effects.groups.add(event.source);
        break;
      case "cache-cluster": {
        if (!known.clusters.has(event.source)) effects.describeAll = true;
        const group = known.clusters.get(event.source);
        if (group) effects.groups.add(group);
        else if (group === null) effects.clusters.add(event.source);
        break;
      }
      case "serverless-cache":
        if (!known.serverless.has(event.source)) effects.describeAll = true;
        else effects.serverless.add(event.source);
        break;
      default:
        break;
    }
    // AWS reports a failover on the group and on the new primary's cluster; one move per failover is enough.
    if (failover && !effects.roles.some((r) => r.toPrimary === failover.to && r.t === event.t)) {
      const group = known.clusters.get(failover.to) ?? known.clusters.get(failover.from) ?? (event.sourceType === "replication-group" ? event.source : null);
      effects.roles.push({ group, fromPrimary: failover.from, toPrimary: failover.to, t: event.t });
    }
  }
  return effects;
}

/** Events are asked for from a little before the last one seen (AWS lists late arrivals); this key drops repeats. */
export function eventKey(event: WatchedEvent): string {
  return `${event.t}|${event.sourceType}|${event.source}|${event.message}`;
}

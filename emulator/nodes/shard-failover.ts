import { ping, replicaOf, replicationStatus, withRedis, type ReplicationStatus } from "./redis-admin";
import { clusterInfo, clusterNodes, isFailing } from "./redis-cluster";
import { waitFor } from "./wait-for";

export interface ReplicaStanding {
  port: number;
  /** The replication offset the replica has processed; the highest is the least behind. */
  offset: number;
  linkUp: boolean;
}

/**
 * The replicas that answer, freshest first. Ranked by each replica's own processed offset rather than the primary's
 * view, so the ranking works the same when the primary is dead.
 */
export async function rankReplicas(replicaPorts: number[]): Promise<ReplicaStanding[]> {
  const standings = await Promise.all(
    replicaPorts.map(async (port): Promise<ReplicaStanding | undefined> => {
      try {
        const status = await replicationStatus(port);
        if (status.role !== "slave") return undefined;
        return { port, offset: status.replicaOffset ?? 0, linkUp: status.masterLinkStatus === "up" };
      } catch {
        return undefined;
      }
    }),
  );
  return standings
    .filter((s): s is ReplicaStanding => s !== undefined)
    .sort((a, b) => b.offset - a.offset || Number(b.linkUp) - Number(a.linkUp));
}

async function chooseReplica(replicaPorts: number[], preferred: number | undefined): Promise<number> {
  if (preferred !== undefined) {
    if (!replicaPorts.includes(preferred)) throw new Error(`port ${preferred} is not one of the replicas ${replicaPorts.join(", ")}`);
    return preferred;
  }
  const [best] = await rankReplicas(replicaPorts);
  if (!best) throw new Error(`no replica answers among ports ${replicaPorts.join(", ")}; nothing to promote`);
  return best.port;
}

export interface FailoverResult {
  promotedPort: number;
  previousPrimaryPort: number;
  /** Whether the previous primary answered and now replicates from the promoted node. */
  previousPrimaryRejoined: boolean;
  /** The other replicas, now replicating from the promoted node. */
  repointedPorts: number[];
}

export interface FailoverOptions {
  primaryPort: number;
  replicaPorts: number[];
  /** Promote this replica instead of the least lagging one (vertical scaling picks its new node). */
  promotePort?: number;
  timeoutMs?: number;
  /**
   * When the chosen replica has not caught up within the timeout, fail over anyway (FAILOVER … FORCE) instead of
   * giving up: what a failover does when the primary must go (writes the replica never received are lost).
   */
  force?: boolean;
}

/**
 * Cluster-mode-disabled failover. With a live primary it uses Redis's coordinated FAILOVER (writes paused until the
 * chosen replica has caught up, so nothing acknowledged is lost; the old primary turns replica itself). With a dead
 * primary the freshest replica is promoted with REPLICAOF NO ONE. Either way the other replicas are re-pointed.
 */
export async function failoverPrimary(options: FailoverOptions): Promise<FailoverResult> {
  const { primaryPort, replicaPorts, timeoutMs = 15_000 } = options;
  const promotedPort = await chooseReplica(replicaPorts, options.promotePort);
  const primaryAlive = await ping(primaryPort);

  if (primaryAlive) {
    await waitForReplicaOnline(primaryPort, promotedPort, timeoutMs);
    const force = options.force ? ["FORCE"] : [];
    await withRedis(primaryPort, (c) => c.call("FAILOVER", "TO", "127.0.0.1", promotedPort, "TIMEOUT", timeoutMs, ...force));
  } else {
    await withRedis(promotedPort, (c) => c.replicaof("NO", "ONE"));
  }
  await waitFor(async () => (await replicationStatus(promotedPort)).role === "master", {
    // A forced failover happens only once FAILOVER's own timeout has passed.
    timeoutMs: options.force ? timeoutMs * 2 : timeoutMs,
    description: `port ${promotedPort} to become primary`,
  });

  const others = replicaPorts.filter((port) => port !== promotedPort);
  await Promise.all(others.map((port) => replicaOf(port, promotedPort)));
  return { promotedPort, previousPrimaryPort: primaryPort, previousPrimaryRejoined: primaryAlive, repointedPorts: others };
}

async function waitForReplicaOnline(primaryPort: number, replicaPort: number, timeoutMs: number): Promise<ReplicationStatus> {
  return waitFor(
    async () => {
      const status = await replicationStatus(primaryPort);
      return status.replicas.some((r) => r.port === replicaPort && r.state === "online") ? status : false;
    },
    { timeoutMs, description: `replica ${replicaPort} to be online at primary ${primaryPort}` },
  );
}

export interface ClusterFailoverOptions {
  /** The shard's replicas; the least lagging one is promoted unless promotePort names one. */
  replicaPorts: number[];
  promotePort?: number;
  /** false when the shard's primary is dead: then TAKEOVER, which needs no vote from it or the other primaries. */
  primaryAlive: boolean;
  timeoutMs?: number;
}

/**
 * Cluster-mode-enabled failover of one shard: CLUSTER FAILOVER on the chosen replica (coordinated with a live
 * primary, TAKEOVER when the primary is dead); resolves when the node reports role master and cluster_state ok and
 * every reachable node sees it as the primary of the shard's slots.
 * A replica that the cluster already promoted by itself (it fails over a dead primary after cluster-node-timeout)
 * counts as done.
 */
export async function failoverClusterShard(options: ClusterFailoverOptions): Promise<{ promotedPort: number }> {
  const { timeoutMs = 20_000 } = options;
  const promotedPort = await chooseClusterReplica(options);
  if ((await replicationStatus(promotedPort)).role !== "master") {
    await withRedis(promotedPort, (c) => (options.primaryAlive ? c.call("CLUSTER", "FAILOVER") : c.call("CLUSTER", "FAILOVER", "TAKEOVER")));
  }
  await waitFor(
    async () => {
      const self = (await clusterNodes(promotedPort)).find((n) => n.flags.includes("myself"));
      return (
        self?.flags.includes("master") &&
        (await replicationStatus(promotedPort)).role === "master" &&
        (await clusterInfo(promotedPort)).cluster_state === "ok"
      );
    },
    { timeoutMs, description: `cluster node ${promotedPort} to take over as primary` },
  );
  await waitForEveryNodeToSeePrimary(promotedPort, timeoutMs);
  return { promotedPort };
}

/** Gossip spreads a failover; until every reachable node has heard, some would still route the shard's slots to the old primary. */
async function waitForEveryNodeToSeePrimary(promotedPort: number, timeoutMs: number): Promise<void> {
  const view = await clusterNodes(promotedPort);
  const promotedId = view.find((n) => n.flags.includes("myself"))?.id;
  // A primary killed a moment ago may not be flagged failing yet; only nodes that answer count.
  const answering = await Promise.all(view.filter((n) => !isFailing(n)).map(async (n) => ((await ping(n.port)) ? n.port : 0)));
  const reachable = answering.filter((port) => port !== 0);
  await waitFor(
    async () => {
      for (const port of reachable) {
        const seen = (await clusterNodes(port)).find((n) => n.id === promotedId);
        if (!seen?.flags.includes("master") || seen.slots.length === 0) return false;
      }
      return true;
    },
    { timeoutMs, description: `every node to see ${promotedPort} as the shard's primary` },
  );
}

async function chooseClusterReplica(options: ClusterFailoverOptions): Promise<number> {
  // The cluster may have promoted one of them already; that one is the answer.
  for (const port of options.replicaPorts) {
    if ((await ping(port)) && (await replicationStatus(port)).role === "master") return port;
  }
  return chooseReplica(options.replicaPorts, options.promotePort);
}

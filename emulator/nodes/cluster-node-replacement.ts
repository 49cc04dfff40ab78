import { replicationStatus } from "./redis-admin";
import { clusterCommand, clusterMyId, clusterNodes, meetNodes, type SlotRange } from "./redis-cluster";
import { waitFor } from "./wait-for";

// Replacing cluster nodes that died (or were stopped to be replaced): the dead identities are forgotten by the nodes
// that remain, fresh nodes (new identities, no data) are introduced, and each takes the place of the node it
// replaces — a replica of its shard's primary, or, when a shard lost every node, the owner of the shard's slots.

/** The cluster ids of the nodes that listened on `ports`, as a live node's table still lists them. */
export async function clusterIdsOfPorts(livePort: number, ports: number[]): Promise<string[]> {
  const view = await clusterNodes(livePort);
  return view.filter((n) => ports.includes(n.port) && !n.flags.includes("myself")).map((n) => n.id);
}

/**
 * Makes every live node forget `ids` (nodes gone for good), so the cluster stops waiting for them and their slots, if
 * any, become free to claim. A node that cannot forget one (it still replicates from it) is left as it is.
 */
export async function forgetNodes(livePorts: number[], ids: string[]): Promise<void> {
  await Promise.all(
    livePorts.map(async (port) => {
      for (const id of ids) await clusterCommand(port, "FORGET", id).catch(() => undefined);
    }),
  );
}

export interface FreshClusterNode {
  port: number;
  /** Replicas: the port of the primary to follow (which may itself be fresh). */
  primaryPort?: number;
  /** Slot owners (a shard that lost every node): the slots to claim. */
  slots?: SlotRange[];
}

/**
 * Introduces fresh cluster-enabled nodes to the cluster `introducerPort` belongs to (or, when no node survived, to each
 * other), lets slot owners claim their slots and replicas follow their primary. Resolves once every replica's
 * replication link is up.
 */
export async function attachFreshNodes(introducerPort: number, nodes: FreshClusterNode[], { timeoutMs = 60_000 } = {}): Promise<void> {
  const newcomers = nodes.map((n) => n.port).filter((port) => port !== introducerPort);
  if (newcomers.length > 0) await meetNodes(introducerPort, newcomers, { timeoutMs });
  for (const owner of nodes.filter((n) => n.slots)) {
    for (const range of owner.slots ?? []) await clusterCommand(owner.port, "ADDSLOTSRANGE", range.start, range.end);
    await clusterCommand(owner.port, "BUMPEPOCH");
  }
  const replicas = nodes.filter((n) => n.primaryPort !== undefined);
  for (const replica of replicas) {
    const primaryId = await clusterMyId(replica.primaryPort as number);
    // A node learns of another's role by gossip; REPLICATE is refused until it knows the primary as a primary.
    await waitFor(() => clusterCommand(replica.port, "REPLICATE", primaryId).then(() => true), {
      timeoutMs,
      description: `port ${replica.port} to replicate from ${replica.primaryPort}`,
    });
  }
  await Promise.all(
    replicas.map((replica) =>
      waitFor(
        async () => {
          const status = await replicationStatus(replica.port);
          return status.role === "slave" && status.masterPort === replica.primaryPort && status.masterLinkStatus === "up" && !status.masterSyncInProgress;
        },
        { timeoutMs, intervalMs: 50, description: `port ${replica.port} to sync from ${replica.primaryPort}` },
      ),
    ),
  );
}

/** "0-5460" or "0-100,200-300" (the records' form) as ranges. */
export function parseSlotRanges(text: string): SlotRange[] {
  return text
    .split(",")
    .filter((part) => part.trim())
    .map((part) => {
      const [start, end = start] = part.trim().split("-");
      return { start: Number(start), end: Number(end) };
    });
}

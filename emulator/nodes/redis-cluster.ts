import { parseInfo, ping, replicationStatus, withRedis } from "./redis-admin";
import { waitFor } from "./wait-for";

export const SLOT_COUNT = 16384;

export interface ShardPorts {
  primaryPort: number;
  replicaPorts: number[];
}

export interface SlotRange {
  start: number;
  end: number;
}

export interface ClusterNodeAddress {
  host: string;
  port: number;
  id: string;
}

export interface ClusterSlotsEntry extends SlotRange {
  primary: ClusterNodeAddress;
  replicas: ClusterNodeAddress[];
}

export interface ClusterNodeEntry extends ClusterNodeAddress {
  flags: string[];
  /** The primary's id for a replica; undefined for a primary. */
  masterId?: string;
  linkState: string;
  slots: SlotRange[];
}

export interface FormedShard extends ShardPorts {
  primaryId: string;
  slots: SlotRange[];
}

/** Slots 0–16383 cut into `count` contiguous ranges whose sizes differ by at most one. */
export function evenSlotRanges(count: number): SlotRange[] {
  return Array.from({ length: count }, (_, i) => ({
    start: Math.floor((i * SLOT_COUNT) / count),
    end: Math.floor(((i + 1) * SLOT_COUNT) / count) - 1,
  }));
}

/** One CLUSTER subcommand on a fresh admin connection; the reply shape depends on the subcommand. */
export async function clusterCommand<T = unknown>(port: number, ...args: Array<string | number>): Promise<T> {
  return (await withRedis(port, (c) => c.call("CLUSTER", ...args))) as T;
}

export async function clusterInfo(port: number): Promise<Record<string, string>> {
  return parseInfo(await clusterCommand<string>(port, "INFO"));
}

export async function clusterMyId(port: number): Promise<string> {
  return clusterCommand<string>(port, "MYID");
}

type RawSlotNode = [string, number, string, ...unknown[]];

function toAddress([host, port, id]: RawSlotNode): ClusterNodeAddress {
  return { host, port: Number(port), id };
}

export async function clusterSlots(port: number): Promise<ClusterSlotsEntry[]> {
  const raw = await clusterCommand<Array<[number, number, ...RawSlotNode[]]>>(port, "SLOTS");
  return raw
    .map(([start, end, primary, ...replicas]) => ({
      start: Number(start),
      end: Number(end),
      primary: toAddress(primary),
      replicas: replicas.map(toAddress),
    }))
    .sort((a, b) => a.start - b.start);
}

/** CLUSTER NODES parsed; slots in migration ("[42->-id]") are left out, only owned ranges are listed. */
export function parseClusterNodes(text: string): ClusterNodeEntry[] {
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => {
      const [id, address, flags, master, , , , linkState, ...slots] = line.trim().split(" ");
      const hostPort = address.split("@")[0];
      const colon = hostPort.lastIndexOf(":");
      return {
        id,
        host: hostPort.slice(0, colon),
        port: Number(hostPort.slice(colon + 1)),
        flags: flags.split(","),
        masterId: master === "-" ? undefined : master,
        linkState,
        slots: slots
          .filter((slot) => !slot.startsWith("["))
          .map((slot) => {
            const [start, end = start] = slot.split("-");
            return { start: Number(start), end: Number(end) };
          }),
      };
    });
}

export async function clusterNodes(port: number): Promise<ClusterNodeEntry[]> {
  return parseClusterNodes(await clusterCommand<string>(port, "NODES"));
}

export function isFailing(node: ClusterNodeEntry): boolean {
  return node.flags.some((flag) => flag === "fail" || flag === "fail?" || flag === "noaddr");
}

function coveredSlots(entries: SlotRange[]): number {
  return entries.reduce((sum, range) => sum + range.end - range.start + 1, 0);
}

/**
 * Resolves when every node reports cluster_state:ok, knows every other node, agrees with each node's own word on
 * whether it is a replica and of which primary, sees none failing, lists every replica in CLUSTER SLOTS, and every
 * replica's link is up. Roles come from the nodes themselves (a failover may still be spreading by gossip), so the
 * split between primaryPorts and replicaPorts only matters as the set of nodes to check.
 */
export async function waitForClusterHealthy(
  ports: { primaryPorts: number[]; replicaPorts: number[] },
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<void> {
  const all = [...new Set([...ports.primaryPorts, ...ports.replicaPorts])];
  await waitFor(
    async () => {
      const selves = await Promise.all(all.map(ownEntry));
      const masterOf = new Map(selves.filter((n) => n.flags.includes("slave")).map((n) => [n.id, n.masterId]));
      for (const port of all) await assertNodeSeesHealthyCluster(port, all.length, masterOf);
      for (const self of selves.filter((n) => n.flags.includes("slave"))) {
        const status = await replicationStatus(self.port);
        if (status.masterLinkStatus !== "up") throw new Error(`replica ${self.port}: link to its primary not up`);
      }
      return true;
    },
    { timeoutMs, intervalMs: 100, description: `cluster on ports ${all.join(", ")} to be healthy` },
  );
}

async function ownEntry(port: number): Promise<ClusterNodeEntry> {
  const self = (await clusterNodes(port)).find((n) => n.flags.includes("myself"));
  if (!self) throw new Error(`node ${port}: CLUSTER NODES has no "myself" entry`);
  return { ...self, port };
}

/** Throws what is still wrong from the node's point of view, so a timeout says why. */
async function assertNodeSeesHealthyCluster(
  port: number,
  nodeCount: number,
  masterOf: ReadonlyMap<string, string | undefined>,
): Promise<void> {
  const info = await clusterInfo(port);
  if (info.cluster_state !== "ok") throw new Error(`node ${port}: cluster_state ${info.cluster_state}`);
  if (Number(info.cluster_known_nodes) < nodeCount) throw new Error(`node ${port}: knows ${info.cluster_known_nodes} nodes`);
  const view = await clusterNodes(port);
  const failing = view.find(isFailing);
  if (failing) throw new Error(`node ${port}: sees ${failing.port} as ${failing.flags.join(",")}`);
  const replicasSeen = view.filter((n) => n.flags.includes("slave"));
  const disagreement =
    replicasSeen.length !== masterOf.size || replicasSeen.find((n) => !masterOf.has(n.id) || masterOf.get(n.id) !== n.masterId);
  if (disagreement) throw new Error(`node ${port}: has not yet heard of every replica and its primary`);
  // CLUSTER SLOTS lists a replica only once its gossiped replication offset is non-zero.
  const slots = await clusterSlots(port);
  const replicasOf = (id: string) => replicasSeen.filter((n) => n.masterId === id).length;
  const incomplete = slots.find((entry) => entry.replicas.length !== replicasOf(entry.primary.id));
  if (incomplete) throw new Error(`node ${port}: CLUSTER SLOTS does not list every replica of ${incomplete.primary.port} yet`);
}

/**
 * Introduces `newcomers` to the cluster `introducerPort` belongs to, and resolves once every node, old and new,
 * knows every other one with its handshake done. Each newcomer MEETs every member directly rather than waiting for
 * gossip to spread the introductions, which takes a cluster of six from about a second to a third of that.
 */
export async function meetNodes(introducerPort: number, newcomers: number[], { timeoutMs = 30_000 } = {}): Promise<void> {
  const reachable = (await clusterNodes(introducerPort)).filter((n) => !isFailing(n)).map((n) => n.port);
  const members = [...new Set([introducerPort, ...reachable, ...newcomers])];
  await Promise.all(
    newcomers.map((port) =>
      withRedis(port, async (c) => {
        for (const other of members) if (other !== port) await c.call("CLUSTER", "MEET", "127.0.0.1", other);
      }),
    ),
  );
  const ids = await Promise.all(members.map(clusterMyId));
  await waitFor(
    async () => {
      for (const port of members) {
        const known = await clusterNodes(port);
        const handshaking = known.some((n) => n.flags.includes("handshake") || n.flags.includes("noaddr"));
        if (handshaking || !ids.every((id) => known.some((n) => n.id === id))) return false;
      }
      return true;
    },
    { timeoutMs, intervalMs: 50, description: `nodes ${members.join(", ")} to meet` },
  );
}

/**
 * CLUSTER REPLICATE, retried: a node refuses it until gossip has told it that the target is a primary, which can
 * trail the handshake by a moment.
 */
async function replicate(replicaPort: number, primaryId: string, timeoutMs: number): Promise<void> {
  await waitFor(() => clusterCommand(replicaPort, "REPLICATE", primaryId).then(() => true), {
    timeoutMs,
    description: `port ${replicaPort} to accept CLUSTER REPLICATE ${primaryId}`,
  });
}

/**
 * Turns freshly started cluster-enabled nodes into one Redis Cluster: MEET, slots spread evenly over the primaries,
 * replicas attached to their primary. Safe to call again on a cluster that already formed (e.g. nodes restarted with
 * their nodes.conf): known nodes are not met twice and assigned slots are left alone.
 */
export async function formCluster(shards: ShardPorts[], { timeoutMs = 30_000 } = {}): Promise<FormedShard[]> {
  if (shards.length === 0) throw new Error("formCluster needs at least one shard");
  const primaryPorts = shards.map((s) => s.primaryPort);
  const replicaPorts = shards.flatMap((s) => s.replicaPorts);
  const all = [...primaryPorts, ...replicaPorts];
  const ids = new Map(await Promise.all(all.map(async (port) => [port, await clusterMyId(port)] as const)));

  // Distinct config epochs up front spare the cluster its collision-resolution round (as redis-cli does).
  await Promise.all(
    all.map((port, i) =>
      clusterCommand(port, "SET-CONFIG-EPOCH", i + 1).catch(() => undefined /* already has peers */),
    ),
  );
  await meetNodes(all[0], all.slice(1), { timeoutMs });

  const ranges = evenSlotRanges(shards.length);
  const assigned = coveredSlots(await clusterSlots(primaryPorts[0]));
  if (assigned === 0) {
    await Promise.all(
      shards.map((shard, i) => clusterCommand(shard.primaryPort, "ADDSLOTSRANGE", ranges[i].start, ranges[i].end)),
    );
  } else if (assigned !== SLOT_COUNT) {
    throw new Error(`cannot form cluster: ${assigned} of ${SLOT_COUNT} slots are already assigned`);
  }

  for (const shard of shards) {
    const primaryId = ids.get(shard.primaryPort) as string;
    for (const port of shard.replicaPorts) {
      const self = (await clusterNodes(port)).find((n) => n.flags.includes("myself"));
      if (self?.masterId !== primaryId) await replicate(port, primaryId, timeoutMs);
    }
  }

  await waitForClusterHealthy({ primaryPorts, replicaPorts }, { timeoutMs });
  const view = await clusterNodes(primaryPorts[0]);
  return shards.map((shard) => {
    const primaryId = ids.get(shard.primaryPort) as string;
    return { ...shard, primaryId, slots: view.find((n) => n.id === primaryId)?.slots ?? [] };
  });
}

export interface ClusterTopology {
  primaryPorts: number[];
  replicaPorts: number[];
}

export function topologyPorts(view: ClusterNodeEntry[]): ClusterTopology {
  return {
    primaryPorts: view.filter((n) => n.flags.includes("master")).map((n) => n.port),
    replicaPorts: view.filter((n) => n.flags.includes("slave")).map((n) => n.port),
  };
}

/** The reachable primaries and replicas of the cluster, as the node on `port` sees them. */
export async function clusterTopology(port: number): Promise<ClusterTopology> {
  return topologyPorts((await clusterNodes(port)).filter((n) => !isFailing(n)));
}

/**
 * Brings fresh cluster-enabled nodes into an existing cluster: `shard.primaryPort` joins as a primary without slots
 * (or is an existing primary), `shard.replicaPorts` replicate from it. Resolves when the whole cluster is healthy
 * again, including the new replicas' links, so slots can be migrated to the newcomers right away (a node that has
 * not yet learnt every slot's owner refuses MIGRATE with CLUSTERDOWN).
 */
export async function joinCluster(
  clusterPort: number,
  shard: ShardPorts,
  before?: ClusterTopology,
  { timeoutMs = 60_000 } = {},
): Promise<void> {
  const existing = before ?? (await clusterTopology(clusterPort));
  const newcomers = [shard.primaryPort, ...shard.replicaPorts].filter(
    (port) => !existing.primaryPorts.includes(port) && !existing.replicaPorts.includes(port),
  );
  await meetNodes(clusterPort, newcomers, { timeoutMs });
  const primaryId = await clusterMyId(shard.primaryPort);
  for (const port of shard.replicaPorts) await replicate(port, primaryId, timeoutMs);
  const primaryPorts = [...new Set([...existing.primaryPorts, shard.primaryPort])];
  await waitForClusterHealthy({ primaryPorts, replicaPorts: [...existing.replicaPorts, ...shard.replicaPorts] }, { timeoutMs });
}

/**
 * Takes nodes out of the cluster for good: each one still running is reset (it forgets the cluster and gets a new
 * identity), and every remaining node forgets them all, dead ones included (a node that died and will be replaced by
 * a fresh one, or that was removed while down). The nodes must own no slots; stop the live ones afterwards. Resolves
 * when the rest is healthy.
 */
export async function detachNodes(clusterPort: number, leavingPorts: number[], { timeoutMs = 60_000 } = {}): Promise<void> {
  const view = await clusterNodes(clusterPort);
  const leaving = leavingPorts.map((port) => {
    const entry = view.find((n) => n.port === port);
    if (!entry) throw new Error(`cannot detach: the cluster has no node on port ${port}`);
    return entry;
  });
  const leavingIds = leaving.map((n) => n.id);
  const staying = view.filter((n) => !leavingIds.includes(n.id) && !isFailing(n));
  const orphan = staying.find((n) => n.masterId && leavingIds.includes(n.masterId));
  if (orphan) throw new Error(`cannot detach: node ${orphan.port} still replicates from a node being removed`);
  // Replicas first, so no leaving replica is left pointing at a primary that has already gone.
  const ordered = [...leaving].sort((a, b) => Number(b.flags.includes("slave")) - Number(a.flags.includes("slave")));
  // Only the node that still has that identity: a dead node's port may already serve its fresh replacement.
  for (const node of ordered) {
    if ((await ping(node.port)) && (await clusterMyId(node.port)) === node.id) await clusterCommand(node.port, "RESET", "HARD");
  }
  for (const node of staying) for (const id of leavingIds) await clusterCommand(node.port, "FORGET", id);
  await waitForClusterHealthy(topologyPorts(staying), { timeoutMs });
}

import { parseInfo, replicationStatus, withRedis } from "./redis-admin";
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
 * Resolves when every node reports cluster_state:ok, knows every other node and which of them are replicas, sees
 * none failing, and every replica's link is up.
 */
export async function waitForClusterHealthy(
  ports: { primaryPorts: number[]; replicaPorts: number[] },
  { timeoutMs = 30_000 }: { timeoutMs?: number } = {},
): Promise<void> {
  const all = [...ports.primaryPorts, ...ports.replicaPorts];
  await waitFor(
    async () => {
      for (const port of all) {
        const info = await clusterInfo(port);
        if (info.cluster_state !== "ok" || Number(info.cluster_known_nodes) < all.length) return false;
        // Every node must also have heard which nodes are replicas, or its CLUSTER SLOTS would still omit them.
        const view = await clusterNodes(port);
        if (view.filter((n) => n.flags.includes("slave")).length !== ports.replicaPorts.length) return false;
        if (view.some(isFailing)) return false;
        // CLUSTER SLOTS lists a replica only once its gossiped replication offset is non-zero.
        const slots = await clusterSlots(port);
        const replicasOf = (id: string) => view.filter((n) => n.masterId === id).length;
        if (slots.some((entry) => entry.replicas.length !== replicasOf(entry.primary.id))) return false;
      }
      for (const port of ports.replicaPorts) {
        const status = await replicationStatus(port);
        if (status.role !== "slave" || status.masterLinkStatus !== "up") return false;
      }
      return true;
    },
    { timeoutMs, intervalMs: 100, description: `cluster on ports ${all.join(", ")} to report cluster_state:ok` },
  );
}

/**
 * Introduces `newcomers` to the cluster `introducerPort` belongs to (CLUSTER MEET), and resolves once every node,
 * old and new, knows every other one with its handshake done.
 */
export async function meetNodes(introducerPort: number, newcomers: number[], { timeoutMs = 30_000 } = {}): Promise<void> {
  await withRedis(introducerPort, async (c) => {
    for (const port of newcomers) await c.call("CLUSTER", "MEET", "127.0.0.1", port);
  });
  const reachable = (await clusterNodes(introducerPort)).filter((n) => !isFailing(n)).map((n) => n.port);
  const members = [...new Set([introducerPort, ...newcomers, ...reachable])];
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
    { timeoutMs, intervalMs: 100, description: `nodes ${members.join(", ")} to meet` },
  );
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
      if (self?.masterId !== primaryId) await clusterCommand(port, "REPLICATE", primaryId);
    }
  }

  await waitForClusterHealthy({ primaryPorts, replicaPorts }, { timeoutMs });
  const view = await clusterNodes(primaryPorts[0]);
  return shards.map((shard) => {
    const primaryId = ids.get(shard.primaryPort) as string;
    return { ...shard, primaryId, slots: view.find((n) => n.id === primaryId)?.slots ?? [] };
  });
}

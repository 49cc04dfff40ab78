import type Redis from "ioredis";
import { connectAdmin } from "./redis-admin";
import {
  SLOT_COUNT,
  clusterMyId,
  clusterNodes,
  clusterTopology,
  detachNodes,
  isFailing,
  joinCluster,
  topologyPorts,
  waitForClusterHealthy,
  type ClusterNodeEntry,
  type ShardPorts,
} from "./redis-cluster";
import { waitFor } from "./wait-for";

export interface SlotMove {
  sourcePort: number;
  targetPort: number;
  slots: number[];
}

/** Called after each batch of slots: how many have moved so far, out of how many in this operation. */
export type ReshardProgress = (movedSlots: number, totalSlots: number) => void;

export interface ReshardOptions {
  onProgress?: ReshardProgress;
  /** Keys per MIGRATE call. */
  keysPerBatch?: number;
  timeoutMs?: number;
}

// Slots whose ownership changes in one round of pipelined SETSLOT commands.
const SLOTS_PER_ROUND = 128;
const MIGRATE_TIMEOUT_MS = 10_000;

/** The current owner of each slot, as the node on `port` sees it. */
export function slotOwnership(view: ClusterNodeEntry[]): Array<{ port: number; id: string; slots: number[] }> {
  return view
    .filter((n) => n.flags.includes("master") && !isFailing(n))
    .map((n) => ({
      port: n.port,
      id: n.id,
      slots: n.slots.flatMap(({ start, end }) => Array.from({ length: end - start + 1 }, (_, i) => start + i)),
    }));
}

/**
 * Moves that leave each of `targetPorts` with an even share of the slots (sizes differ by at most one) and every
 * other primary with none, moving as few slots as possible: nodes that own most keep the larger shares, and donors
 * give away their highest slots so the ranges stay contiguous.
 */
export function planRebalance(ownership: Array<{ port: number; slots: number[] }>, targetPorts: number[]): SlotMove[] {
  if (targetPorts.length === 0) throw new Error("a cluster needs at least one primary to own the slots");
  const owned = new Map(ownership.map((o) => [o.port, [...o.slots].sort((a, b) => a - b)]));
  const total = [...owned.values()].reduce((sum, slots) => sum + slots.length, 0);
  const byHoldings = [...targetPorts].sort((a, b) => (owned.get(b)?.length ?? 0) - (owned.get(a)?.length ?? 0));
  const desired = new Map(
    byHoldings.map((port, i) => [port, Math.floor(total / targetPorts.length) + (i < total % targetPorts.length ? 1 : 0)]),
  );
  const surplus = [...owned.keys()]
    .map((port) => ({ port, excess: (owned.get(port)?.length ?? 0) - (desired.get(port) ?? 0) }))
    .filter((d) => d.excess > 0);
  const deficits = targetPorts
    .map((port) => ({ port, missing: (desired.get(port) ?? 0) - (owned.get(port)?.length ?? 0) }))
    .filter((d) => d.missing > 0);

  const moves: SlotMove[] = [];
  for (const receiver of deficits) {
    while (receiver.missing > 0) {
      const donor = surplus.find((d) => d.excess > 0) as { port: number; excess: number };
      const count = Math.min(donor.excess, receiver.missing);
      const donorSlots = owned.get(donor.port) as number[];
      const slots = donorSlots.splice(donorSlots.length - count, count);
      moves.push({ sourcePort: donor.port, targetPort: receiver.port, slots });
      donor.excess -= count;
      receiver.missing -= count;
    }
  }
  return moves;
}

/** Admin connections reused across a whole reshard (thousands of commands), all closed at the end. */
class ConnectionPool {
  private readonly clients = new Map<number, Promise<Redis>>();

  get(port: number): Promise<Redis> {
    let client = this.clients.get(port);
    if (!client) {
      client = connectAdmin(port, { commandTimeoutMs: MIGRATE_TIMEOUT_MS * 2 });
      this.clients.set(port, client);
    }
    return client;
  }

  async close(): Promise<void> {
    const settled = await Promise.allSettled(this.clients.values());
    for (const result of settled) if (result.status === "fulfilled") result.value.disconnect();
  }
}

/** Runs commands in one round trip and throws the first error among their replies. */
async function pipelined(client: Redis, commands: Array<Array<string | number>>): Promise<unknown[]> {
  const pipeline = client.pipeline();
  for (const [name, ...args] of commands) pipeline.call(String(name), ...args);
  const replies = (await pipeline.exec()) ?? [];
  const failed = replies.find(([error]) => error);
  if (failed) throw failed[0];
  return replies.map(([, reply]) => reply);
}

async function moveKeysOfSlot(source: Redis, targetPort: number, slot: number, keysPerBatch: number): Promise<void> {
  for (;;) {
    const keys = (await source.call("CLUSTER", "GETKEYSINSLOT", slot, keysPerBatch)) as string[];
    if (keys.length === 0) return;
    await source.call("MIGRATE", "127.0.0.1", targetPort, "", 0, MIGRATE_TIMEOUT_MS, "REPLACE", "KEYS", ...keys);
  }
}

/**
 * Migrates slots with their keys from one primary to another the way redis-cli does: IMPORTING on the target,
 * MIGRATING on the source, MIGRATE the keys in batches, then SETSLOT NODE on the target, the source and every other
 * primary. Clients keep working throughout (they follow ASK/MOVED redirections).
 */
export async function migrateSlots(move: SlotMove, options: ReshardOptions = {}): Promise<void> {
  await executeMoves([move], options);
}

async function executeMoves(moves: SlotMove[], { onProgress, keysPerBatch = 100, timeoutMs = 120_000 }: ReshardOptions): Promise<void> {
  const total = moves.reduce((sum, m) => sum + m.slots.length, 0);
  if (total === 0) return;
  const pool = new ConnectionPool();
  try {
    const view = await clusterNodes(moves[0].sourcePort);
    const primaries = view.filter((n) => n.flags.includes("master") && !isFailing(n)).map((n) => n.port);
    let moved = 0;
    for (const { sourcePort, targetPort, slots } of moves) {
      const [source, target] = await Promise.all([pool.get(sourcePort), pool.get(targetPort)]);
      const [sourceId, targetId] = await Promise.all([clusterMyId(sourcePort), clusterMyId(targetPort)]);
      for (let i = 0; i < slots.length; i += SLOTS_PER_ROUND) {
        const round = slots.slice(i, i + SLOTS_PER_ROUND);
        await pipelined(target, round.map((slot) => ["CLUSTER", "SETSLOT", slot, "IMPORTING", sourceId]));
        await pipelined(source, round.map((slot) => ["CLUSTER", "SETSLOT", slot, "MIGRATING", targetId]));
        const counts = (await pipelined(source, round.map((slot) => ["CLUSTER", "COUNTKEYSINSLOT", slot]))) as number[];
        for (const [j, slot] of round.entries()) if (counts[j] > 0) await moveKeysOfSlot(source, targetPort, slot, keysPerBatch);
        const assign = round.map((slot) => ["CLUSTER", "SETSLOT", slot, "NODE", targetId]);
        // Target first, then source, so no moment exists where neither claims the slot; then everyone else.
        await pipelined(target, assign);
        await pipelined(source, assign);
        const others = primaries.filter((port) => port !== sourcePort && port !== targetPort);
        await Promise.all(others.map(async (port) => pipelined(await pool.get(port), assign)));
        moved += round.length;
        onProgress?.(moved, total);
      }
    }
  } finally {
    await pool.close();
  }
  await waitForAgreement(moves, timeoutMs);
}

/** Resolves when every reachable node of the cluster sees each moved slot at its new owner and reports ok. */
async function waitForAgreement(moves: SlotMove[], timeoutMs: number): Promise<void> {
  const targetIds = new Map(await Promise.all(moves.map(async (m) => [m.targetPort, await clusterMyId(m.targetPort)] as const)));
  const view = (await clusterNodes(moves[0].targetPort)).filter((n) => !isFailing(n));
  await waitFor(
    async () => {
      for (const node of view) {
        const owners = new Map<number, string>();
        for (const owner of slotOwnership(await clusterNodes(node.port))) for (const slot of owner.slots) owners.set(slot, owner.id);
        if (!moves.every((m) => m.slots.every((slot) => owners.get(slot) === targetIds.get(m.targetPort)))) return false;
      }
      return true;
    },
    { timeoutMs, intervalMs: 100, description: "every node to agree on the new slot owners" },
  );
  await waitForClusterHealthy(topologyPorts(view), { timeoutMs });
}

/**
 * Spreads the slots evenly over `primaryPorts` (default: every primary of the cluster `clusterPort` belongs to);
 * primaries left out give all their slots away. Returns the moves it made.
 */
export async function rebalanceCluster(
  clusterPort: number,
  options: ReshardOptions & { primaryPorts?: number[] } = {},
): Promise<SlotMove[]> {
  const view = await clusterNodes(clusterPort);
  const ownership = slotOwnership(view);
  const owned = ownership.reduce((sum, o) => sum + o.slots.length, 0);
  if (owned !== SLOT_COUNT) throw new Error(`cannot rebalance: only ${owned} of ${SLOT_COUNT} slots have an owner`);
  const moves = planRebalance(ownership, options.primaryPorts ?? ownership.map((o) => o.port));
  await executeMoves(moves, options);
  return moves;
}

/** Joins a new, empty shard (fresh cluster-enabled nodes) to the cluster and gives it its even share of slots. */
export async function addShard(clusterPort: number, shard: ShardPorts, options: ReshardOptions = {}): Promise<SlotMove[]> {
  const { timeoutMs = 120_000 } = options;
  const before = await clusterTopology(clusterPort);
  await joinCluster(clusterPort, shard, before, { timeoutMs });
  const primaries = slotOwnership(await clusterNodes(clusterPort)).map((o) => o.port);
  return rebalanceCluster(clusterPort, { ...options, primaryPorts: [...new Set([...primaries, shard.primaryPort])] });
}

/**
 * Drains a shard's slots (with their keys) evenly onto the remaining primaries, then takes its nodes out of the
 * cluster: they are reset and forgotten by every other node, ready to be stopped.
 */
export async function removeShard(clusterPort: number, shard: ShardPorts, options: ReshardOptions = {}): Promise<SlotMove[]> {
  const remaining = slotOwnership(await clusterNodes(clusterPort))
    .map((o) => o.port)
    .filter((port) => port !== shard.primaryPort);
  if (remaining.length === 0) throw new Error(`shard of ${shard.primaryPort} is the last one; a cluster needs at least one`);
  const moves = await rebalanceCluster(clusterPort, { ...options, primaryPorts: remaining });

  await detachNodes(remaining[0], [...shard.replicaPorts, shard.primaryPort], options);
  return moves;
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { onTestFinished } from "vitest";
import { replicaOf, waitForReplicationUp } from "@/emulator/nodes/redis-admin";
import { formCluster } from "@/emulator/nodes/redis-cluster";
import { NodeSupervisor, type NodeHandle, type SupervisorOptions } from "@/emulator/nodes/supervisor";

export const MiB = 1024 * 1024;

export function makeSupervisor(options: Partial<SupervisorOptions> = {}): NodeSupervisor {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-nodes-"));
  return new NodeSupervisor({ dataDir, ...options });
}

export async function disposeSupervisor(supervisor: NodeSupervisor): Promise<void> {
  await supervisor.stopAll();
  fs.rmSync(supervisor.dataDir, { recursive: true, force: true });
}

/** A supervisor on a fresh temp data dir whose nodes are stopped and dir deleted when the current test ends. */
export function testSupervisor(options: Partial<SupervisorOptions> = {}): NodeSupervisor {
  const supervisor = makeSupervisor(options);
  onTestFinished(() => disposeSupervisor(supervisor));
  return supervisor;
}

export async function startRedisNodes(
  supervisor: NodeSupervisor,
  prefix: string,
  count: number,
  { maxmemoryBytes = 8 * MiB, clusterEnabled = false } = {},
): Promise<NodeHandle[]> {
  return Promise.all(
    Array.from({ length: count }, (_, i) => supervisor.startRedis({ key: `${prefix}/${i + 1}`, maxmemoryBytes, clusterEnabled })),
  );
}

/** A primary and `size - 1` replicas with every link up; ports, plus the handles in the same order. */
export async function replicatedGroup(supervisor: NodeSupervisor, size: number, maxmemoryBytes = 8 * MiB) {
  const nodes = await startRedisNodes(supervisor, "group", size, { maxmemoryBytes });
  const [primary, ...replicas] = nodes.map((n) => n.port);
  await Promise.all(replicas.map((port) => replicaOf(port, primary)));
  await Promise.all(replicas.map((port) => waitForReplicationUp(port)));
  return { primary, replicas, nodes };
}

/** A formed cluster of `shardCount` shards of a primary and one replica each. */
export async function startCluster(supervisor: NodeSupervisor, shardCount: number, maxmemoryBytes = 8 * MiB) {
  const nodes = await startRedisNodes(supervisor, "cluster", 2 * shardCount, { maxmemoryBytes, clusterEnabled: true });
  const shards = Array.from({ length: shardCount }, (_, s) => ({ primaryPort: nodes[2 * s].port, replicaPorts: [nodes[2 * s + 1].port] }));
  const formed = await formCluster(shards);
  return { nodes, shards, formed };
}

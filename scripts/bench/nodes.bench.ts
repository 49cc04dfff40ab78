import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { addShard } from "@/emulator/nodes/cluster-resharding";
import { failoverClusterShard, failoverPrimary } from "@/emulator/nodes/shard-failover";
import { replicaOf, waitForReplicationUp } from "@/emulator/nodes/redis-admin";
import { formCluster } from "@/emulator/nodes/redis-cluster";
import { NodeSupervisor, type NodeHandle } from "@/emulator/nodes/supervisor";
import { machineDescription, summarize, time } from "./machine";

// The node layer alone (no control plane, no HTTP): how long real processes take to start and to be wired into a
// replicated group or a cluster, what failover and resharding cost, and how much memory an idle node holds.

const RUNS = 5;
const RESHARD_KEYS = 20_000;
const MiB = 1024 * 1024;

function rssMiB(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return Number(line?.split(/\s+/)[1] ?? 0) / 1024;
}

/** Runs `body` `count` times, each on a fresh supervisor and data dir that are cleaned up afterwards. */
async function runs(count: number, body: (supervisor: NodeSupervisor) => Promise<number>): Promise<number[]> {
  const timings: number[] = [];
  for (let run = 0; run < count; run++) {
    const supervisor = new NodeSupervisor({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-bench-nodes-")) });
    try {
      timings.push(await body(supervisor));
    } finally {
      await supervisor.stopAll();
      fs.rmSync(supervisor.dataDir, { recursive: true, force: true });
    }
  }
  return timings;
}

const startNodes = (supervisor: NodeSupervisor, prefix: string, count: number, clusterEnabled: boolean): Promise<NodeHandle[]> =>
  Promise.all(
    Array.from({ length: count }, (_, i) => supervisor.startRedis({ key: `${prefix}/${i}`, maxmemoryBytes: 64 * MiB, clusterEnabled })),
  );

async function replicatedGroup(supervisor: NodeSupervisor): Promise<number[]> {
  const [primary, ...replicas] = (await startNodes(supervisor, "group", 3, false)).map((n) => n.port);
  await Promise.all(replicas.map((port) => replicaOf(port, primary)));
  await Promise.all(replicas.map((port) => waitForReplicationUp(port)));
  return [primary, ...replicas];
}

/** A formed cluster of 3 shards of a primary and a replica; node keys cluster/0 … cluster/5, primaries even. */
async function cluster(supervisor: NodeSupervisor) {
  const nodes = await startNodes(supervisor, "cluster", 6, true);
  const shards = [0, 1, 2].map((s) => ({ primaryPort: nodes[2 * s].port, replicaPorts: [nodes[2 * s + 1].port] }));
  await formCluster(shards);
  return shards;
}

async function fillCluster(port: number, keys: number): Promise<void> {
  const client = new Redis.Cluster([{ host: "127.0.0.1", port }]);
  try {
    for (let i = 0; i < keys; i += 1000) {
      await Promise.all(Array.from({ length: 1000 }, (_, j) => client.set(`key:${i + j}`, "v".repeat(100))));
    }
  } finally {
    client.disconnect();
  }
}

async function idleMemory(): Promise<string> {
  let line = "";
  await runs(1, async (supervisor) => {
    const redis = await startNodes(supervisor, "idle", 10, false);
    const memcached = await Promise.all(Array.from({ length: 4 }, (_, i) => supervisor.startMemcached({ key: `mc/${i}`, memoryMB: 64 })));
    const average = (nodes: NodeHandle[]) => (nodes.reduce((sum, n) => sum + rssMiB(n.pid), 0) / nodes.length).toFixed(1);
    line =
      `Memory per idle node, resident set size: redis-server ${average(redis)} MiB (average of ${redis.length}), ` +
      `memcached ${average(memcached)} MiB (average of ${memcached.length}; -m 64, which memcached allocates lazily).`;
    return 0;
  });
  return line;
}

export default async function nodesBench(): Promise<string> {
  const rows: Array<[string, number[]]> = [
    [
      "start one redis-server (spawn → PING answered)",
      await runs(10, async (s) => (await time(() => s.startRedis({ key: "one", maxmemoryBytes: 64 * MiB, clusterEnabled: false }))).ms),
    ],
    [
      "start one memcached (spawn → version answered)",
      await runs(10, async (s) => (await time(() => s.startMemcached({ key: "one", memoryMB: 64 }))).ms),
    ],
    [
      "replicated group of 3: start, REPLICAOF, every link up",
      await runs(RUNS, async (s) => (await time(() => replicatedGroup(s))).ms),
    ],
    [
      "cluster of 3 shards × 2 nodes: start, formCluster until every node agrees",
      await runs(RUNS, async (s) => (await time(() => cluster(s))).ms),
    ],
    [
      "failover, cluster mode disabled, live primary (FAILOVER TO, re-point)",
      await runs(RUNS, async (s) => {
        const [primary, ...replicas] = await replicatedGroup(s);
        return (await time(() => failoverPrimary({ primaryPort: primary, replicaPorts: replicas }))).ms;
      }),
    ],
    [
      "failover, cluster mode enabled, live primary (CLUSTER FAILOVER until master and ok)",
      await runs(RUNS, async (s) => {
        const [first] = await cluster(s);
        return (await time(() => failoverClusterShard({ replicaPorts: first.replicaPorts, primaryAlive: true }))).ms;
      }),
    ],
    [
      "failover, cluster mode enabled, primary killed (TAKEOVER until master and ok)",
      await runs(RUNS, async (s) => {
        const [first] = await cluster(s);
        await s.kill("cluster/0");
        return (await time(() => failoverClusterShard({ replicaPorts: first.replicaPorts, primaryAlive: false }))).ms;
      }),
    ],
    [
      `add a 4th shard to a 3×2 cluster of ${RESHARD_KEYS.toLocaleString("en-US")} keys (join, migrate 4,096 slots)`,
      await runs(3, async (s) => {
        const [first] = await cluster(s);
        await fillCluster(first.primaryPort, RESHARD_KEYS);
        const [primary, replica] = await startNodes(s, "new-shard", 2, true);
        return (await time(() => addShard(first.primaryPort, { primaryPort: primary.port, replicaPorts: [replica.port] }))).ms;
      }),
    ],
  ];
  const table = rows.map(([label, timings]) => `| ${label} | ${timings.length} | ${summarize(timings).median} | ${summarize(timings).p95} |`);
  const versions = [execFileSync("redis-server", ["--version"], { encoding: "utf8" }).match(/v=(\S+)/)?.[1], execFileSync("memcached", ["--version"], { encoding: "utf8" }).trim()];
  return `## Node layer (emulator/nodes)

Machine: ${machineDescription()}. The machine is shared with other work, so treat the figures as upper bounds.

Real redis-server ${versions[0]} and ${versions[1]} processes on 127.0.0.1, driven through emulator/nodes directly (no HTTP, no control plane); every run on a fresh data dir. A new cluster cannot be faster than about 2 s: Redis keeps a freshly started primary from reporting cluster_state:ok for its first 2 s.

| measurement | runs | median ms | p95 ms |
|---|---:|---:|---:|
${table.join("\n")}

${await idleMemory()}`;
}

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  type CreateReplicationGroupCommandInput,
} from "@aws-sdk/client-elasticache";
import { startEmulator, type RunningEmulator } from "@/emulator/emulator";
import { waitFor } from "@/emulator/nodes/wait-for";
import { machineDescription, summarize, time } from "./machine";

// The ElastiCache control plane end to end through the JS SDK: how long a group takes from CreateReplicationGroup to
// available (real processes, replication, cluster formation, health checks), how fast DescribeReplicationGroups
// answers with a region of 100 groups, and what one node costs in memory.

const CREATE_RUNS = 5;
const GROUPS = 100;
const DESCRIBE_RUNS = 200;

function percentile(timingsMs: number[], q: number): string {
  const sorted = [...timingsMs].sort((a, b) => a - b);
  const ms = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

async function untilAvailable(client: ElastiCacheClient, id: string): Promise<void> {
  await waitFor(
    async () => (await client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id }))).ReplicationGroups?.[0]?.Status === "available",
    { timeoutMs: 120_000, intervalMs: 20, description: `${id} to be available` },
  );
}

async function untilGone(client: ElastiCacheClient, id: string): Promise<void> {
  await waitFor(
    () => client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: id })).then(() => false, () => true),
    { timeoutMs: 60_000, intervalMs: 20, description: `${id} to be deleted` },
  );
}

/** Creates the group CREATE_RUNS times (deleting it in between) and returns the create → available timings. */
async function createToAvailable(client: ElastiCacheClient, input: Omit<CreateReplicationGroupCommandInput, "ReplicationGroupId">): Promise<number[]> {
  const timings: number[] = [];
  for (let run = 0; run < CREATE_RUNS; run++) {
    const id = `bench-${run}`;
    const { ms } = await time(async () => {
      await client.send(new CreateReplicationGroupCommand({ ReplicationGroupId: id, ...input }));
      await untilAvailable(client, id);
    });
    timings.push(ms);
    await client.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: id }));
    await untilGone(client, id);
  }
  return timings;
}

function rssBytes(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

export default async function run(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-bench-elasticache-"));
  let emulator: RunningEmulator | undefined;
  try {
    emulator = await startEmulator({ port: 0, dataDir });
    const client = new ElastiCacheClient({ endpoint: emulator.url, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });

    const threeNodes = await createToAvailable(client, { ReplicationGroupDescription: "bench", NumCacheClusters: 3, AutomaticFailoverEnabled: true });
    const clusterMode = await createToAvailable(client, { ReplicationGroupDescription: "bench", NumNodeGroups: 3, ReplicasPerNodeGroup: 1 });

    const ids = Array.from({ length: GROUPS }, (_, i) => `fleet-${String(i).padStart(3, "0")}`);
    const fill = await time(async () => {
      for (const id of ids) await client.send(new CreateReplicationGroupCommand({ ReplicationGroupId: id, ReplicationGroupDescription: "bench" }));
      for (const id of ids) await untilAvailable(client, id);
    });

    const describeAll: number[] = [];
    const describeOne: number[] = [];
    for (let i = 0; i < DESCRIBE_RUNS + 10; i++) {
      const all = await time(() => client.send(new DescribeReplicationGroupsCommand({ MaxRecords: 100 })));
      const one = await time(() => client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: ids[i % GROUPS] })));
      if (all.value.ReplicationGroups?.length !== GROUPS) throw new Error(`expected ${GROUPS} groups, got ${all.value.ReplicationGroups?.length}`);
      // The first runs warm up the SDK, the server and the JIT.
      if (i >= 10) {
        describeAll.push(all.ms);
        describeOne.push(one.ms);
      }
    }

    await client.send(new CreateCacheClusterCommand({ CacheClusterId: "bench-memcached", Engine: "memcached", NumCacheNodes: 4 }));
    await waitFor(
      async () => (await client.send(new DescribeCacheClustersCommand({ CacheClusterId: "bench-memcached" }))).CacheClusters?.[0]?.CacheClusterStatus === "available",
      { timeoutMs: 60_000, description: "bench-memcached to be available" },
    );
    const handles = emulator.controlPlane.listProcesses();
    const redisRss = handles.filter((h) => h.engine === "redis").map((h) => rssBytes(h.pid));
    const memcachedRss = handles.filter((h) => h.engine === "memcached").map((h) => rssBytes(h.pid));
    const average = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const stateBytes = fs.statSync(emulator.controlPlane.store.file).size;

    const row = (label: string, timings: number[]) => {
      const { median, p95 } = summarize(timings);
      return `| ${label} | ${timings.length} | ${median} | ${p95} | ${percentile(timings, 0.99)} |`;
    };
    return [
      "## ElastiCache control plane (emulator/elasticache)",
      "",
      `Machine: ${machineDescription()}. The machine is shared with other work, so treat the figures as upper bounds.`,
      "",
      "Through @aws-sdk/client-elasticache to an in-process emulator on 127.0.0.1; \"available\" is seen by polling DescribeReplicationGroups every 20 ms, and is set only after the health checks pass (every node answers PING, every replica reports its link up, cluster mode: CLUSTER INFO ok on every node).",
      "",
      "| measurement | runs | median ms | p95 ms | p99 ms |",
      "|---|---:|---:|---:|---:|",
      row("CreateReplicationGroup → available, 3 nodes (primary + 2 replicas)", threeNodes),
      row("CreateReplicationGroup → available, cluster mode 3 shards × 2 nodes", clusterMode),
      row(`DescribeReplicationGroups, all ${GROUPS} single-node groups of the region (MaxRecords 100)`, describeAll),
      row(`DescribeReplicationGroups, one group by id (region of ${GROUPS} groups)`, describeOne),
      "",
      `Creating the ${GROUPS} single-node groups one call after another and waiting for all: ${(fill.ms / 1000).toFixed(1)} s.`,
      "",
      `Memory per node, idle, resident set size: redis-server ${mib(average(redisRss))} MiB (average of ${redisRss.length}, largest ${mib(Math.max(...redisRss))} MiB), memcached ${mib(average(memcachedRss))} MiB (average of ${memcachedRss.length}; memcached reserves its -m lazily). The control plane's state file held ${GROUPS + 1} resources (and their events) in ${(stateBytes / 1024).toFixed(0)} KiB, rewritten on every change.`,
    ].join("\n");
  } finally {
    await emulator?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

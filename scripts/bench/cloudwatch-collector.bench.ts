import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { MetricsCollector } from "@/emulator/cloudwatch/collector";
import { MetricStore } from "@/emulator/cloudwatch/metric-store";
import type { MetricsNode } from "@/emulator/elasticache/control-plane";
import { nodeMaxmemoryBytes } from "@/emulator/elasticache/control-plane";
import { replicaOf, waitForReplicationUp, withRedis } from "@/emulator/nodes/redis-admin";
import { NodeSupervisor } from "@/emulator/nodes/supervisor";
import { machineDescription, summarize } from "./machine";

// The collector's own cost with 20 real nodes: 8 primaries each with a replica (16 redis-server) and 4 memcached,
// under light traffic so counters move. CPU is the emulator process's user+system time per sampling pass.

const PAIRS = 8;
const MEMCACHED = 4;
const PASSES = 40;
const NODE_TYPE = "cache.r7g.large";
const INTERVAL_SECONDS = 5;

export default async function run(): Promise<string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "cachedeck-bench-collector-"));
  const supervisor = new NodeSupervisor({ dataDir });
  const maxmemoryBytes = nodeMaxmemoryBytes(NODE_TYPE);
  const nodes: MetricsNode[] = [];
  try {
    for (let i = 1; i <= PAIRS; i++) {
      const cluster = `bench-${String(i).padStart(3, "0")}`;
      const primary = await supervisor.startRedis({ key: `${cluster}-p`, maxmemoryBytes, clusterEnabled: false, resetData: true });
      const replica = await supervisor.startRedis({ key: `${cluster}-r`, maxmemoryBytes, clusterEnabled: false, resetData: true });
      await replicaOf(replica.port, primary.port);
      await waitForReplicationUp(replica.port);
      const common = { region: "us-east-1", engine: "redis" as const, replicationGroupId: cluster, nodeGroupId: "0001", cacheNodeType: NODE_TYPE, maxmemoryBytes };
      nodes.push({ ...common, port: primary.port, cacheClusterId: `${cluster}-001`, cacheNodeId: "0001", role: "primary" });
      nodes.push({ ...common, port: replica.port, cacheClusterId: `${cluster}-002`, cacheNodeId: "0001", role: "replica" });
    }
    for (let i = 1; i <= MEMCACHED; i++) {
      const handle = await supervisor.startMemcached({ key: `bench-mc-${i}`, memoryMB: 12 });
      nodes.push({ region: "eu-west-1", engine: "memcached", port: handle.port, cacheClusterId: "bench-memcached", cacheNodeId: String(i).padStart(4, "0"), cacheNodeType: "cache.t4g.medium", maxmemoryBytes: 12 * 2 ** 20 });
    }

    const store = new MetricStore();
    const collector = new MetricsCollector({ store, nodes: () => nodes });
    const primaries = nodes.filter((n) => n.role === "primary");
    const traffic = () =>
      Promise.all(primaries.map((n) => withRedis(n.port, async (r) => void (await r.pipeline().set("k", "v").get("k").get("missing").exec()))));

    await collector.sampleOnce();
    const cpuMs: number[] = [];
    const wallMs: number[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      await traffic();
      const cpuBefore = process.cpuUsage();
      const wallBefore = process.hrtime.bigint();
      await collector.sampleOnce();
      const cpu = process.cpuUsage(cpuBefore);
      wallMs.push(Number(process.hrtime.bigint() - wallBefore) / 1e6);
      cpuMs.push((cpu.user + cpu.system) / 1000);
    }
    const cpu = summarize(cpuMs);
    const wall = summarize(wallMs);
    const meanCpu = cpuMs.reduce((a, b) => a + b, 0) / cpuMs.length;
    const usage = store.usage();
    return [
      "## CloudWatch collector (emulator/cloudwatch/collector.ts)",
      "",
      `Machine: ${machineDescription()}.`,
      "",
      `${nodes.length} real nodes: ${PAIRS} redis-server primaries each with a replica, ${MEMCACHED} memcached; light traffic between passes. ` +
        `${PASSES} sampling passes (INFO ALL / stats of every node, /proc CPU, metrics computed and stored: ${usage.series} series).`,
      "",
      "| per sampling pass of 20 nodes | median | p95 |",
      "|---|---:|---:|",
      `| CPU time of the emulator process, ms | ${cpu.median} | ${cpu.p95} |`,
      `| wall time, ms | ${wall.median} | ${wall.p95} |`,
      "",
      `At the default ${INTERVAL_SECONDS} s interval that is ${((100 * meanCpu) / (INTERVAL_SECONDS * 1000)).toFixed(2)}% of one core on average ` +
        `(${((100 * meanCpu) / 1000).toFixed(1)}% at a 1 s interval).`,
    ].join("\n");
  } finally {
    await supervisor.stopAll();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

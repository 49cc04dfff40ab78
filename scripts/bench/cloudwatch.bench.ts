import { CloudWatchClient, GetMetricDataCommand, ListMetricsCommand, type MetricDataQuery } from "@aws-sdk/client-cloudwatch";
import { identity, type Dimension } from "@/emulator/cloudwatch/dimensions";
import { MetricStore } from "@/emulator/cloudwatch/metric-store";
import { cloudwatchService } from "@/emulator/cloudwatch/service";
import { createApiServer, listen } from "@/emulator/server/http-server";
import { rpcProtocols } from "@/emulator/server/protocols";
import { machineDescription, summarize, time } from "./machine";

// A 20-node fleet as the collector publishes it: 25 metrics per node ({CacheClusterId, CacheNodeId}) and per member
// cluster ({CacheClusterId}), one high-resolution sample every 5 s for 3 hours, then GetMetricData and ListMetrics
// through the JS SDK against a real HTTP server.

const NODES = 20;
const METRICS = [
  "CacheHits", "CacheMisses", "CacheHitRate", "Evictions", "Reclaimed", "ReplicationLag", "ReplicationBytes", "IsMaster",
  "EngineCPUUtilization", "CPUUtilization", "DatabaseMemoryUsagePercentage", "BytesUsedForCache", "FreeableMemory",
  "CurrConnections", "NewConnections", "CurrItems", "NetworkBytesIn", "NetworkBytesOut", "GetTypeCmds", "SetTypeCmds",
  "MemoryFragmentationRatio", "CurrVolatileItems", "KeyspaceHits", "TotalCmdsCount", "ThrottledCmds",
];
const SAMPLE_SECONDS = 5;
const HOURS = 3;
const RUNS = 15;

export default async function run(): Promise<string> {
  const end = Math.floor(Date.now() / 60_000) * 60;
  const start = end - HOURS * 3600;
  let clockMs = start * 1000;
  const store = new MetricStore({ now: () => clockMs });
  const nodes = Array.from({ length: NODES }, (_, i) => ({ cluster: `fleet-${String(Math.floor(i / 2) + 1).padStart(3, "0")}`, node: i % 2 === 0 ? "0001" : "0002" }));
  const dimensionSets: Dimension[][] = [
    ...nodes.map((n) => [{ Name: "CacheClusterId", Value: n.cluster }, { Name: "CacheNodeId", Value: n.node }]),
    ...[...new Set(nodes.map((n) => n.cluster))].map((c) => [{ Name: "CacheClusterId", Value: c }]),
  ];
  const ids = dimensionSets.flatMap((dims) => METRICS.map((m) => identity("AWS/ElastiCache", m, dims)));

  const memory = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const memoryBefore = memory();
  const fill = await time(async () => {
    for (let t = start; t < end; t += SAMPLE_SECONDS) {
      clockMs = t * 1000;
      for (const [i, id] of ids.entries()) {
        const v = (i * 7 + t) % 100;
        store.put("us-east-1", id, { timestamp: t, count: 1, sum: v, min: v, max: v, pairs: [v, 1], storageResolution: 1 });
      }
    }
  });
  clockMs = end * 1000;
  store.prune();
  const usage = store.usage();
  const points = ids.length * ((HOURS * 3600) / SAMPLE_SECONDS);
  const memoryGrowth = memory() - memoryBefore;

  const service = cloudwatchService(store);
  const server = createApiServer({ services: [service], protocols: rpcProtocols });
  const port = await listen(server, 0);
  const cw = new CloudWatchClient({ endpoint: `http://127.0.0.1:${port}`, region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } });
  const queries = (period: number): MetricDataQuery[] =>
    ids.slice(0, 500).map((id, i) => ({ Id: `q${i}`, MetricStat: { Metric: { Namespace: id.namespace, MetricName: id.metricName, Dimensions: [...id.dimensions] }, Period: period, Stat: "Average" } }));

  const rows: string[] = [];
  const measure = async (label: string, fn: () => Promise<number>) => {
    await fn(); // warm-up
    const timings: number[] = [];
    let size = 0;
    for (let i = 0; i < RUNS; i++) {
      const r = await time(fn);
      timings.push(r.ms);
      size = r.value;
    }
    const { median, p95 } = summarize(timings);
    rows.push(`| ${label} | ${size.toLocaleString("en-US")} | ${median} | ${p95} |`);
  };
  const getMetricData = (period: number, seconds: number) => async () => {
    let total = 0;
    let NextToken: string | undefined;
    do {
      const out = await cw.send(new GetMetricDataCommand({ StartTime: new Date((end - seconds) * 1000), EndTime: new Date(end * 1000), MetricDataQueries: queries(period), NextToken }));
      total += out.MetricDataResults!.reduce((n, r) => n + r.Values!.length, 0);
      NextToken = out.NextToken;
    } while (NextToken);
    return total;
  };
  const inProcess = (period: number, seconds: number) => async () => {
    const ctx = { requestId: "bench", region: "us-east-1", protocol: "json" as const, receivedAt: new Date(end * 1000) };
    const out = (await service.operations.GetMetricData({ StartTime: end - seconds, EndTime: end, MetricDataQueries: queries(period) }, ctx)) as {
      MetricDataResults: { Values: number[] }[];
    };
    return out.MetricDataResults.reduce((n, r) => n + r.Values.length, 0);
  };
  try {
    await measure("GetMetricData, 500 MetricStat queries, 3 h at 60 s", getMetricData(60, 3 * 3600));
    await measure("  the same, operation only (no HTTP, no SDK)", inProcess(60, 3 * 3600));
    await measure("GetMetricData, 500 MetricStat queries, 15 min at 5 s", getMetricData(5, 15 * 60));
    await measure("  the same, operation only (no HTTP, no SDK)", inProcess(5, 15 * 60));
    await measure("ListMetrics, whole AWS/ElastiCache namespace (all pages)", async () => {
      let total = 0;
      let NextToken: string | undefined;
      do {
        const out = await cw.send(new ListMetricsCommand({ Namespace: "AWS/ElastiCache", NextToken }));
        total += out.Metrics!.length;
        NextToken = out.NextToken;
      } while (NextToken);
      return total;
    });
    await measure("ListMetrics, one cluster (Dimensions filter)", async () => {
      const out = await cw.send(new ListMetricsCommand({ Namespace: "AWS/ElastiCache", Dimensions: [{ Name: "CacheClusterId", Value: "fleet-001" }] }));
      return out.Metrics!.length;
    });
  } finally {
    cw.destroy();
    server.close();
  }

  const mib = (b: number) => (b / 1024 ** 2).toFixed(1);
  return [
    "## CloudWatch (emulator/cloudwatch)",
    "",
    `Machine: ${machineDescription()}.`,
    "",
    `Store: ${NODES} nodes, ${ids.length} series (${METRICS.length} metrics per node and per member cluster), one point every ${SAMPLE_SECONDS} s for ${HOURS} h = ${points.toLocaleString("en-US")} points, written in ${(fill.ms / 1000).toFixed(1)} s (${Math.round(points / (fill.ms / 1000)).toLocaleString("en-US")} points/s). ` +
      `The store's own estimate is ${mib(usage.bytes)} MiB (${usage.buckets.toLocaleString("en-US")} buckets across the 1 s and 60 s tiers); the process's heap plus array buffers grew ${mib(memoryGrowth)} MiB.`,
    "",
    `Requests through @aws-sdk/client-cloudwatch (awsJson1_0) to a server on 127.0.0.1, ${RUNS} runs after one warm-up; "points" counts the values returned.`,
    "",
    "| request | points / metrics | median ms | p95 ms |",
    "|---|---:|---:|---:|",
    ...rows,
  ].join("\n");
}

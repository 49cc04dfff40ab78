import {
  CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  GetMetricDataCommand,
  ListMetricsCommand,
  PutMetricAlarmCommand,
  type Dimension,
  type MetricDataQuery,
} from "@aws-sdk/client-cloudwatch";
import {
  CreateCacheClusterCommand,
  CreateReplicationGroupCommand,
  CreateServerlessCacheCommand,
  DescribeCacheClustersCommand,
  DescribeServerlessCachesCommand,
  type ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memcachedCommand } from "@/emulator/nodes/memcached-admin";
import { parseInfo, withRedis } from "@/emulator/nodes/redis-admin";
import { ReplicationThrottle } from "@/emulator/nodes/replication-throttle";
import { waitFor } from "@/emulator/nodes/wait-for";
import { faultRequest } from "@/tests/helpers/faults";
import { elasticacheClient, startTestEmulator, TEST_CREDENTIALS, waitForReplicationGroup, type TestEmulator } from "@/tests/helpers/emulator";

// The collector against real nodes: known traffic in, the same numbers out through the SDK's GetMetricData.

const INTERVAL_MS = 200;
let emulator: TestEmulator;
let ec: ElastiCacheClient;
let cw: CloudWatchClient;
const started = Date.now();
let primaryPort: number;
let replicaPort: number;

beforeAll(async () => {
  emulator = await startTestEmulator({ metricsIntervalMs: INTERVAL_MS });
  ec = elasticacheClient(emulator.url);
  cw = new CloudWatchClient({ endpoint: emulator.url, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  await ec.send(
    new CreateReplicationGroupCommand({
      ReplicationGroupId: "metrics-rg", ReplicationGroupDescription: "collector test", CacheNodeType: "cache.t4g.small",
      NumCacheClusters: 2, AutomaticFailoverEnabled: true,
    }),
  );
  const group = await waitForReplicationGroup(ec, "metrics-rg");
  const members = group.NodeGroups![0].NodeGroupMembers!;
  primaryPort = members.find((m) => m.CurrentRole === "primary")!.ReadEndpoint!.Port!;
  replicaPort = members.find((m) => m.CurrentRole === "replica")!.ReadEndpoint!.Port!;
});

afterAll(async () => {
  cw?.destroy();
  await emulator?.dispose();
});

const node = (cluster: string, nodeId = "0001"): Dimension[] => [{ Name: "CacheClusterId", Value: cluster }, { Name: "CacheNodeId", Value: nodeId }];

function query(id: string, metric: string, dims: Dimension[], stat: string, period = 60): MetricDataQuery {
  return { Id: id, MetricStat: { Metric: { Namespace: "AWS/ElastiCache", MetricName: metric, Dimensions: dims }, Period: period, Stat: stat } };
}

/** Each query's values over the whole test window (one 15-minute period), by Id; undefined when it has none. */
async function totals(queries: MetricDataQuery[], region = "us-east-1"): Promise<Record<string, number | undefined>> {
  const client = region === "us-east-1" ? cw : new CloudWatchClient({ endpoint: emulator.url, region, credentials: TEST_CREDENTIALS });
  const out = await client.send(
    new GetMetricDataCommand({
      StartTime: new Date(Math.floor(started / 60_000) * 60_000 - 60_000),
      EndTime: new Date(Date.now() + 60_000),
      MetricDataQueries: queries.map((q) => ({ ...q, MetricStat: q.MetricStat && { ...q.MetricStat, Period: 900 } })),
    }),
  );
  if (client !== cw) client.destroy();
  return Object.fromEntries(out.MetricDataResults!.map((r) => [r.Id, r.Values?.[0]]));
}

/** Polls GetMetricData until `accept` holds (the collector publishes every INTERVAL_MS). */
function until(queries: MetricDataQuery[], accept: (v: Record<string, number | undefined>) => boolean, description: string, region?: string) {
  return waitFor(async () => {
    const v = await totals(queries, region);
    return accept(v) ? v : undefined;
  }, { timeoutMs: 30_000, intervalMs: INTERVAL_MS, description });
}

describe("AWS/ElastiCache metrics from real Redis nodes", () => {
  it("reports CacheHits, CacheMisses and CacheHitRate that agree with a known workload", async () => {
    await withRedis(primaryPort, async (redis) => {
      const write = redis.multi();
      for (let i = 0; i < 50; i++) write.set(`known:${i}`, "v", "EX", 3600);
      await write.exec();
      // One transaction: INFO cannot run in the middle, so all 80 reads land in one sample.
      const read = redis.multi();
      for (let i = 0; i < 50; i++) read.get(`known:${i}`);
      for (let i = 0; i < 30; i++) read.get(`missing:${i}`);
      await read.exec();
    });
    const primary = node("metrics-rg-001");
    const queries = [
      query("hits", "CacheHits", primary, "Sum"),
      query("misses", "CacheMisses", primary, "Sum"),
      query("rate", "CacheHitRate", primary, "Maximum"),
      query("clusterHits", "CacheHits", [{ Name: "CacheClusterId", Value: "metrics-rg-001" }], "Sum"),
      query("gets", "GetTypeCmds", primary, "Sum"),
      query("sets", "SetTypeCmds", primary, "Sum"),
      query("items", "CurrItems", primary, "Maximum"),
      { Id: "computed", Expression: "100 * hits / (hits + misses)" },
    ];
    const v = await until(queries, (r) => r.hits === 50 && r.misses === 30, "50 hits and 30 misses to be published");
    expect(v).toMatchObject({ hits: 50, misses: 30, rate: 62.5, computed: 62.5, clusterHits: 50, gets: 80, sets: 50 });
    expect(v.items).toBeGreaterThanOrEqual(50);
  });

  it("reports IsMaster 1 on the primary, 0 on the replica, and ReplicationLag only for the replica", async () => {
    const v = await until(
      [
        query("primaryRole", "IsMaster", node("metrics-rg-001"), "Minimum"),
        query("replicaRole", "IsMaster", node("metrics-rg-002"), "Maximum"),
        query("replicaLag", "ReplicationLag", node("metrics-rg-002"), "SampleCount"),
        query("primaryLag", "ReplicationLag", node("metrics-rg-001"), "SampleCount"),
        query("replicated", "ReplicationBytes", node("metrics-rg-001"), "Sum"),
      ],
      (r) => r.replicaLag !== undefined && r.replicated !== undefined,
      "replication metrics",
    );
    expect(v).toMatchObject({ primaryRole: 1, replicaRole: 0, primaryLag: undefined });
    expect(v.replicated).toBeGreaterThan(0);
  });

  it("shows ReplicationLag rising while a write burst outruns a slow replica link, and falling once it catches up", async () => {
    const throttle = await ReplicationThrottle.start({ replicaPort, primaryPort, delayMs: 0, bytesPerSecond: 64 * 1024 });
    try {
      await withRedis(primaryPort, async (redis) => {
        const burst = redis.pipeline();
        for (let i = 0; i < 200; i++) burst.set(`burst:${i}`, "x".repeat(2048), "EX", 600);
        await burst.exec();
      });
      const lagQuery = [query("lag", "ReplicationLag", node("metrics-rg-002"), "Maximum", 1)];
      const lagging = await until(lagQuery, (r) => (r.lag ?? 0) >= 2, "the replica's lag to pass 2 s");
      expect(lagging.lag).toBeGreaterThanOrEqual(2);
      throttle.update({ bytesPerSecond: 0 });
      const recent = async () => {
        const out = await cw.send(new GetMetricDataCommand({ StartTime: new Date(Date.now() - 2_000), EndTime: new Date(Date.now() + 1_000), MetricDataQueries: lagQuery }));
        return out.MetricDataResults![0].Values ?? [];
      };
      await waitFor(async () => {
        const values = await recent();
        return values.length > 0 && values.every((v) => v < 1);
      }, { timeoutMs: 30_000, intervalMs: INTERVAL_MS, description: "the lag to fall back under 1 s" });
    } finally {
      await throttle.remove();
    }
  });

  it("turns an alarm on the replica's ReplicationLag to ALARM while the slow-replication fault holds, and back to OK after", async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: "metrics-rg-002-replication-lag", Namespace: "AWS/ElastiCache", MetricName: "ReplicationLag", Dimensions: node("metrics-rg-002"),
        Statistic: "Maximum", Period: 10, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: "GreaterThanThreshold",
        AlarmActions: ["arn:aws:sns:us-east-1:000000000000:ops"],
      }),
    );
    const stateOf = async () => (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ["metrics-rg-002-replication-lag"] }))).MetricAlarms![0].StateValue;
    const becomes = (state: string, description: string) =>
      waitFor(async () => (await stateOf()) === state, { timeoutMs: 40_000, intervalMs: 500, description });
    // The previous test's lag may still be in the current period: wait for OK, and judge the history from here on.
    await becomes("OK", "the alarm to judge the healthy replica OK");
    const faultStart = new Date();
    const slowed = await faultRequest<{ fault: { id: string } }>(emulator.url, "POST", "/slow-replication", { cacheClusterId: "metrics-rg-002", delayMs: 0, bytesPerSecond: 64 * 1024 });
    expect(slowed.status).toBe(201);
    try {
      await withRedis(primaryPort, async (redis) => {
        const burst = redis.pipeline();
        for (let i = 0; i < 200; i++) burst.set(`alarm-burst:${i}`, "x".repeat(2048), "EX", 600);
        await burst.exec();
      });
      await becomes("ALARM", "the alarm to fire on the lagging replica");
    } finally {
      await faultRequest(emulator.url, "DELETE", `/${slowed.body.fault.id}`);
    }
    await becomes("OK", "the alarm to clear once the replica caught up");
    const history = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: "metrics-rg-002-replication-lag", HistoryItemType: "StateUpdate", ScanBy: "TimestampAscending", StartDate: faultStart }));
    expect(history.AlarmHistoryItems!.map((h) => h.HistorySummary)).toEqual([
      "Alarm updated from OK to ALARM",
      "Alarm updated from ALARM to OK",
    ]);
  });

  it("reports Evictions and memory above 90% when writes go past maxmemory", async () => {
    await withRedis(primaryPort, async (redis) => {
      const maxmemory = Number(((await redis.config("GET", "maxmemory")) as string[])[1]);
      const fill = redis.pipeline();
      for (let i = 0; i < (2 * maxmemory) / 4096; i++) fill.set(`fill:${i}`, "y".repeat(4096), "EX", 3600);
      await fill.exec();
    });
    const v = await until(
      [query("evictions", "Evictions", node("metrics-rg-001"), "Sum"), query("memory", "DatabaseMemoryUsagePercentage", node("metrics-rg-001"), "Maximum")],
      (r) => (r.evictions ?? 0) > 0 && (r.memory ?? 0) > 90,
      "evictions and memory above 90%",
    );
    expect(v.evictions).toBeGreaterThan(0);
  });
});

describe("Memcached and serverless metrics", () => {
  it("reports a Memcached node's GetHits, GetMisses and CurrItems", async () => {
    const ec2 = elasticacheClient(emulator.url, "eu-west-1");
    await ec2.send(new CreateCacheClusterCommand({ CacheClusterId: "metrics-mc", Engine: "memcached", CacheNodeType: "cache.t4g.small", NumCacheNodes: 1 }));
    const cluster = await waitFor(async () => {
      const { CacheClusters } = await ec2.send(new DescribeCacheClustersCommand({ CacheClusterId: "metrics-mc", ShowCacheNodeInfo: true }));
      return CacheClusters![0].CacheClusterStatus === "available" ? CacheClusters![0] : undefined;
    }, { timeoutMs: 30_000, description: "metrics-mc to be available" });
    const port = cluster.CacheNodes![0].Endpoint!.Port!;
    const ok = (r: string) => /(STORED|END)\r\n$/.test(r);
    for (let i = 0; i < 3; i++) await memcachedCommand(port, `set k${i} 0 0 1\r\nv\r\n`, ok);
    for (let i = 0; i < 5; i++) await memcachedCommand(port, `get k${i % 3}\r\n`, ok);
    for (let i = 0; i < 2; i++) await memcachedCommand(port, `get nope${i}\r\n`, ok);
    const v = await until(
      [query("hits", "GetHits", node("metrics-mc"), "Sum"), query("misses", "GetMisses", node("metrics-mc"), "Sum"), query("items", "CurrItems", node("metrics-mc"), "Maximum")],
      (r) => r.hits === 5 && r.misses === 2,
      "memcached hits and misses",
      "eu-west-1",
    );
    expect(v.items).toBe(3);
    ec2.destroy();
  });

  it("reports a serverless cache's commands, hit rate and latency under the clusterId dimension", async () => {
    const ec2 = elasticacheClient(emulator.url, "eu-west-1");
    await ec2.send(new CreateServerlessCacheCommand({ ServerlessCacheName: "metrics-sls", Engine: "valkey" }));
    const cache = await waitFor(async () => {
      const { ServerlessCaches } = await ec2.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: "metrics-sls" }));
      return ServerlessCaches![0].Status === "AVAILABLE" ? ServerlessCaches![0] : undefined;
    }, { timeoutMs: 30_000, description: "metrics-sls to be available" });
    const served = await withRedis(cache.Endpoint!.Port!, async (redis) => {
      const t = redis.multi();
      for (let i = 0; i < 20; i++) t.set(`s${i}`, "v");
      for (let i = 0; i < 20; i++) t.get(`s${i % 10}`);
      await t.exec();
      // What the node itself counts, apart from INFO/COMMAND (the collector's and the client's ready check).
      const stats = parseInfo(await redis.info("commandstats"));
      const calls = (name: string) => Number(/calls=(\d+)/.exec(stats[`cmdstat_${name}`] ?? "")?.[1] ?? 0);
      const total = Object.keys(stats).map((k) => k.slice("cmdstat_".length)).filter((n) => n !== "info" && !n.startsWith("command"));
      return { total: total.reduce((n, name) => n + calls(name), 0), pings: calls("ping") };
    });
    const dims = [{ Name: "clusterId", Value: "metrics-sls" }];
    const v = await until(
      [
        query("cmds", "TotalCmdsCount", dims, "Sum"),
        query("rate", "CacheHitRate", dims, "Maximum"),
        query("reads", "SuccessfulReadRequestLatency", dims, "SampleCount"),
        query("writes", "SuccessfulWriteRequestLatency", dims, "SampleCount"),
        query("ecpu", "ElastiCacheProcessingUnits", dims, "Sum"),
        query("bytes", "BytesUsedForCache", dims, "Maximum"),
      ],
      (r) => r.reads === 20 && r.writes === 20 && r.cmds === served.total,
      "serverless metrics",
      "eu-west-1",
    );
    // 20 SET, 20 GET, MULTI and EXEC, besides the control plane's health-check PINGs.
    expect(served.total - served.pings).toBe(42);
    expect(v).toMatchObject({ rate: 100, reads: 20, writes: 20 });
    expect(v.ecpu).toBeGreaterThanOrEqual(42);
    expect(v.bytes).toBeGreaterThan(0);
    const listed = await new CloudWatchClient({ endpoint: emulator.url, region: "eu-west-1", credentials: TEST_CREDENTIALS }).send(
      new ListMetricsCommand({ Namespace: "AWS/ElastiCache", Dimensions: [{ Name: "clusterId" }] }),
    );
    expect(new Set(listed.Metrics!.map((m) => m.MetricName))).toContain("ThrottledCmds");
    ec2.destroy();
  });
});

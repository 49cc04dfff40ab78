import { describe, expect, it } from "vitest";
import {
  alarmCoverage,
  alarmName,
  coverageCount,
  indexAlarms,
  metricKey,
  recommendedAlarms,
  shownState,
  vcpusOf,
  type AlarmedCache,
  type ExistingAlarm,
} from "@/lib/posture/recommended-alarms";

const group: AlarmedCache = {
  kind: "replication-group", id: "orders", engine: "redis", nodeType: "cache.r7g.large",
  nodes: [{ cacheClusterId: "orders-001", nodeId: "0001" }, { cacheClusterId: "orders-002", nodeId: "0001" }],
};
const standalone: AlarmedCache = { kind: "cache-cluster", id: "solo", engine: "valkey", nodeType: "cache.m7g.2xlarge", nodes: [{ cacheClusterId: "solo", nodeId: "0001" }] };
const memcached: AlarmedCache = {
  kind: "cache-cluster", id: "sessions", engine: "memcached", nodeType: "cache.t4g.small",
  nodes: [{ cacheClusterId: "sessions", nodeId: "0001" }, { cacheClusterId: "sessions", nodeId: "0002" }],
};
const serverless: AlarmedCache = { kind: "serverless", id: "profiles", engine: "valkey", nodeType: null, nodes: [] };

function existing(name: string, metric: string, dimensions: Record<string, string>, state: ExistingAlarm["state"] = "OK"): ExistingAlarm {
  return { name, namespace: "AWS/ElastiCache", metric, dimensions: Object.entries(dimensions).map(([n, value]) => ({ name: n, value })), state, stateUpdatedAt: 0, threshold: 1, actions: [] };
}

describe("recommended alarms per cache kind", () => {
  it("gives each node of a replication group CPU, engine CPU, memory, evictions, connections and replication lag", () => {
    const alarms = recommendedAlarms(group);
    expect(alarms).toHaveLength(12);
    expect(alarms.filter((a) => a.target === "orders-002/0001").map((a) => a.rule.metric)).toEqual([
      "CPUUtilization", "EngineCPUUtilization", "DatabaseMemoryUsagePercentage", "Evictions", "CurrConnections", "ReplicationLag",
    ]);
    const lag = alarms.find((a) => a.name === "cachedeck-orders-002-0001-ReplicationLag")!;
    expect(lag.dimensions).toEqual([{ name: "CacheClusterId", value: "orders-002" }, { name: "CacheNodeId", value: "0001" }]);
    // A primary publishes no ReplicationLag; after a failover it may be a replica again, so its alarm is not a breach.
    expect(lag.rule).toMatchObject({ threshold: 60, statistic: "Maximum", treatMissingData: "notBreaching", period: 60 });
  });

  it("uses AWS's thresholds: engine CPU and memory 90%, connections 10,000, any eviction, host CPU 90% over the vCPUs", () => {
    const rules = Object.fromEntries(recommendedAlarms(group).filter((a) => a.target === "orders-001/0001").map((a) => [a.rule.metric, a.rule]));
    expect(rules.EngineCPUUtilization).toMatchObject({ threshold: 90, comparison: "GreaterThanThreshold", evaluationPeriods: 5, datapointsToAlarm: 5 });
    expect(rules.DatabaseMemoryUsagePercentage).toMatchObject({ threshold: 90, evaluationPeriods: 5, datapointsToAlarm: 5 });
    expect(rules.CurrConnections).toMatchObject({ threshold: 10_000 });
    expect(rules.Evictions).toMatchObject({ threshold: 0, statistic: "Sum", evaluationPeriods: 1, treatMissingData: "notBreaching" });
    expect(rules.CPUUtilization.threshold).toBe(45);
    const solo = recommendedAlarms(standalone);
    expect(solo.find((a) => a.rule.metric === "CPUUtilization")!.rule.threshold).toBe(11.3);
    expect(solo.map((a) => a.rule.metric)).not.toContain("ReplicationLag");
  });

  it("gives Memcached nodes host CPU at 90%, evictions and connections, and serverless caches throttled commands", () => {
    const nodes = recommendedAlarms(memcached);
    expect(nodes.map((a) => `${a.target} ${a.rule.metric}`)).toEqual([
      "sessions/0001 CPUUtilization", "sessions/0001 Evictions", "sessions/0001 CurrConnections",
      "sessions/0002 CPUUtilization", "sessions/0002 Evictions", "sessions/0002 CurrConnections",
    ]);
    expect(nodes[0].rule.threshold).toBe(90);
    expect(recommendedAlarms(serverless)).toEqual([
      expect.objectContaining({ name: "cachedeck-profiles-ThrottledCmds", dimensions: [{ name: "clusterId", value: "profiles" }] }),
    ]);
  });

  it("reads vCPUs from the node type's size, and nothing from a name that is not one", () => {
    expect([vcpusOf("cache.t2.micro"), vcpusOf("cache.t4g.micro"), vcpusOf("cache.r7g.xlarge"), vcpusOf("cache.r6g.16xlarge")]).toEqual([1, 2, 4, 64]);
    expect(vcpusOf("db.r7g.large")).toBeNull();
    expect(vcpusOf(null)).toBeNull();
    expect(recommendedAlarms({ ...standalone, nodeType: null }).find((a) => a.rule.metric === "CPUUtilization")!.rule.threshold).toBe(80);
  });

  it("names alarms deterministically, one name per node and metric", () => {
    expect(alarmName("orders-001/0001", "Evictions")).toBe("cachedeck-orders-001-0001-Evictions");
    const names = [group, standalone, memcached, serverless].flatMap(recommendedAlarms).map((a) => a.name);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe("matching alarms that exist", () => {
  it("matches on namespace, metric and dimensions in any order, not on the name", () => {
    const byHand = existing("orders primary evictions (team pager)", "Evictions", { CacheNodeId: "0001", CacheClusterId: "orders-001" }, "ALARM");
    const coverage = alarmCoverage(group, indexAlarms([byHand]));
    const evictions = coverage.find((c) => c.recommended.name === "cachedeck-orders-001-0001-Evictions")!;
    expect(evictions.existing).toEqual([byHand]);
    expect(shownState(evictions)).toBe("ALARM");
    expect(coverageCount(coverage)).toEqual({ present: 1, recommended: 12 });
  });

  it("does not count an alarm whose name matches but that watches something else", () => {
    const misleading = existing("cachedeck-orders-001-0001-Evictions", "Evictions", { CacheClusterId: "orders-001" });
    const wrongMetric = existing("x", "Reclaimed", { CacheClusterId: "orders-001", CacheNodeId: "0001" });
    expect(coverageCount(alarmCoverage(group, indexAlarms([misleading, wrongMetric])))).toEqual({ present: 0, recommended: 12 });
  });

  it("shows the worst state of several alarms on one metric, and missing when there is none", () => {
    const dims = { CacheClusterId: "solo", CacheNodeId: "0001" };
    const coverage = alarmCoverage(standalone, indexAlarms([existing("a", "CurrConnections", dims, "OK"), existing("b", "CurrConnections", dims, "INSUFFICIENT_DATA")]));
    expect(shownState(coverage.find((c) => c.recommended.rule.metric === "CurrConnections")!)).toBe("INSUFFICIENT_DATA");
    expect(shownState(coverage.find((c) => c.recommended.rule.metric === "Evictions")!)).toBe("missing");
  });

  it("keys a metric the same whatever the dimensions' order", () => {
    expect(metricKey("AWS/ElastiCache", "CPUUtilization", [{ name: "CacheNodeId", value: "0001" }, { name: "CacheClusterId", value: "a" }])).toBe(
      metricKey("AWS/ElastiCache", "CPUUtilization", [{ name: "CacheClusterId", value: "a" }, { name: "CacheNodeId", value: "0001" }]),
    );
  });
});

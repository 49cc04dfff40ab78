import { describe, expect, it } from "vitest";
import { alarmsView } from "@/lib/data/alarms";
import { alarmCoverage, indexAlarms, type AlarmedCache, type ExistingAlarm } from "@/lib/posture/recommended-alarms";

const group: AlarmedCache = {
  kind: "replication-group", id: "orders", engine: "redis", nodeType: "cache.r7g.large",
  nodes: [{ cacheClusterId: "orders-001", nodeId: "0001" }, { cacheClusterId: "orders-002", nodeId: "0001" }],
};

function alarm(name: string, metric: string, cluster: string, state: ExistingAlarm["state"]): ExistingAlarm {
  return { name, namespace: "AWS/ElastiCache", metric, dimensions: [{ name: "CacheClusterId", value: cluster }, { name: "CacheNodeId", value: "0001" }], state, stateUpdatedAt: 0, threshold: 0, actions: [] };
}

describe("a cache page's alarms", () => {
  const alarms = [alarm("pager-evictions", "Evictions", "orders-001", "ALARM"), alarm("cachedeck-orders-002-0001-ReplicationLag", "ReplicationLag", "orders-002", "OK")];
  const view = alarmsView(alarmCoverage(group, indexAlarms(alarms)), [
    { alarm: "pager-evictions", t: 1_000, from: "OK", to: "ALARM" },
    { alarm: "cachedeck-orders-002-0001-ReplicationLag", t: 2_000, from: "INSUFFICIENT_DATA", to: "OK" },
    { alarm: "someone-elses-alarm", t: 3_000, from: "OK", to: "ALARM" },
  ]);

  it("counts what exists and says each rule in words", () => {
    expect([view.present, view.recommended]).toEqual([2, 12]);
    const evictions = view.rows.find((r) => r.name === "cachedeck-orders-001-0001-Evictions")!;
    expect(evictions).toMatchObject({ target: "orders-001/0001", state: "ALARM", names: ["pager-evictions"], rule: "Sum > 0 in a minute" });
    expect(view.rows.find((r) => r.name === "cachedeck-orders-001-0001-EngineCPUUtilization")).toMatchObject({ state: "missing", rule: "Average > 90% for 5 of 5 periods of 1 min" });
  });

  it("puts each state change on the chart of its metric, and none for alarms that are not the cache's", () => {
    expect(view.markers).toEqual([
      { chart: "evictions", t: 1_000, to: "ALARM", label: "pager-evictions (orders-001/0001) → ALARM" },
      { chart: "replication-lag", t: 2_000, to: "OK", label: "cachedeck-orders-002-0001-ReplicationLag (orders-002/0001) → OK" },
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { markHotShards, redisCharts } from "@/lib/data/cluster-charts";
import { slotCount } from "@/lib/data/cluster";
import { categorizeEvent, toEventViews } from "@/lib/data/events";
import type { NodeView, ShardView } from "@/lib/data/model";
import { timeGrid } from "@/lib/data/series";

const shard = (id: string, opsPerSecond: number, cpu: number, keys = 1000): ShardView => ({
  id, status: "available", slots: null, slotCount: null, primary: null, nodeCount: 2, keys, opsPerSecond, cpu, memory: 40, networkOutPerSecond: 50_000, hot: [],
});

describe("hot shard detection", () => {
  it("marks the shard carrying 1.5× the median or more, naming the measures", () => {
    const [a, b, c] = markHotShards([shard("0001", 100, 10), shard("0002", 110, 11), shard("0003", 400, 35)]);
    expect(a.hot).toEqual([]);
    expect(b.hot).toEqual([]);
    expect(c.hot).toEqual(["commands/s 3.6× median", "CPU 3.2× median"]);
  });

  it("does not call an idle shard hot over noise, nor a lone shard", () => {
    expect(markHotShards([shard("0001", 0, 0.2, 3), shard("0002", 0.5, 0.9, 8)]).flatMap((s) => s.hot)).toEqual([]);
    expect(markHotShards([shard("0001", 1000, 90)])[0].hot).toEqual([]);
  });
});

describe("slot ranges", () => {
  it("counts the slots of one or several ranges", () => {
    expect(slotCount("0-5460")).toBe(5461);
    expect(slotCount("0-100,200-299,16383")).toBe(202);
  });
});

describe("events", () => {
  it("sorts a group's events newest first and sorts them into kinds", () => {
    const views = toEventViews([
      { sourceId: "orders-001", sourceType: "cache-cluster", at: 1000, message: "Failover from primary node orders-001 to replica node orders-002 completed" },
      { sourceId: "billing", sourceType: "cache-cluster", at: 3000, message: "Cache cluster created" },
      { sourceId: "orders", sourceType: "replication-group", at: 2000, message: "Test Failover API called for node group 0001" },
    ]);
    expect(views.map((v) => [v.source, v.category])).toEqual([["billing", "lifecycle"], ["orders", "failover"], ["orders-001", "failover"]]);
    expect(categorizeEvent("Recovering cache nodes 0001")).toBe("node");
    expect(categorizeEvent("Replication group orders created")).toBe("lifecycle");
  });
});

describe("cluster charts", () => {
  const node = (name: string, role: NodeView["role"]): NodeView => ({
    name, cacheClusterId: name, nodeId: "0001", shardId: "0001", role, status: "available", zone: "us-east-1a", endpoint: null, lag: null, memory: null, cpu: null, items: null, connections: null,
  });
  const grid = timeGrid(0, 180_000, 60);
  const read = (n: { cacheClusterId: string }, metric: string) =>
    metric === "hits" ? [90, 90, null] : metric === "misses" ? [10, 30, null] : metric === "lag" && n.cacheClusterId === "orders-001" ? [null, null, null] : [1, 2, 3];

  it("draws a cluster line plus one per node, replication lag for replicas (and former replicas), and one node alone when focused", () => {
    const nodes = [node("orders-001", "primary"), node("orders-002", "replica")];
    const charts = redisCharts(nodes, read, grid, 60, null);
    const hitRate = charts.find((c) => c.id === "hit-rate")!;
    expect(hitRate.lines.map((l) => l.label)).toEqual(["orders-001", "orders-002", "Cluster"]);
    expect(hitRate.rows.map((r) => r.cluster)).toEqual([90, 75, null]);
    expect(charts.find((c) => c.id === "replication-lag")!.lines.map((l) => l.label)).toEqual(["orders-002"]);
    // After a failover the new primary keeps the lag it had as a replica earlier in the window.
    const laggedBefore = (n: { cacheClusterId: string }, metric: string) => (metric === "lag" && n.cacheClusterId === "orders-001" ? [3, null, null] : metric === "lag" ? [null, null, null] : [1, 2, 3]);
    expect(redisCharts(nodes, laggedBefore, grid, 60, null).find((c) => c.id === "replication-lag")!.lines.map((l) => l.label)).toEqual(["orders-001", "orders-002"]);
    const focused = redisCharts(nodes, read, grid, 60, "orders-001");
    expect(focused.find((c) => c.id === "engine-cpu")!.lines.map((l) => l.label)).toEqual(["orders-001"]);
    expect(focused.find((c) => c.id === "network")!.title).toBe("Network (orders-001)");
  });
});

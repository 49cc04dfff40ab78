import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countAwsCalls, describeCacheClusters, describeReplicationGroups, describeServerlessCaches, getMetricSeries, type MetricRequest } from "@/lib/aws";
import { loadFleet } from "@/lib/data/fleet";
import { stopAllWatchers } from "@/lib/watcher";
import { readDetail } from "@/lib/watcher/detail-feed";
import { resolveTimeWindow } from "@/lib/data/time-range";
import { waitFor } from "@/emulator/nodes/wait-for";
import { REPO_ROOT, startTestEmulator, type TestEmulator, pointAwsSdkAt } from "../../helpers/emulator";
import { startRegionGate, type RegionGate } from "../../helpers/region-gate";
import { at } from "../../helpers/place";
import type { Place } from "@/lib/place";

// The dashboard's read models against a real emulator running the demo fleet, reached the way the app reaches AWS:
// lib/aws clients configured only through AWS_ENDPOINT_URL and the SDK's credential chain. A gate in between can
// deny a region, as an organisation policy would.
let emulator: TestEmulator;
let gate: RegionGate;
const regions = ["us-east-1", "eu-west-1"];

async function everythingAvailable(): Promise<boolean> {
  const [groups, clusters, serverless] = await Promise.all([
    describeReplicationGroups(at("us-east-1")),
    Promise.all(regions.map((r) => describeCacheClusters(at(r)))).then((all) => all.flat()),
    describeServerlessCaches(at("us-east-1")),
  ]);
  return (
    groups.length === 2 &&
    groups.every((g) => g.status === "available") &&
    clusters.every((c) => c.status === "available") &&
    serverless.length === 1 &&
    serverless.every((s) => s.status === "available")
  );
}

beforeAll(async () => {
  emulator = await startTestEmulator({ fleetFile: path.join(REPO_ROOT, "emulator/fleets/demo.json") });
  gate = await startRegionGate(emulator.url);
  pointAwsSdkAt(gate.url);
  await waitFor(everythingAvailable, { timeoutMs: 90_000, intervalMs: 250, description: "the demo fleet to be available" });
});

afterAll(async () => {
  stopAllWatchers();
  await gate?.close();
  await emulator?.dispose();
});

const window = () => resolveTimeWindow({ range: "1h" }, Date.now()).window;
/** A cluster page's read, as its shared feed makes it: from the region's watcher, with the page's own metrics and events. */
const clusterPage = (place: Place, id: string, params: Record<string, string> = { range: "1h" }) => readDetail({ segment: "clusters", place, id, params });

describe("fleet read model on the demo fleet", () => {
  it("lists every cluster of both regions with its topology and tags", async () => {
    const fleet = await loadFleet(window(), Date.now(), regions.map(at));
    const byId = Object.fromEntries(fleet.clusters.map((c) => [c.id, c]));
    expect(Object.keys(byId).sort()).toEqual(["catalog-cache", "feature-flags", "orders-sessions", "pricing-memcached", "user-profiles"]);

    expect(byId["orders-sessions"]).toMatchObject({
      kind: "replication-group", region: "us-east-1", engine: "redis", clusterMode: "disabled", nodeType: "cache.r7g.large", shards: 1, nodes: 3,
      zones: [{ zone: "us-east-1a", nodes: 1 }, { zone: "us-east-1b", nodes: 1 }, { zone: "us-east-1c", nodes: 1 }],
      status: "available", tags: { service: "orders", team: "checkout", env: "production" }, href: "/clusters/us-east-1/orders-sessions",
    });
    expect(byId["orders-sessions"].engineVersion).toMatch(/^7\.1/);
    expect(byId["catalog-cache"]).toMatchObject({ engine: "valkey", clusterMode: "enabled", shards: 3, nodes: 6 });
    expect(byId["pricing-memcached"]).toMatchObject({ kind: "cache-cluster", region: "eu-west-1", engine: "memcached", clusterMode: null, nodes: 2 });
    expect(byId["pricing-memcached"].zones.length).toBe(2);
    expect(byId["feature-flags"]).toMatchObject({ kind: "replication-group", engine: "redis", clusterMode: "disabled", nodes: 2, zones: [{ zone: "eu-west-1b", nodes: 1 }, { zone: "eu-west-1c", nodes: 1 }] });
    expect(byId["user-profiles"]).toMatchObject({ kind: "serverless", engine: "valkey", status: "available", href: "/serverless/us-east-1/user-profiles" });
  });

  it("reports a denied region with advice while the other region still renders", async () => {
    stopAllWatchers();
    gate.blocked.add("eu-west-1");
    try {
      const fleet = await loadFleet(window(), Date.now(), regions.map(at));
      expect(fleet.clusters.map((c) => c.id).sort()).toEqual(["catalog-cache", "orders-sessions", "user-profiles"]);
      const eu = fleet.regions.find((r) => r.region === "eu-west-1")!;
      expect(eu.problems[0]).toMatchObject({ kind: "access-denied", region: "eu-west-1" });
      expect(eu.problems[0].message).toMatch(/does not allow CacheDeck to call elasticache:Describe\w+ in eu-west-1/);
      expect(eu.problems[0].adminDetail).toMatch(/docs\/iam-policy\.md/);
      expect(fleet.regions.find((r) => r.region === "us-east-1")!.problems.filter((p) => p.kind === "access-denied")).toEqual([]);
    } finally {
      gate.blocked.delete("eu-west-1");
      stopAllWatchers();
    }
  });
});

describe("cluster read models", () => {
  it("shows a cluster-mode group's shards with slot ranges covering all 16,384 slots and nodes across AZs", async () => {
    const detail = (await clusterPage(at("us-east-1"), "catalog-cache"))!;
    expect(detail.shards.map((s) => s.id)).toEqual(["0001", "0002", "0003"]);
    expect(detail.shards.reduce((sum, s) => sum + (s.slotCount ?? 0), 0)).toBe(16_384);
    expect(detail.nodes).toHaveLength(6);
    expect(new Set(detail.nodes.map((n) => n.shardId))).toEqual(new Set(["0001", "0002", "0003"]));
    expect(detail.nodes.every((n) => n.endpoint?.startsWith("127.0.0.1:"))).toBe(true);
    expect(detail.endpoints[0]).toMatchObject({ label: "Configuration endpoint" });
    expect(detail.events.some((e) => e.message.includes("created"))).toBe(true);
  });

  it("shows a cluster-mode-disabled group's primary and replicas, one per AZ", async () => {
    const detail = (await clusterPage(at("us-east-1"), "orders-sessions"))!;
    expect(detail.zones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
    expect(detail.nodes.map((n) => n.role).sort()).toEqual(["primary", "replica", "replica"]);
    expect(detail).toMatchObject({ multiAz: true, automaticFailover: "enabled", shards: [] });
    expect(detail.endpoints.map((e) => e.label)).toEqual(["Primary endpoint", "Reader endpoint"]);
  });

  it("gives Memcached its nodes without roles or shards, and a serverless cache its endpoint and limits", async () => {
    const memcached = (await clusterPage(at("eu-west-1"), "pricing-memcached"))!;
    expect(memcached.nodes.map((n) => [n.name, n.role])).toEqual([["node 0001", "node"], ["node 0002", "node"]]);
    expect(memcached.shards).toEqual([]);
    expect(memcached.charts.map((c) => c.id)).not.toContain("replication-lag");
    const serverless = (await readDetail({ segment: "serverless", place: at("us-east-1"), id: "user-profiles", params: { range: "1h" } }))!;
    expect(serverless.nodes).toEqual([]);
    expect(serverless.endpoints[0].address).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(serverless.facts).toContainEqual({ label: "Data storage limit", value: "10 GB" });
  });

  it("answers null for a cluster the region does not have", async () => {
    expect(await clusterPage(at("us-east-1"), "no-such-cluster")).toBeNull();
    expect(await readDetail({ segment: "serverless", place: at("eu-west-1"), id: "no-such-cache", params: { range: "1h" } })).toBeNull();
  });
});

describe("metrics from the emulator's collector", () => {
  it("gives node-based clusters health figures and trend lines, and cluster-mode nodes their roles from IsMaster", async () => {
    const fifteen = () => resolveTimeWindow({ range: "15m" }, Date.now()).window;
    const fleet = await waitFor(
      async () => {
        const f = await loadFleet(fifteen(), Date.now(), regions.map(at));
        const ready = ["orders-sessions", "catalog-cache", "feature-flags"].every((id) => f.clusters.find((c) => c.id === id)?.health.figures?.memory != null);
        return ready ? f : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 1_000, description: "memory figures for the Redis clusters" },
    );
    const orders = fleet.clusters.find((c) => c.id === "orders-sessions")!;
    expect(orders.health.figures!.memory).toBeGreaterThan(0);
    expect(orders.health.figures!.memory).toBeLessThan(100);
    expect(orders.health.figures!.engineCpu).not.toBeNull();
    expect(orders.health.level).not.toBe("unknown");
    expect(orders.health.trends!.memory.some((v) => v !== null)).toBe(true);

    const catalog = await waitFor(
      async () => {
        const d = (await clusterPage(at("us-east-1"), "catalog-cache", { range: "15m" }))!;
        return d.nodes.every((n) => n.role !== "unknown") ? d : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 1_000, description: "IsMaster for every catalog-cache node" },
    );
    for (const shard of ["0001", "0002", "0003"]) {
      expect(catalog.nodes.filter((n) => n.shardId === shard).map((n) => n.role).sort()).toEqual(["primary", "replica"]);
    }
    expect(catalog.shards.every((s) => s.primary !== null)).toBe(true);
    expect(catalog.charts.find((c) => c.id === "memory")!.rows.some((r) => r.n0 !== null)).toBe(true);
  });
});

describe("GetMetricData batching on the wire", () => {
  it("sends 1,230 queries as three calls of at most 500 and maps every series back to its key", async () => {
    const members = ["orders-sessions-001", "orders-sessions-002", "orders-sessions-003"];
    const requests: MetricRequest[] = Array.from({ length: 1230 }, (_, i) => ({
      key: `q${i}`,
      namespace: "AWS/ElastiCache",
      metricName: i % 2 ? "CurrConnections" : "DatabaseMemoryUsagePercentage",
      dimensions: { CacheClusterId: members[i % 3] },
      stat: ["Average", "Maximum", "Minimum", "Sum", "SampleCount"][i % 5],
      period: 60,
    }));
    const fetchAll = () => {
      const end = Date.now();
      return countAwsCalls(() => getMetricSeries(at("us-east-1"), requests, { start: new Date(end - 15 * 60_000), end: new Date(end) }));
    };
    const { result, calls } = await waitFor(async () => {
      const answer = await fetchAll();
      return answer.result.get("q0")?.values.length ? answer : undefined;
    }, { timeoutMs: 60_000, intervalMs: 1_000, description: "memory points for orders-sessions-001" });
    expect(calls.map((c) => c.operation)).toEqual(["GetMetricData", "GetMetricData", "GetMetricData"]);
    expect(result.size).toBe(1230);
    expect(result.get("q0")!.values.length).toBeGreaterThan(0);
    expect(result.get("q0")!.values.every((v) => v > 0 && v < 100)).toBe(true);
    expect(result.get("q1229")!.timestamps).toEqual([...result.get("q1229")!.timestamps].sort((a, b) => a - b));
  });

  it("paces a read when asked: `between` runs before each pair of calls after the first, once the pair before has answered", async () => {
    // A region no watcher reads, so the gate's count for it is this read's calls alone.
    const quiet = "ap-south-1";
    const requests: MetricRequest[] = Array.from({ length: 1_700 }, (_, i) => ({
      key: `p${i}`, namespace: "AWS/ElastiCache", metricName: "CurrConnections", dimensions: { CacheClusterId: `paced-${i}` }, stat: "Average", period: 60,
    }));
    const sent = () => gate.seen.get(quiet) ?? 0;
    const seenAtPause: number[] = [];
    const end = Date.now();
    const result = await getMetricSeries(at(quiet), requests, { start: new Date(end - 5 * 60_000), end: new Date(end) }, {
      between: async () => void seenAtPause.push(sent()),
    });
    // Four batches of at most 500: two pairs, one pause between them, with the first pair already sent.
    expect(seenAtPause).toEqual([2]);
    expect(sent()).toBe(4);
    expect(result.size).toBe(1_700);
  });
});

describe("AWS calls per page", () => {
  it("fleet: no AWS call once the regions' watchers are warm; cluster pages read only their metrics and events", async () => {
    const ops = (calls: { operation: string }[]) => calls.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.operation]: (acc[c.operation] ?? 0) + 1 }), {});
    await loadFleet(window(), Date.now(), regions.map(at));
    const { calls } = await countAwsCalls(() => loadFleet(window(), Date.now(), regions.map(at)));
    expect(ops(calls)).toEqual({});
    const cluster = await countAwsCalls(() => clusterPage(at("us-east-1"), "catalog-cache"));
    // The group, its members and its tags come from the watcher (tags from its GetResources read, not ListTagsForResource).
    expect(ops(cluster.calls)).toEqual({ GetMetricData: 1, DescribeEvents: 1 });
    expect(cluster.result!.summary.tags).toEqual({ service: "catalog", team: "discovery", env: "production" });
    const serverless = await countAwsCalls(() => readDetail({ segment: "serverless", place: at("us-east-1"), id: "user-profiles", params: { range: "1h" } }));
    // The serverless cache too comes from the watcher's describe.
    expect(ops(serverless.calls)).toEqual({ GetMetricData: 1, DescribeEvents: 1 });
    expect(serverless.result!.summary.tags).toEqual({ service: "profiles", team: "identity", env: "production" });
  });
});

import { describe, expect, it } from "vitest";
import { countHealth, filterFleet, filterOptions, parseFleetQuery, sortFleet } from "@/lib/data/fleet-query";
import type { HealthLevel, Problem } from "@/lib/data/health";
import type { ClusterSummary } from "@/lib/data/model";

function cluster(id: string, region: string, engine: string, level: HealthLevel, extra: { hitRate?: number; problems?: Problem[]; tags?: Record<string, string>; status?: string } = {}): ClusterSummary {
  return {
    kind: "replication-group", id, region, arn: null, engine, engineVersion: "7.1", clusterMode: "disabled", nodeType: "cache.r7g.large",
    shards: 1, nodes: 3, zones: [], status: extra.status ?? "available", activity: [], reshardingPercent: null, tags: extra.tags ?? {}, href: `/clusters/${region}/${id}`,
    health: { level, problems: extra.problems ?? [], trends: null, figures: extra.hitRate === undefined ? null : { hitRate: extra.hitRate, lookups: 1000, evictions: 0, evictionRun: 0, replicationLag: 0, engineCpu: 5, memory: 10 } },
  };
}

const fleet = [
  cluster("orders-sessions", "us-east-1", "redis", "healthy", { hitRate: 97, tags: { team: "checkout" } }),
  cluster("catalog-cache", "us-east-1", "valkey", "warning", { hitRate: 60, problems: [{ code: "hit-rate", level: "warning", summary: "Hit rate 60%" }], tags: { team: "discovery" } }),
  cluster("pricing-memcached", "eu-west-1", "memcached", "critical", { hitRate: 30, problems: [{ code: "hit-rate", level: "critical", summary: "Hit rate 30%" }] }),
  cluster("feature-flags", "eu-west-1", "redis", "unknown", { status: "modifying" }),
];

describe("fleet filters, kept in the URL", () => {
  it("filters by region, engine, status, health, problem and tag", () => {
    const ids = (params: Record<string, string>) => filterFleet(fleet, parseFleetQuery(params)).map((c) => c.id);
    expect(ids({ region: "eu-west-1" })).toEqual(["pricing-memcached", "feature-flags"]);
    expect(ids({ engine: "valkey" })).toEqual(["catalog-cache"]);
    expect(ids({ status: "not-available" })).toEqual(["feature-flags"]);
    expect(ids({ health: "critical" })).toEqual(["pricing-memcached"]);
    expect(ids({ problem: "hit-rate" })).toEqual(["catalog-cache", "pricing-memcached"]);
    expect(ids({ problem: "any", region: "us-east-1" })).toEqual(["catalog-cache"]);
    expect(ids({ tag: "team=checkout" })).toEqual(["orders-sessions"]);
    expect(ids({ tag: "team" })).toEqual(["orders-sessions", "catalog-cache"]);
  });

  it("searches every word across name, engine, node type and tags", () => {
    const ids = (q: string) => filterFleet(fleet, parseFleetQuery({ q })).map((c) => c.id);
    expect(ids("CATALOG")).toEqual(["catalog-cache"]);
    expect(ids("discovery valkey")).toEqual(["catalog-cache"]);
    expect(ids("r7g eu-west")).toEqual(["pricing-memcached", "feature-flags"]);
  });

  it("ignores malformed params instead of failing the page", () => {
    expect(parseFleetQuery({ sort: "bogus", dir: "sideways", health: "great", region: ["us-east-1", "eu-west-1"] })).toEqual({ region: "us-east-1" });
  });
});

describe("fleet sorting", () => {
  it("puts the worst health first by default", () => {
    expect(sortFleet(fleet, {}).map((c) => c.health.level)).toEqual(["critical", "warning", "unknown", "healthy"]);
  });

  it("sorts by a figure either way, clusters without data last", () => {
    expect(sortFleet(fleet, { sort: "hitRate", dir: "asc" }).map((c) => c.id)).toEqual(["pricing-memcached", "catalog-cache", "orders-sessions", "feature-flags"]);
    expect(sortFleet(fleet, { sort: "hitRate", dir: "desc" }).map((c) => c.id)).toEqual(["orders-sessions", "catalog-cache", "pricing-memcached", "feature-flags"]);
    expect(sortFleet(fleet, { sort: "name" }).map((c) => c.id)[0]).toBe("catalog-cache");
  });
});

describe("fleet summary", () => {
  it("counts each health level and offers filter choices from the data", () => {
    expect(countHealth(fleet)).toEqual({ total: 4, healthy: 1, warning: 1, critical: 1, unknown: 1 });
    expect(filterOptions(fleet)).toMatchObject({ regions: ["eu-west-1", "us-east-1"], problems: ["hit-rate"], tags: ["team=checkout", "team=discovery"] });
  });
});

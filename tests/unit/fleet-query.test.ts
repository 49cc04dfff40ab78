import { describe, expect, it } from "vitest";
import { applyFleetChanges } from "@/lib/data/fleet-changes";
import { countHealth, filterFleet, filterOptions, parseFleetQuery, sortFleet, valuesOf } from "@/lib/data/fleet-query";
import type { HealthLevel, Problem } from "@/lib/data/health";
import { columnFiltersOf, fleetSorts } from "@/components/fleet/fleet-columns";
import { fleetRow, syntheticFleet } from "../helpers/fleet-rows";

function cluster(id: string, region: string, engine: string, level: HealthLevel, extra: { hitRate?: number; problems?: Problem[]; tags?: Record<string, string>; status?: string } = {}) {
  const figures = extra.hitRate === undefined ? null : { hitRate: extra.hitRate, lookups: 1000, evictions: 0, evictionRun: 0, replicationLag: 0, engineCpu: 5, memory: 10 };
  return fleetRow(id, { region, engine, level, figures, problems: extra.problems, tags: extra.tags, status: extra.status });
}

const fleet = [
  cluster("orders-sessions", "us-east-1", "redis", "healthy", { hitRate: 97, tags: { team: "checkout" } }),
  cluster("catalog-cache", "us-east-1", "valkey", "warning", { hitRate: 60, problems: [{ code: "hit-rate", level: "warning", summary: "Hit rate 60%" }], tags: { team: "discovery" } }),
  cluster("pricing-memcached", "eu-west-1", "memcached", "critical", { hitRate: 30, problems: [{ code: "hit-rate", level: "critical", summary: "Hit rate 30%" }] }),
  cluster("feature-flags", "eu-west-1", "redis", "unknown", { status: "modifying" }),
];

describe("fleet filters, kept in the URL", () => {
  it("filters by region, engine, status, health, problem and tag", () => {
    const ids = (params: Record<string, string>) => filterFleet(fleet, parseFleetQuery(params), columnFiltersOf(params)).map((c) => c.id);
    expect(ids({ region: "eu-west-1" })).toEqual(["pricing-memcached", "feature-flags"]);
    expect(ids({ engine: "valkey" })).toEqual(["catalog-cache"]);
    expect(ids({ status: "not-available" })).toEqual(["feature-flags"]);
    expect(ids({ health: "critical" })).toEqual(["pricing-memcached"]);
    expect(ids({ problem: "hit-rate" })).toEqual(["catalog-cache", "pricing-memcached"]);
    expect(ids({ problem: "any", region: "us-east-1" })).toEqual(["catalog-cache"]);
    expect(ids({ tag: "team=checkout" })).toEqual(["orders-sessions"]);
    expect(ids({ tag: "team" })).toEqual(["orders-sessions", "catalog-cache"]);
  });

  it("filters, searches, sorts and groups by account, the same group id in two accounts being two rows", () => {
    const accounts = [
      fleetRow("orders", { account: "production", level: "healthy" }),
      fleetRow("orders", { account: "staging", level: "critical" }),
      fleetRow("catalog", { account: "production", level: "warning" }),
      fleetRow("pricing", { account: "staging", level: "healthy" }),
    ];
    expect(new Set(accounts.map((r) => r.key)).size).toBe(4);
    expect(filterFleet(accounts, parseFleetQuery({ account: "staging" })).map((r) => r.id).sort()).toEqual(["orders", "pricing"]);
    expect(filterFleet(accounts, parseFleetQuery({ q: "staging orders" })).map((r) => r.account)).toEqual(["staging"]);
    expect(filterOptions(accounts).accounts).toEqual(["production", "staging"]);
    // Worst first across the fleet; grouped, each account's rows together (accounts by name), worst first within.
    expect(sortFleet(accounts, parseFleetQuery({}), fleetSorts).map((r) => `${r.account}/${r.id}`)).toEqual(["staging/orders", "production/catalog", "production/orders", "staging/pricing"]);
    expect(sortFleet(accounts, parseFleetQuery({ group: "account" }), fleetSorts).map((r) => `${r.account}/${r.id}`)).toEqual(["production/catalog", "production/orders", "staging/orders", "staging/pricing"]);
    expect(sortFleet(accounts, parseFleetQuery({ sort: "account", dir: "desc" }), fleetSorts).map((r) => r.account)).toEqual(["staging", "staging", "production", "production"]);
    expect(parseFleetQuery({ group: "__proto__" }).group).toBeUndefined();
  });

  it("searches every word across name, engine, node type and tags", () => {
    const ids = (q: string) => filterFleet(fleet, parseFleetQuery({ q })).map((c) => c.id);
    expect(ids("CATALOG")).toEqual(["catalog-cache"]);
    expect(ids("discovery valkey")).toEqual(["catalog-cache"]);
    expect(ids("r7g eu-west")).toEqual(["pricing-memcached", "feature-flags"]);
  });

  it("ignores malformed params instead of failing the page", () => {
    expect(parseFleetQuery({ sort: "<b>", dir: "sideways", health: "great", status: ["available", "modifying"] })).toEqual({ status: "available" });
    // A sort key no column has (an old link, a hostile one) sorts worst first, as no key does.
    for (const sort of ["bogus", "constructor", "toString"]) expect(sortFleet(fleet, parseFleetQuery({ sort }), fleetSorts).map((c) => c.id)).toEqual(sortFleet(fleet, {}, fleetSorts).map((c) => c.id));
  });
});

describe("fleet sorting", () => {
  it("puts the worst health first by default", () => {
    expect(sortFleet(fleet, {}, fleetSorts).map((c) => c.health.level)).toEqual(["critical", "warning", "unknown", "healthy"]);
  });

  it("sorts by a figure either way, clusters without data last", () => {
    expect(sortFleet(fleet, { sort: "hitRate", dir: "asc" }, fleetSorts).map((c) => c.id)).toEqual(["pricing-memcached", "catalog-cache", "orders-sessions", "feature-flags"]);
    expect(sortFleet(fleet, { sort: "hitRate", dir: "desc" }, fleetSorts).map((c) => c.id)).toEqual(["orders-sessions", "catalog-cache", "pricing-memcached", "feature-flags"]);
    expect(sortFleet(fleet, { sort: "name" }, fleetSorts).map((c) => c.id)[0]).toBe("catalog-cache");
  });
});

describe("fleet summary", () => {
  it("counts each health level and offers filter choices from the data", () => {
    expect(countHealth(fleet)).toEqual({ total: 4, healthy: 1, warning: 1, critical: 1, unknown: 1 });
    expect(valuesOf(fleet, (c) => c.region)).toEqual(["eu-west-1", "us-east-1"]);
    expect(filterOptions(fleet)).toMatchObject({ problems: ["hit-rate"], tags: ["team=checkout", "team=discovery"] });
  });
});

describe("the whole fleet in the browser", () => {
  const big = syntheticFleet(1_100);

  it("sorts all 1,100 rows and filters the sorted list without disturbing its order", () => {
    const byName = sortFleet(big, { sort: "name", dir: "desc" }, fleetSorts);
    expect(byName).toHaveLength(1_100);
    expect(byName.slice(0, 2).map((c) => c.id)).toEqual(["cache-1099", "cache-1098"]);
    const shown = filterFleet(byName, parseFleetQuery({ q: "team-5 STAGING" }), columnFiltersOf({ region: "eu-west-1" }));
    const expected = big.filter((c) => c.region === "eu-west-1" && c.tags.team === "team-5" && c.tags.env === "staging").map((c) => c.id);
    expect(expected.length).toBeGreaterThan(2);
    expect(shown.map((c) => c.id)).toEqual([...expected].reverse());
  });

  it("breaks ties by name, account and region in either direction, whatever order the rows came in", () => {
    const shuffled = [...big].sort((a, b) => (a.id.length * 7919 + a.id.charCodeAt(a.id.length - 1) * 31) % 97 - (b.id.length * 7919 + b.id.charCodeAt(b.id.length - 1) * 31) % 97);
    const byName = (a: (typeof big)[number], b: (typeof big)[number]) => a.id.localeCompare(b.id, "en") || a.account.localeCompare(b.account, "en") || a.region.localeCompare(b.region, "en");
    for (const dir of ["asc", "desc"] as const) {
      const sorted = sortFleet(shuffled, { sort: "health", dir }, fleetSorts);
      const rank = (c: (typeof big)[number]) => fleetSorts.health.value(c) as number;
      for (let i = 1; i < sorted.length; i += 1) {
        const [a, b] = [sorted[i - 1], sorted[i]];
        const order = dir === "asc" ? rank(a) - rank(b) : rank(b) - rank(a);
        expect(order < 0 || (order === 0 && byName(a, b) < 0)).toBe(true);
      }
    }
  });

  it("re-sorts a row whose health a pushed change made worse", () => {
    const healthy = big.find((c) => c.health.level === "healthy")!;
    const critical = { level: "critical" as const, problems: [{ code: "memory" as const, level: "critical" as const, summary: "Memory 99%" }, { code: "engine-cpu" as const, level: "critical" as const, summary: "CPU 97%" }], figures: null };
    const before = sortFleet(big, {}, fleetSorts);
    expect(before[0].id).not.toBe(healthy.id);
    const after = sortFleet(applyFleetChanges(big, [{ type: "health", key: healthy.key, health: critical }]), {}, fleetSorts);
    expect(after[0].id).toBe(healthy.id);
    expect(countHealth(applyFleetChanges(big, [{ type: "health", key: healthy.key, health: critical }])).critical).toBe(countHealth(big).critical + 1);
  });
});

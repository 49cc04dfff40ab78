import { describe, expect, it } from "vitest";
import type { ReservedNodes } from "@/lib/aws/reserved-nodes";
import { costCaches, CostMemo, type CostedCache, type CostInputs } from "@/lib/cost/cache-cost";
import { snapshotPriceBook } from "@/lib/cost/prices";

// Every expected figure below is worked out by hand from prices/elasticache-prices.json (us-east-1):
// Redis OSS r7g.large 0.219, Valkey r7g.large 0.1752, Valkey m7g.large 0.1264, Redis OSS t4g.small 0.032,
// Valkey t4g.small 0.0256, 730 hours a month; Extended Support 80% of on-demand in years 1–2.
const DAY = 86_400_000;
const now = Date.parse("2026-12-04T00:00:00Z");
const href = (id: string) => `/clusters/us-east-1/${id}`;
const cache = (c: Partial<CostedCache> & Pick<CostedCache, "id">): CostedCache => ({
  kind: "replication-group",
  engine: "redis",
  engineVersion: "7.1",
  nodeType: "cache.r7g.large",
  nodes: 3,
  href: href(c.id),
  ...c,
});
const reservation = (r: Partial<ReservedNodes> & Pick<ReservedNodes, "id" | "nodeType" | "count">): ReservedNodes => ({
  engine: "redis",
  state: "active",
  start: now - 120 * DAY,
  end: now + 245 * DAY,
  offeringType: "No Upfront",
  fixedUsd: 0,
  hourlyUsd: 0.142,
  ...r,
});
/** One usage map, as the watcher holds one until the next hourly read (a new map is a new context for CostMemo). */
const noUsage = new Map();
const inputs = (over: Partial<CostInputs> = {}): CostInputs => ({ book: snapshotPriceBook(), region: "us-east-1", reserved: [], serverlessUsage: noUsage, now, ...over });

describe("monthly cost of node-based caches", () => {
  it("prices on-demand nodes × price × 730 h, with what Valkey would save", () => {
    const cost = costCaches([cache({ id: "orders" })], inputs()).get("orders")!;
    expect(cost).toMatchObject({ monthlyUsd: 479.61, onDemandMonthlyUsd: 479.61, reservedNodes: 0, extendedSupportMonthlyUsd: 0, missing: null });
    expect(cost.price).toEqual({ origin: "snapshot", date: "2026-10-02", source: "price-list-2026-10-02" });
    // 3 × (0.219 − 0.1752) × 730 = 95.922
    expect(cost.valkey).toEqual({ savingMonthlyUsd: 95.92, savingUnknown: null, extendedSupportIfStaysMonthlyUsd: null, extendedSupportFrom: null, upgradeHref: "/clusters/us-east-1/orders/operations?op=upgrade-engine&engine=valkey" });
  });

  it("bills covered nodes at the reservation's rate, upfront spread over the term, and the rest on demand", () => {
    const reserved = [
      reservation({ id: "ri-orders", nodeType: "cache.r7g.large", count: 3 }),
      reservation({ id: "ri-catalog", nodeType: "cache.m7g.large", count: 4, engine: "valkey", fixedUsd: 300, hourlyUsd: 0.05, start: now - 353 * DAY, end: now + 12 * DAY }),
    ];
    const costs = costCaches([cache({ id: "orders" }), cache({ id: "catalog", engine: "valkey", engineVersion: "8.0", nodeType: "cache.m7g.large", nodes: 6 })], inputs({ reserved }));
    // 3 × 0.142 × 730 = 310.98
    expect(costs.get("orders")).toMatchObject({ monthlyUsd: 310.98, reservedNodes: 3, reservations: [{ id: "ri-orders", nodes: 3 }] });
    // 4 × (0.05 + 300 / 8760) × 730 + 2 × 0.1264 × 730 = 246.00 + 184.544
    expect(costs.get("catalog")).toMatchObject({ monthlyUsd: 430.54, onDemandMonthlyUsd: 553.63, reservedNodes: 4, reservations: [{ id: "ri-catalog", nodes: 4, end: now + 12 * DAY }], valkey: null });
  });

  it("shares a reservation between caches and skips expired ones", () => {
    const reserved = [reservation({ id: "ri-two", nodeType: "cache.r7g.large", count: 2 }), reservation({ id: "ri-gone", nodeType: "cache.r7g.large", count: 5, state: "retired", end: now - DAY })];
    const costs = costCaches([cache({ id: "b", nodes: 1 }), cache({ id: "a", nodes: 2 })], inputs({ reserved }));
    expect(costs.get("a")!.reservedNodes).toBe(2);
    // b's one node is on demand: 0.219 × 730 = 159.87
    expect(costs.get("b")).toMatchObject({ reservedNodes: 0, monthlyUsd: 159.87 });
  });

  it("adds Extended Support to Redis OSS 6 from 1 Feb 2027 and says what staying would cost before that", () => {
    const ff = cache({ id: "flags", kind: "cache-cluster", engineVersion: "6.2", nodeType: "cache.t4g.small", nodes: 1 });
    const before = costCaches([ff], inputs()).get("flags")!;
    expect(before).toMatchObject({ monthlyUsd: 23.36, extendedSupportMonthlyUsd: 0 });
    // 0.032 × 0.8 × 730 = 18.688; moving saves (0.032 − 0.0256) × 730 = 4.672
    expect(before.valkey).toMatchObject({ savingMonthlyUsd: 4.67, extendedSupportIfStaysMonthlyUsd: 18.69, extendedSupportFrom: "2027-02-01" });
    const after = costCaches([ff], inputs({ now: Date.parse("2027-03-01T00:00:00Z") })).get("flags")!;
    expect(after).toMatchObject({ monthlyUsd: 42.05, extendedSupportMonthlyUsd: 18.69, extendedSupportYear: 1 });
    expect(after.valkey!.savingMonthlyUsd).toBe(23.36);
  });

  it("prices the demo's eu-west-1 Redis OSS 6 group from the eu-west-1 figure; where Valkey has no price it still says what staying costs", () => {
    const flags = cache({ id: "feature-flags", engineVersion: "6.2", nodeType: "cache.t4g.small", nodes: 2 });
    const cost = costCaches([flags], inputs({ region: "eu-west-1" })).get("feature-flags")!;
    // 2 × 0.034 × 730 = 49.64
    expect(cost).toMatchObject({ monthlyUsd: 49.64, missing: null, price: { date: "2022-02-13", source: "ec2instances-2022-02-13" } });
    // Staying: 2 × 0.034 × 0.8 × 730 = 39.712 a month from 1 Feb 2027; no saving is invented without a Valkey price.
    expect(cost.valkey).toMatchObject({
      savingMonthlyUsd: null,
      savingUnknown: "no Valkey cache.t4g.small price for eu-west-1 (snapshot or Price List API)",
      extendedSupportIfStaysMonthlyUsd: 39.71,
      extendedSupportFrom: "2027-02-01",
    });
    // From 1 Feb 2027: + 2 × 0.034 × 0.8 × 730 = 39.712
    expect(costCaches([flags], inputs({ region: "eu-west-1", now: Date.parse("2027-03-01T00:00:00Z") })).get("feature-flags")!.monthlyUsd).toBe(89.35);
  });

  it("says why when there is no price instead of guessing", () => {
    const cost = costCaches([cache({ id: "eu" })], inputs({ region: "eu-west-1" })).get("eu")!;
    expect(cost.monthlyUsd).toBeNull();
    expect(cost.missing).toBe("no redis cache.r7g.large price for eu-west-1 (snapshot or Price List API)");
  });
});

describe("serverless", () => {
  const sls = cache({ id: "profiles", kind: "serverless", engine: "valkey", engineVersion: "8", nodeType: null, nodes: 0 });

  it("meters at least the minimum storage and adds ECPUs at the last hour's rate", () => {
    // (max(0.05, 0.1) × 0.084 + 3.6 × 0.0023) × 730 = 12.1764
    const cost = costCaches([sls], inputs({ serverlessUsage: new Map([["profiles", { gb: 0.05, ecpuPerHour: 3_600_000 }]]) })).get("profiles")!;
    expect(cost).toMatchObject({ monthlyUsd: 12.18, missing: null, valkey: null });
  });

  it("waits for usage rather than showing a made-up figure", () => {
    expect(costCaches([sls], inputs()).get("profiles")!.missing).toMatch(/usage .* has not been read yet/);
  });
});

describe("pricing again only what changed (the watcher's CostMemo)", () => {
  it("keeps unchanged caches' costs, re-prices a changed one and those whose reserved share it moved", () => {
    const memo = new CostMemo();
    const reserved = [reservation({ id: "ri-two", nodeType: "cache.r7g.large", count: 2 })];
    const fleet = [cache({ id: "a", nodes: 1 }), cache({ id: "b", nodes: 1 }), cache({ id: "m", engine: "memcached", nodeType: "cache.t4g.small", nodes: 2 })];
    const first = memo.cost(fleet, inputs({ reserved }));
    expect(memo.repriced).toBe(3);
    expect(first.get("b")!.reservedNodes).toBe(1);
    // A status change or failover touches no priced input: nothing is priced again, the same objects come back.
    const same = memo.cost(fleet.map((c) => ({ ...c })), inputs({ reserved }));
    expect(memo.repriced).toBe(0);
    expect(same.get("m")).toBe(first.get("m"));
    // a grows to 2 nodes and takes the whole reservation: b, drawing after it, is priced again too (on demand now).
    const grown = [{ ...fleet[0], nodes: 2 }, fleet[1], fleet[2]];
    const after = memo.cost(grown, inputs({ reserved }));
    expect(memo.repriced).toBe(2);
    expect(after.get("b")).toMatchObject({ reservedNodes: 0, monthlyUsd: 159.87 });
    expect(after).toEqual(costCaches(grown, inputs({ reserved })));
  });

  it("prices everything again when the context moves: a new day, a reservation ending, new prices", () => {
    const memo = new CostMemo();
    const reserved = [reservation({ id: "ri-short", nodeType: "cache.r7g.large", count: 3, end: now + 3600_000 })];
    const fleet = [cache({ id: "orders" }), cache({ id: "flags", kind: "cache-cluster", engineVersion: "6.2", nodeType: "cache.t4g.small", nodes: 1 })];
    memo.cost(fleet, inputs({ reserved }));
    memo.cost(fleet, inputs({ reserved, now: now + 60_000 }));
    expect(memo.repriced).toBe(0);
    // The reservation ends within the day: orders goes on demand at once.
    const ended = memo.cost(fleet, inputs({ reserved, now: now + 2 * 3600_000 }));
    expect(ended.get("orders")).toMatchObject({ reservedNodes: 0, monthlyUsd: 479.61 });
    // Redis OSS 6 enters Extended Support on 1 Feb 2027: the day changes the price with no other input moving.
    const es = memo.cost(fleet, inputs({ reserved, now: Date.parse("2027-02-01T00:00:00Z") }));
    expect(es.get("flags")).toMatchObject({ extendedSupportMonthlyUsd: 18.69, extendedSupportYear: 1 });
  });
});

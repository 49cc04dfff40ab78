import { describe, expect, it } from "vitest";
import type { CacheCost, ValkeyMove } from "@/lib/cost/cache-cost";
import { summarizeSpend, type SpendLine } from "@/lib/cost/spend-summary";

const cost = (monthlyUsd: number | null): CacheCost => ({
  monthlyUsd,
  onDemandMonthlyUsd: monthlyUsd,
  extendedSupportMonthlyUsd: 0,
  extendedSupportYear: null,
  reservedNodes: 0,
  reservations: [],
  price: null,
  missing: monthlyUsd == null ? "no price" : null,
  valkey: null,
  serverless: null,
});

const line = (id: string, account: string, monthlyUsd: number | null, tags: Record<string, string>): SpendLine => ({
  account,
  region: "us-east-1",
  id,
  kind: "replication-group",
  engine: "valkey",
  engineVersion: "8.0",
  nodeType: "cache.m7g.large",
  nodes: 2,
  tags,
  href: `/clusters/${account}~us-east-1/${id}`,
  cost: cost(monthlyUsd),
});

const lines = [line("a", "prod", 100.1, { team: "orders" }), line("b", "prod", 50.05, { team: "search" }), line("c", "staging", 10, { team: "orders" }), line("d", "staging", null, {})];

describe("summarizeSpend", () => {
  it("totals priced caches, counts the unpriced, and groups by account and by a tag", () => {
    const spend = summarizeSpend(lines, "team", [], 0);
    expect(spend.totalUsd).toBe(160.15);
    expect(spend.unpriced).toBe(1);
    expect(spend.groups.account).toEqual([
      { key: "prod", monthlyUsd: 150.15, caches: 2, unpriced: 0 },
      { key: "staging", monthlyUsd: 10, caches: 2, unpriced: 1 },
    ]);
    expect(spend.groups.tag).toEqual([
      { key: "orders", monthlyUsd: 110.1, caches: 2, unpriced: 0 },
      { key: "search", monthlyUsd: 50.05, caches: 1, unpriced: 0 },
      { key: "(untagged)", monthlyUsd: 0, caches: 1, unpriced: 1 },
    ]);
    expect(spend.onDemandNodes).toBe(8);
  });

  it.each(["__proto__", "constructor", "toString", "hasOwnProperty"])("groups every cache as untagged under the tag key %s, which no cache has", (key) => {
    const spend = summarizeSpend(lines, key, [], 0);
    expect(spend.groups.tag).toEqual([{ key: "(untagged)", monthlyUsd: 160.15, caches: 4, unpriced: 1 }]);
  });

  it("lists Redis OSS caches by what moving to Valkey saves; those without a Valkey price last, by what staying costs", () => {
    const move = (savingMonthlyUsd: number | null, extendedSupportIfStaysMonthlyUsd: number | null): ValkeyMove => ({
      savingMonthlyUsd,
      savingUnknown: savingMonthlyUsd === null ? "no Valkey price" : null,
      extendedSupportIfStaysMonthlyUsd,
      extendedSupportFrom: extendedSupportIfStaysMonthlyUsd === null ? null : "2027-02-01",
      upgradeHref: "/",
    });
    const redis = (id: string, valkey: ValkeyMove): SpendLine => ({ ...line(id, "prod", 10, {}), engine: "redis", cost: { ...cost(10), valkey } });
    const spend = summarizeSpend([redis("small", move(4, null)), redis("unknown-cheap", move(null, 5)), redis("big", move(90, null)), redis("unknown-dear", move(null, 40))], "team", [], 0);
    expect(spend.valkey.map((v) => v.line.id)).toEqual(["big", "small", "unknown-dear", "unknown-cheap"]);
  });
});

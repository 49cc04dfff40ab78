import { describe, expect, it } from "vitest";
import {
  closeReadIntervalMs,
  dailyCostUsd,
  eventPollIntervalMs,
  fleetReadIntervalMs,
  metricGranularityMs,
  nextMetricReadAt,
  nextSlotMs,
  spreadOffsetMs,
  tagPageGapMs,
  tagsEveryMs,
} from "@/lib/watcher/schedule";
import { watcherConfig } from "@/lib/env";
import { phaseOf } from "@/lib/watcher/budget-share";

// The fleet: 1,000 replication groups (3,284 Redis member clusters, six health metrics each) and 100
// Memcached clusters of one node (four each): 20,104 metrics per fleet-wide read.
const bigFleetMetrics = 3_284 * 6 + 100 * 4;
const defaults = watcherConfig({});
const budget = { usdPerDay: defaults.budgetUsdPerDay, pricePer1000Metrics: defaults.pricePer1000Metrics };

describe("CloudWatch budget", () => {
  it("keeps the issue's 1,100-cache fleet under $50 a day at the default budget, close reads included", () => {
    const fleetEvery = fleetReadIntervalMs(bigFleetMetrics, budget);
    // 200 caches looked at, unhealthy or changing: 1,200 metrics read as closely as the budget allows.
    const closeEvery = closeReadIntervalMs(1_200, budget);
    const total = dailyCostUsd(bigFleetMetrics, fleetEvery, 0.01) + dailyCostUsd(1_200, closeEvery, 0.01);
    expect(total).toBeLessThanOrEqual(defaults.budgetUsdPerDay);
    expect(defaults.budgetUsdPerDay).toBeLessThanOrEqual(50);
    // The fleet-wide read still comes round every few minutes, not once a day.
    expect(fleetEvery).toBeGreaterThan(5 * 60_000);
    expect(fleetEvery).toBeLessThan(15 * 60_000);
  });

  it("reads a small fleet at the metrics' own granularity, never faster", () => {
    expect(fleetReadIntervalMs(60, budget)).toBe(metricGranularityMs);
    expect(closeReadIntervalMs(6, budget)).toBe(metricGranularityMs);
    expect(fleetReadIntervalMs(0, budget)).toBe(metricGranularityMs);
  });

  it("stretches the interval in proportion to the fleet and shrinks it with a larger budget", () => {
    const small = fleetReadIntervalMs(10_000, budget);
    expect(fleetReadIntervalMs(20_000, budget)).toBeCloseTo(small * 2, -3);
    expect(fleetReadIntervalMs(20_000, { ...budget, usdPerDay: budget.usdPerDay * 2 })).toBeCloseTo(small, -3);
  });

  it("waits for the next UTC day once today's budget is spent", () => {
    const noon = Date.parse("2026-12-03T12:00:00Z");
    expect(nextMetricReadAt(noon, 39.99, budget)).toBe(noon);
    expect(nextMetricReadAt(noon, 40, budget)).toBe(Date.parse("2026-12-04T00:00:00Z"));
  });

  it("reads the budget from the environment and refuses nonsense with the variable's name", () => {
    expect(watcherConfig({ CACHEDECK_CLOUDWATCH_BUDGET_PER_DAY: "12.5" }).budgetUsdPerDay).toBe(12.5);
    expect(() => watcherConfig({ CACHEDECK_CLOUDWATCH_BUDGET_PER_DAY: "lots" })).toThrow(/CACHEDECK_CLOUDWATCH_BUDGET_PER_DAY must be an amount/);
    expect(() => watcherConfig({ CACHEDECK_CLOUDWATCH_BUDGET_PER_DAY: "0" })).toThrow(/more than 0/);
    expect(() => watcherConfig({ CACHEDECK_EVENT_POLL_SECONDS: "0.1" })).toThrow(/CACHEDECK_EVENT_POLL_SECONDS must be at least 1/);
  });

  it("reads how many live tabs one person may have, 8 unless set, and refuses anything but a whole number from 1", () => {
    expect(watcherConfig({}).liveTabsPerPerson).toBe(8);
    expect(watcherConfig({ CACHEDECK_LIVE_TABS_PER_PERSON: "30" }).liveTabsPerPerson).toBe(30);
    expect(() => watcherConfig({ CACHEDECK_LIVE_TABS_PER_PERSON: "0" })).toThrow(/CACHEDECK_LIVE_TABS_PER_PERSON must be at least 1/);
    expect(() => watcherConfig({ CACHEDECK_LIVE_TABS_PER_PERSON: "2.5" })).toThrow(/CACHEDECK_LIVE_TABS_PER_PERSON must be a whole number/);
    expect(() => watcherConfig({ CACHEDECK_LIVE_TABS_PER_PERSON: "many" })).toThrow(/CACHEDECK_LIVE_TABS_PER_PERSON must be a whole number/);
  });
});

describe("event polling and spreading", () => {
  it("polls busy while something changes, calm otherwise", () => {
    expect(eventPollIntervalMs(true, false, 5_000, 1_000)).toBe(1_000);
    expect(eventPollIntervalMs(false, true, 5_000, 1_000)).toBe(1_000);
    expect(eventPollIntervalMs(false, false, 5_000, 1_000)).toBe(5_000);
    // Someone watches a change: twice as fast, never under a quarter second.
    expect(eventPollIntervalMs(true, true, 5_000, 1_000)).toBe(500);
    expect(eventPollIntervalMs(true, true, 5_000, 250)).toBe(250);
  });

  it("gives each region its own slot in the tags period, stable across restarts", () => {
    const period = 15 * 60_000;
    const slots = ["default/us-east-1", "default/eu-west-1", "default/ap-south-1", "default/us-west-2"].map((k) => spreadOffsetMs(k, period));
    expect(new Set(slots).size).toBe(4);
    expect(slots.every((s) => s >= 0 && s < period)).toBe(true);
    expect(spreadOffsetMs("default/us-east-1", period)).toBe(slots[0]);
  });

  it("spreads a tags refresh's pages over half its period: no burst, and the round ends well before the next", () => {
    // The fleet: about 4,600 resources in a region, 46 pages of 100.
    const gap = tagPageGapMs(tagsEveryMs, 46);
    expect(gap).toBeGreaterThanOrEqual(9_000);
    expect(46 * gap).toBeLessThanOrEqual(tagsEveryMs / 2);
    // A small region reads its one page; a first round (no page count yet) never goes faster than a page a second.
    expect(tagPageGapMs(tagsEveryMs, 1)).toBe(tagsEveryMs / 2);
    expect(tagPageGapMs(10_000, 1_000)).toBe(1_000);
  });

  it("gives watchers of one instance evenly spaced phases, so their periodic reads take turns", () => {
    const keys = ["default/us-east-1", "default/eu-west-1"];
    expect(keys.map((k) => phaseOf(k, keys)).sort()).toEqual([0, 0.5]);
    expect(["a", "b", "c", "d"].map((k) => phaseOf(k, ["d", "c", "b", "a"]))).toEqual([0, 0.25, 0.5, 0.75]);
    expect(phaseOf("gone", keys)).toBe(0);
  });

  it("puts periodic reads on their phase's slots: one period apart, and two phases half a period apart", () => {
    const period = 444_000;
    const started = 1_764_000_123_456;
    // Two regions whose first reads ended together: the next ones are half a period apart, each on its slot.
    const [a, b] = [0, 0.5].map((phase) => nextSlotMs(started + period / 2, period, phase));
    expect(Math.abs(a - b)).toBe(period / 2);
    for (const [slot, phase] of [[a, 0], [b, 0.5]]) {
      expect(slot).toBeGreaterThanOrEqual(started + period / 2);
      expect(slot).toBeLessThan(started + period * 1.5);
      expect(((slot % period) + period) % period).toBe(Math.floor(phase * period));
      // A read that started a few seconds after its slot keeps the next slot, exactly one period on: the spend stays
      // what the budget planned, neither a read skipped nor one added.
      expect(nextSlotMs(slot + 4_000 + period / 2, period, phase)).toBe(slot + period);
    }
  });
});

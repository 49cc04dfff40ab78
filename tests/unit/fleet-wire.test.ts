import { describe, expect, it } from "vitest";
import { compactValue, trendKeys, type FleetRow } from "@/lib/data/fleet-rows";
import { applyFleetChanges } from "@/lib/data/fleet-changes";
import { packFleetRows, packLine, unpackFleetRows, unpackLine } from "@/lib/data/fleet-wire";
import { fleetRow, syntheticFleet } from "../helpers/fleet-rows";

/** A fleet as the page ships it: 60-point trend lines that wander as real ones do, with gaps, on one grid. */
function shippedFleet(n: number): FleetRow[] {
  return syntheticFleet(n).map((row, i) => {
    const line = (base: number, swing: number) => Array.from({ length: 60 }, (_, t) => (t % 17 === 5 ? null : compactValue(base + swing * Math.sin(i + t / 7) + (t * i) % 3)));
    return {
      ...row,
      trends: { start: 1_764_800_000_000, step: 60_000, hitRate: line(90, 8), evictions: line(200, 150), replicationLag: line(0.2, 0.1), engineCpu: line(35, 30), memory: line(60, 2) },
      fillsUp: i % 3 === 0 ? undefined : i % 3 === 1 ? null : { at: 1_767_000_000_000 + i, figure: "memory" as const },
      zones: [{ zone: "us-east-1a", nodes: 2 }, { zone: "us-east-1b", nodes: 1 }],
      activity: i % 4 ? [] : ["Engine upgrade to 8.0 under way"],
      cost: i % 2 ? { monthlyUsd: 123.45 + i, priceDate: "2026-11-01", origin: "snapshot" as const, missing: null } : null,
      alarms: i % 2 ? { present: i % 4, recommended: 5 } : null,
      posture: { ...row.posture, findings: i % 3 ? [] : [{ id: "ElastiCache.7" as const, severity: "high" as const }, { id: "WA.multi-az" as const, severity: "medium" as const }] },
    };
  });
}

describe("the fleet page's packed rows", () => {
  it("come back as the same rows, trend lines within half a level of 64 between each line's extremes", () => {
    const rows = shippedFleet(120);
    const back = unpackFleetRows(packFleetRows(rows));
    const withoutTrends = (r: FleetRow) => ({ ...r, trends: null });
    expect(back.map(withoutTrends)).toEqual(rows.map(withoutTrends));
    back.forEach((r, i) => {
      const sent = rows[i].trends!;
      expect({ start: r.trends!.start, step: r.trends!.step }).toEqual({ start: sent.start, step: sent.step });
      for (const k of trendKeys) {
        const present = sent[k].filter((v): v is number => v !== null);
        const tolerance = (Math.max(...present) - Math.min(...present)) / 63 / 2 + 1e-9;
        expect(r.trends![k]).toHaveLength(sent[k].length);
        r.trends![k].forEach((v, t) => (sent[k][t] === null ? expect(v).toBeNull() : expect(Math.abs(v! - sent[k][t]!)).toBeLessThanOrEqual(tolerance)));
      }
    });
  });

  it("keep a line's exact lowest and highest point, a flat line and one with no point at all", () => {
    const [low, gap, high, between] = unpackLine(packLine([3, null, 7.5, 6]), 4);
    expect([low, gap, high]).toEqual([3, null, 7.5]);
    expect(between).toBeCloseTo(6, 9);
    expect(unpackLine(packLine([0, 0, 0]), 3)).toEqual([0, 0, 0]);
    expect(packLine([null, null])).toBeNull();
    expect(unpackLine(null, 3)).toEqual([null, null, null]);
  });

  it("tell a cache with no forecast from one not filling up within 90 days", () => {
    const [none, notSoon, soon] = unpackFleetRows(packFleetRows(shippedFleet(3)));
    expect("fillsUp" in none).toBe(false);
    expect(notSoon.fillsUp).toBeNull();
    expect(soon.fillsUp).toEqual({ at: 1_767_000_000_002, figure: "memory" });
  });

  it("weigh under two fifths of the rows as objects", () => {
    const rows = shippedFleet(1_100);
    const packed = packFleetRows(rows);
    // React's payload embeds the string once more as JSON; count that escaping too.
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(rows).length * 0.4);
  });

  it("take a pushed point into a line not yet drawn (lines decode when first read)", () => {
    const sent = shippedFleet(2)[1];
    const [row] = unpackFleetRows(packFleetRows([sent]));
    const last = row.trends!.start + sent.trends!.engineCpu.length * row.trends!.step;
    const [moved] = applyFleetChanges([row], [{ type: "points", key: row.key, t: last, values: { engineCpu: 42 } }]);
    const decoded = unpackFleetRows(packFleetRows([sent]))[0].trends!;
    expect(moved.trends!.engineCpu).toEqual([...decoded.engineCpu.slice(1), 42]);
    expect(moved.trends!.memory).toEqual([...decoded.memory.slice(1), null]);
    expect(moved.trends!.start).toBe(row.trends!.start + row.trends!.step);
  });

  it("keep each row's own trend grid and length", () => {
    const [a, b] = [fleetRow("a", { points: 3 }), fleetRow("b", { points: 5 })];
    const back = unpackFleetRows(packFleetRows([a, { ...b, trends: { ...b.trends!, start: 60_000 } }]));
    expect(back.map((r) => [r.trends!.start, r.trends!.hitRate.length])).toEqual([[0, 3], [60_000, 5]]);
  });
});

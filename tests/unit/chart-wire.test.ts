import { describe, expect, it } from "vitest";
import { groupMarkers, groupTitle, linePath, roundCeiling } from "@/components/charts/chart-geometry";
import { packChart, packDetail, unpackChart, unpackDetail } from "@/lib/data/chart-wire";
import type { ChartModel, ClusterDetail } from "@/lib/data/model";
import { timeGrid, toChartRows } from "@/lib/data/series";

const t0 = Date.parse("2026-03-10T12:00:00Z");
const min = 60_000;

/** A 30-shard × 3 group's chart: 90 node lines and a cluster line over an hour at one point a minute. */
function bigChart(): ChartModel {
  const grid = timeGrid(t0, t0 + 60 * min, 60);
  const lines: Record<string, (number | null)[]> = {};
  for (let n = 0; n < 90; n += 1) lines[`n${n}`] = grid.times.map((_, i) => (i % 17 === n % 17 ? null : 1 + n * 0.731 + i / 7));
  lines.cluster = grid.times.map((_, i) => 4_817_233 + i);
  return {
    id: "connections",
    title: "Client connections",
    unit: "count",
    rows: toChartRows(grid, lines),
    lines: [...Object.keys(lines).filter((k) => k !== "cluster").map((key) => ({ key, label: `node-${key}` })), { key: "cluster", label: "Cluster total", emphasis: true }],
  };
}

describe("cluster charts on the wire (lib/data/chart-wire.ts)", () => {
  it("round-trips every point, missing ones as missing, to float32 precision", () => {
    const chart = bigChart();
    const back = unpackChart(JSON.parse(JSON.stringify(packChart(chart))));
    expect(back.lines).toEqual(chart.lines);
    expect(back.rows.map((r) => r.t)).toEqual(chart.rows.map((r) => r.t));
    for (const [i, row] of chart.rows.entries()) {
      for (const { key } of chart.lines) {
        const v = row[key];
        if (v === null) expect(back.rows[i][key]).toBeNull();
        else expect(Math.abs((back.rows[i][key] as number) - v)).toBeLessThanOrEqual(Math.abs(v) * 1e-7);
      }
    }
    expect(back.rows[3].cluster).toBe(4_817_236);
  });

  it("sends a line as one string of 4 bytes a point, a third of the rows' JSON or less", () => {
    const chart = bigChart();
    const wire = packChart(chart);
    expect(wire.values).toHaveLength(91);
    expect(wire.times).toEqual({ start: t0, step: min, count: 60 });
    for (const line of wire.values) expect(line).toHaveLength(Math.ceil((60 * 4) / 3) * 4);
    expect(JSON.stringify(wire).length).toBeLessThan(JSON.stringify(chart).length / 3);
  });

  it("keeps uneven row times as they are", () => {
    const chart: ChartModel = { id: "x", title: "X", unit: "count", lines: [{ key: "a", label: "A" }], rows: [{ t: 1, a: 1 }, { t: 5, a: null }, { t: 6, a: 3 }] };
    expect(unpackChart(packChart(chart)).rows).toEqual(chart.rows);
  });

  it("packs a detail's charts once however many streams send it, and leaves the rest of the detail alone", () => {
    const detail = { summary: { id: "g" }, nodes: [{ name: "n" }], charts: [bigChart()], problems: [] } as unknown as ClusterDetail;
    const first = packDetail(detail);
    const second = packDetail({ ...detail, problems: [] });
    expect(second.charts).toBe(first.charts);
    expect(second.nodes).toBe(detail.nodes);
    expect(unpackDetail(first).charts[0].rows).toHaveLength(60);
  });
});

describe("chart geometry drawn outside recharts (components/charts/chart-geometry.ts)", () => {
  it("draws a path through present points only, connecting across gaps", () => {
    const rows = [{ t: 0, a: 1 }, { t: 1, a: null }, { t: 2, a: 3 }];
    expect(linePath(rows, "a", (t) => t * 10, (v) => 100 - v)).toBe("M0.0,99.0L20.0,97.0");
  });

  it("ends a value axis at a round figure at or above the data", () => {
    expect([0, 0.7, 1, 1.2, 2.2, 4.9, 151, 13_600, 4_817_293].map(roundCeiling)).toEqual([1, 1, 1, 2, 2.5, 5, 200, 20_000, 5_000_000]);
  });

  it("draws markers of one kind on the same pixel once, naming them all on hover", () => {
    const created = Array.from({ length: 180 }, (_, i) => ({ t: 1_000 + i, label: `Cache node ${i} created`, failover: false }));
    const failover = { t: 1_050, label: "Failover to replica node", failover: true };
    const later = { t: 9_000, label: "Snapshot", failover: false };
    const groups = groupMarkers([...created, failover, later], (t) => t / 100);
    expect(groups.map((g) => [g.px, g.markers.length])).toEqual([[10, 180], [10.5, 1], [90, 1]]);
    expect(groupTitle(groups[0].markers).split("\n")).toEqual(["180 at this time:", ...created.slice(0, 8).map((m) => m.label), "…and 172 more"]);
    expect(groupTitle([later])).toBe("Snapshot");
  });
});

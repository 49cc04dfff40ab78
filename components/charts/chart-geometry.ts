import type { ChartRow } from "@/lib/data/series";

// Plain geometry for the parts of a chart drawn without recharts (components/charts/chart-overlays.tsx).

export interface ChartMarker {
  t: number;
  label: string;
  failover: boolean;
  /** An alarm's new state (a recommended alarm's history), instead of an event. */
  alarm?: "OK" | "ALARM" | "INSUFFICIENT_DATA";
}

/** Markers of one kind that fall on (nearly) the same pixel, drawn as one line. */
export interface MarkerGroup {
  px: number;
  markers: ChartMarker[];
}

const markerKind = (m: ChartMarker) => m.alarm ?? (m.failover ? "failover" : "event");

/**
 * Markers closer than `gapPx` to the one before them of the same kind join its group: a new 90-node cluster's hour
 * holds some 180 creation events within a few seconds, which would otherwise be 180 lines on one pixel per chart.
 */
export function groupMarkers(markers: ChartMarker[], x: (t: number) => number | undefined, gapPx = 2): MarkerGroup[] {
  const groups: MarkerGroup[] = [];
  const last = new Map<string, MarkerGroup>();
  for (const m of [...markers].sort((a, b) => a.t - b.t)) {
    const px = x(m.t);
    if (px === undefined) continue;
    const before = last.get(markerKind(m));
    if (before && px - before.px < gapPx) {
      before.markers.push(m);
      continue;
    }
    const group = { px, markers: [m] };
    groups.push(group);
    last.set(markerKind(m), group);
  }
  return groups;
}

/** A group's hover text: its one label, or how many and the first few. */
export function groupTitle(markers: ChartMarker[], shown = 8): string {
  if (markers.length === 1) return markers[0].label;
  const more = markers.length - shown;
  return [`${markers.length} at this time:`, ...markers.slice(0, shown).map((m) => m.label), ...(more > 0 ? [`…and ${more} more`] : [])].join("\n");
}

/** Percent axes end at a round figure above the data, so 3% of CPU is not drawn as a full-height line. */
export function percentCeiling(max: number): number {
  return [10, 25, 50, 100].find((ceiling) => max <= ceiling) ?? Math.ceil(max / 10) * 10;
}

/** The smallest of 1, 2, 2.5, 5 × a power of ten at or above `max`: an axis top with round ticks below it. */
export function roundCeiling(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 2.5, 5, 10].map((m) => m * power).find((top) => top >= max * (1 - 1e-9))!;
}

/** The highest value of any of `keys` in `rows` (0 when there is none). */
export function highest(rows: ChartRow[], keys: string[]): number {
  let max = 0;
  for (const row of rows) for (const key of keys) max = Math.max(max, row[key] ?? 0);
  return max;
}

type Scale = (value: number) => number | undefined;

/** An SVG path through a line's points, skipping missing ones (as recharts' connectNulls does). */
export function linePath(rows: ChartRow[], key: string, x: Scale, y: Scale): string {
  let d = "";
  for (const row of rows) {
    const v = row[key];
    if (v === null || v === undefined) continue;
    const px = x(row.t);
    const py = y(v);
    if (px === undefined || py === undefined) continue;
    d += `${d ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`;
  }
  return d;
}

import type { MetricRequest, MetricSeries } from "@/lib/aws/cloudwatch";
import { decodePoints, encodePoints } from "./series-codec";

// The watcher's metric points: one-minute points of each health metric for the last few hours, merged from reads
// that ask only for what is missing. Pages want coarser slots (a 1 h window judges health at 2 min), so a window's
// series are cut from the stored minutes with the statistic's own arithmetic.

/** Identifies a metric across reads, whatever key a caller gave it. */
export function metricId(request: Pick<MetricRequest, "metricName" | "dimensions" | "stat">): string {
  const dims = Object.entries(request.dimensions).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(",");
  return `${request.metricName}|${dims}|${request.stat}`;
}

function combineByStat(stat: string, values: number[]): number {
  if (stat === "Sum" || stat === "SampleCount") return values.reduce((a, b) => a + b, 0);
  if (stat === "Maximum" || /^p\d/.test(stat)) return Math.max(...values);
  if (stat === "Minimum") return Math.min(...values);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/** A metric's id, read mark, and points encoded as ./series-codec.ts does (one-minute runs, base64 float64s). */
export type PointDump = [id: string, readUntil: number, runs: number[], values: string];

/** Decoded dumps: each metric's read mark and points, as the store holds them. */
export type DecodedPoints = [id: string, readUntil: number, points: Map<number, number>][];

/** ElastiCache's points are a minute apart: a gap or any other spacing starts a new run. */
const runStepMs = 60_000;

export class PointStore {
  private readonly points = new Map<string, Map<number, number>>();
  /** When each metric was last read up to: the next read starts a little before it. */
  private readonly readUntil = new Map<string, number>();

  constructor(readonly keepMs: number) {}

  /** Adds what one read returned; a point at a time already held replaces it (CloudWatch revises a filling slot). */
  merge(id: string, series: Pick<MetricSeries, "timestamps" | "values">, readEnd: number): void {
    const held = this.points.get(id) ?? new Map<number, number>();
    series.timestamps.forEach((t, i) => held.set(t, series.values[i]));
    const cutoff = readEnd - this.keepMs;
    for (const t of held.keys()) if (t < cutoff) held.delete(t);
    this.points.set(id, held);
    this.readUntil.set(id, readEnd);
  }

  /** The time the metric was last read up to, or null if never. */
  lastRead(id: string): number | null {
    return this.readUntil.get(id) ?? null;
  }

  /** Forgets metrics nobody asks about any more (a deleted cache or a replaced node). */
  retain(ids: Set<string>): void {
    for (const id of this.points.keys()) {
      if (!ids.has(id)) {
        this.points.delete(id);
        this.readUntil.delete(id);
      }
    }
  }

  /** The metrics held: a snapshot dumps them a part at a time (relay.ts). */
  ids(): string[] {
    return [...this.points.keys()];
  }

  /** The listed metrics' points and read marks as JSON (a metric forgotten since the list was taken is left out). */
  encode(ids: string[]): string {
    const dump: PointDump[] = [];
    for (const id of ids) {
      const held = this.points.get(id);
      if (!held) continue;
      const times = [...held.keys()].sort((a, b) => a - b);
      const [runs, values] = encodePoints(times, times.map((t) => held.get(t)!), runStepMs);
      dump.push([id, this.readUntil.get(id) ?? 0, runs, values]);
    }
    return JSON.stringify(dump);
  }

  /** What `encode` wrote, ready for `load`: decoding is the costly half, done a part at a time before the swap. */
  static decode(text: string): DecodedPoints {
    return (JSON.parse(text) as PointDump[]).map(([id, readUntil, runs, encoded]) => {
      const { timestamps, values } = decodePoints([runs, encoded], runStepMs);
      return [id, readUntil, new Map(timestamps.map((t, i) => [t, values[i]]))];
    });
  }

  /** Replaces everything held with decoded parts: one map entry per metric, so cheap at any size. */
  load(parts: DecodedPoints[]): void {
    this.points.clear();
    this.readUntil.clear();
    for (const part of parts) {
      for (const [id, readUntil, held] of part) {
        this.points.set(id, held);
        this.readUntil.set(id, readUntil);
      }
    }
  }

  get size(): number {
    return this.points.size;
  }

  /** The metric's points in [start, end) combined into slots of `periodMs` aligned like CloudWatch's own. */
  series(id: string, stat: string, start: number, end: number, periodMs: number): MetricSeries {
    const slots = new Map<number, number[]>();
    for (const [t, v] of this.points.get(id) ?? []) {
      if (t < start - (start % periodMs) || t >= end) continue;
      const slot = Math.floor(t / periodMs) * periodMs;
      const list = slots.get(slot) ?? [];
      list.push(v);
      slots.set(slot, list);
    }
    const timestamps = [...slots.keys()].sort((a, b) => a - b);
    return { key: id, timestamps, values: timestamps.map((t) => combineByStat(stat, slots.get(t)!)), complete: true };
  }
}

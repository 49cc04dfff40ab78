import type { MetricRequest, MetricSeries } from "@/lib/aws/cloudwatch";
import { decodeValues, encodePoints } from "./series-codec";

// The watcher's metric points: one-minute points of each health metric for the last few hours, merged from reads
// that ask only for what is missing. Pages want coarser slots (a 1 h window judges health at 2 min), so a window's
// series are cut from the stored minutes with the statistic's own arithmetic.
//
// Each metric holds its points in one Float64Array of minute slots (NaN where there is no point), not a Map of
// points: at 18,400 metrics a Map per metric was 3.5 million entries, 7 million heap objects (every time and value
// boxed) that each full garbage collection walked (docs/BENCHMARKS.md, "point store"); typed arrays hold no objects.
// Slots are whole minutes because the watcher reads at a 60 s period, and CloudWatch (the emulator too) rounds
// StartTime down to the minute and answers period-aligned buckets: a point off the minute does not arrive. Should one
// arrive anyway, it is held in the slot of its minute (a second one in that minute replaces it).

/** Identifies a metric across reads, whatever key a caller gave it. */
export function metricId(request: Pick<MetricRequest, "metricName" | "dimensions" | "stat">): string {
  const dims = Object.entries(request.dimensions).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${v}`).join(",");
  return `${request.metricName}|${dims}|${request.stat}`;
}

/** Combines a slot's points as the statistic does, one point at a time (in time order). */
function combinerFor(stat: string): { init: number; add: (acc: number, v: number) => number; finish: (acc: number, n: number) => number } {
  const total = (acc: number) => acc;
  if (stat === "Sum" || stat === "SampleCount") return { init: 0, add: (a, v) => a + v, finish: total };
  if (stat === "Maximum" || /^p\d/.test(stat)) return { init: -Infinity, add: Math.max, finish: total };
  if (stat === "Minimum") return { init: Infinity, add: Math.min, finish: total };
  return { init: 0, add: (a, v) => a + v, finish: (a, n) => a / n };
}

/** A metric's id, read mark, and points encoded as ./series-codec.ts does (one-minute runs, base64 float64s). */
export type PointDump = [id: string, readUntil: number, runs: number[], values: string];

/** One metric as the store holds it: `slots[i]` is the point of minute `first + i` (minutes since the epoch), NaN if none. */
export interface HeldMinutes {
  first: number;
  slots: Float64Array;
  /** When the metric was last read up to: the next read starts a little before it. */
  readUntil: number;
}

/** Decoded dumps, ready to be swapped in by `load`. */
export type DecodedPoints = [id: string, held: HeldMinutes][];

const minuteMs = 60_000;
/** Slots beyond the kept span, so a metric's array moves (in place) once every half hour, not on every read. */
const headroomMinutes = 30;
const noSlots = new Float64Array(0);
const minuteOf = (t: number) => Math.floor(t / minuteMs);

export class PointStore {
  private held = new Map<string, HeldMinutes>();
  /** Slots a metric needs for the points one merge keeps: those in [readEnd - keepMs, readEnd]. */
  private readonly keptMinutes: number;

  constructor(readonly keepMs: number) {
    this.keptMinutes = Math.ceil(keepMs / minuteMs) + 1;
  }

  /**
   * Adds what one read returned; a point at a time already held replaces it (CloudWatch revises a filling slot).
   * Points older than `readEnd - keepMs` are dropped, those already held included. Values are finite (lib/aws drops
   * the rest), so NaN is free to mean "no point".
   */
  merge(id: string, series: Pick<MetricSeries, "timestamps" | "values">, readEnd: number): void {
    const held = this.held.get(id) ?? { first: 0, slots: noSlots, readUntil: readEnd };
    const keepFrom = Math.ceil((readEnd - this.keepMs) / minuteMs);
    let lo = Infinity;
    let hi = -Infinity;
    for (const t of series.timestamps) {
      const m = minuteOf(t);
      if (m >= keepFrom) {
        lo = Math.min(lo, m);
        hi = Math.max(hi, m);
      }
    }
    this.makeRoom(held, keepFrom, lo, hi);
    series.timestamps.forEach((t, i) => {
      const m = minuteOf(t);
      if (m >= keepFrom) held.slots[m - held.first] = series.values[i];
    });
    held.readUntil = readEnd;
    this.held.set(id, held);
  }

  /** Empties the slots before `keepFrom` and moves (or grows) the array so that minutes `lo`..`hi` fit. */
  private makeRoom(held: HeldMinutes, keepFrom: number, lo: number, hi: number): void {
    const { first, slots } = held;
    const dropped = Math.min(slots.length, Math.max(0, keepFrom - first));
    slots.fill(Number.NaN, 0, dropped);
    if (lo > hi || (lo >= first && hi < first + slots.length)) return;
    let a = dropped;
    while (a < slots.length && Number.isNaN(slots[a])) a++;
    let b = slots.length - 1;
    while (b >= a && Number.isNaN(slots[b])) b--;
    const from = b >= a ? Math.min(lo, first + a) : lo;
    const to = b >= a ? Math.max(hi, first + b) : hi;
    const size = Math.max(this.keptMinutes, to - from + 1) + headroomMinutes;
    const next = size === slots.length ? slots : new Float64Array(size);
    const shift = first - from;
    if (b >= a) {
      if (next === slots) slots.copyWithin(a + shift, a, b + 1);
      else next.set(slots.subarray(a, b + 1), a + shift);
      next.fill(Number.NaN, 0, a + shift).fill(Number.NaN, b + 1 + shift);
    } else next.fill(Number.NaN);
    held.first = from;
    held.slots = next;
  }

  /** The time the metric was last read up to, or null if never. */
  lastRead(id: string): number | null {
    return this.held.get(id)?.readUntil ?? null;
  }

  /** Forgets metrics nobody asks about any more (a deleted cache or a replaced node). */
  retain(ids: Set<string>): void {
    for (const id of this.held.keys()) if (!ids.has(id)) this.held.delete(id);
  }

  /** The metrics held: a snapshot dumps them a part at a time (relay.ts). */
  ids(): string[] {
    return [...this.held.keys()];
  }

  /** The listed metrics' points and read marks as JSON (a metric forgotten since the list was taken is left out). */
  encode(ids: string[]): string {
    const dump: PointDump[] = [];
    for (const id of ids) {
      const held = this.held.get(id);
      if (!held) continue;
      const times: number[] = [];
      const values: number[] = [];
      held.slots.forEach((v, i) => {
        if (Number.isNaN(v)) return;
        times.push((held.first + i) * minuteMs);
        values.push(v);
      });
      dump.push([id, held.readUntil, ...encodePoints(times, values, minuteMs)]);
    }
    return JSON.stringify(dump);
  }

  /**
   * What `encode` wrote (this store's or the Map-based one's before it: the format is the same), ready for `load`:
   * decoding is the costly half, done a part at a time before the swap.
   */
  static decode(text: string): DecodedPoints {
    return (JSON.parse(text) as PointDump[]).map(([id, readUntil, runs, encoded]) => {
      const values = decodeValues(encoded);
      if (runs.length === 0) return [id, { first: 0, slots: noSlots, readUntil }];
      const first = minuteOf(runs[0]);
      const slots = new Float64Array(minuteOf(runs[runs.length - 2] + (runs[runs.length - 1] - 1) * minuteMs) - first + 1).fill(Number.NaN);
      let v = 0;
      for (let r = 0; r < runs.length; r += 2) for (let k = 0; k < runs[r + 1]; k++) slots[minuteOf(runs[r] + k * minuteMs) - first] = values[v++];
      return [id, { first, slots, readUntil }];
    });
  }

  /** Replaces everything held with decoded parts: one map entry per metric, so cheap at any size. */
  load(parts: DecodedPoints[]): void {
    this.replace(new Map(parts.flat()));
  }

  /** Replaces everything held with these metrics' points (a snapshot's, gathered beforehand). */
  replace(held: Map<string, HeldMinutes>): void {
    this.held = held;
  }

  get size(): number {
    return this.held.size;
  }

  /** The metric's points in [start, end) combined into slots of `periodMs` aligned like CloudWatch's own. */
  series(id: string, stat: string, start: number, end: number, periodMs: number): MetricSeries {
    const timestamps: number[] = [];
    const values: number[] = [];
    const held = this.held.get(id);
    if (held) {
      const { init, add, finish } = combinerFor(stat);
      const from = Math.max(0, Math.ceil((start - (start % periodMs)) / minuteMs) - held.first);
      const to = Math.min(held.slots.length, Math.ceil(end / minuteMs) - held.first);
      let slot = Number.NaN;
      let acc = init;
      let n = 0;
      for (let i = from; i < to; i++) {
        const v = held.slots[i];
        if (Number.isNaN(v)) continue;
        const at = Math.floor(((held.first + i) * minuteMs) / periodMs) * periodMs;
        if (at !== slot) {
          if (n > 0) values.push(finish(acc, n));
          timestamps.push(at);
          slot = at;
          acc = init;
          n = 0;
        }
        acc = add(acc, v);
        n += 1;
      }
      if (n > 0) values.push(finish(acc, n));
    }
    return { key: id, timestamps, values, complete: true };
  }
}

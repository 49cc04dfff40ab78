import type { Dimension } from "../dimensions";
import { MathError } from "./errors";
import type { BinaryOperator } from "./parser";

/** Where a series came from, for dynamic labels (`${PROP('Dim.CacheClusterId')}`). */
export interface SeriesMeta {
  namespace: string;
  metricName: string;
  dimensions: readonly Dimension[];
  stat: string;
}

/** A time series: ascending epoch-second timestamps, one finite value each, on a grid of `period` seconds. */
export interface Series {
  label: string;
  timestamps: number[];
  values: number[];
  period: number;
  meta?: SeriesMeta;
}

export type MathValue =
  | { kind: "scalar"; value: number }
  | { kind: "series"; series: Series }
  | { kind: "array"; items: Series[] };

export const scalar = (value: number): MathValue => ({ kind: "scalar", value });
export const single = (series: Series): MathValue => ({ kind: "series", series });
export const array = (items: Series[]): MathValue => ({ kind: "array", items });

/** Builds a series from (t, v) candidates, dropping points that are not finite (division by zero, overflow). */
export function seriesFrom(label: string, period: number, timestamps: number[], values: number[], meta?: SeriesMeta): Series {
  const ts: number[] = [];
  const vs: number[] = [];
  for (let i = 0; i < timestamps.length; i++) {
    if (Number.isFinite(values[i])) {
      ts.push(timestamps[i]);
      vs.push(values[i]);
    }
  }
  return { label, timestamps: ts, values: vs, period, meta };
}

export function mapSeries(s: Series, fn: (v: number) => number): Series {
  return seriesFrom(s.label, s.period, s.timestamps, s.values.map(fn), s.meta);
}

/** Applies `fn` to a scalar, to each point of a series, or to each point of each series of an array. */
export function mapValue(v: MathValue, fn: (x: number) => number): MathValue {
  if (v.kind === "scalar") return scalar(fn(v.value));
  if (v.kind === "series") return single(mapSeries(v.series, fn));
  return array(v.items.map((s) => mapSeries(s, fn)));
}

export function applyOperator(op: BinaryOperator, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return b === 0 ? NaN : a / b;
    case "^":
      return Math.pow(a, b);
    case "==":
      return a === b ? 1 : 0;
    case "!=":
      return a !== b ? 1 : 0;
    case "<":
      return a < b ? 1 : 0;
    case "<=":
      return a <= b ? 1 : 0;
    case ">":
      return a > b ? 1 : 0;
    case ">=":
      return a >= b ? 1 : 0;
    case "AND":
      return a !== 0 && b !== 0 ? 1 : 0;
    case "OR":
      return a !== 0 || b !== 0 ? 1 : 0;
  }
}

/**
 * Walks two series over the union of their timestamps; a timestamp one of them lacks reads as `missing` there
 * (0 for arithmetic, as CloudWatch does).
 */
export function zipSeries(a: Series, b: Series, fn: (x: number, y: number) => number, missing = 0): { timestamps: number[]; values: number[] } {
  const timestamps: number[] = [];
  const values: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.timestamps.length || j < b.timestamps.length) {
    const ta = i < a.timestamps.length ? a.timestamps[i] : Infinity;
    const tb = j < b.timestamps.length ? b.timestamps[j] : Infinity;
    const t = Math.min(ta, tb);
    const x = ta === t ? a.values[i++] : missing;
    const y = tb === t ? b.values[j++] : missing;
    timestamps.push(t);
    values.push(fn(x, y));
  }
  return { timestamps, values };
}

export function binary(op: BinaryOperator, left: MathValue, right: MathValue): MathValue {
  const fn = (x: number, y: number) => applyOperator(op, x, y);
  if (left.kind === "array" && right.kind === "array") {
    throw new MathError(`The operator ${op} cannot combine two arrays of time series`);
  }
  if (left.kind === "array") return array(left.items.map((s) => seriesOf(binary(op, single(s), right), s.label)));
  if (right.kind === "array") return array(right.items.map((s) => seriesOf(binary(op, left, single(s)), s.label)));
  if (left.kind === "scalar" && right.kind === "scalar") return scalar(fn(left.value, right.value));
  if (left.kind === "scalar" && right.kind === "series") return single(mapSeries(right.series, (y) => fn(left.value, y)));
  if (left.kind === "series" && right.kind === "scalar") return single(mapSeries(left.series, (x) => fn(x, right.value)));
  const a = (left as { series: Series }).series;
  const b = (right as { series: Series }).series;
  const zipped = zipSeries(a, b, fn);
  return single(seriesFrom(a.label, Math.min(a.period, b.period), zipped.timestamps, zipped.values));
}

function seriesOf(v: MathValue, label: string): Series {
  if (v.kind !== "series") throw new MathError("Expected a time series");
  return { ...v.series, label };
}

/** The union of several series' timestamps, ascending. */
export function unionTimestamps(items: readonly Series[]): number[] {
  const all = new Set<number>();
  for (const s of items) for (const t of s.timestamps) all.add(t);
  return [...all].sort((a, b) => a - b);
}

export function describeKind(v: MathValue): string {
  return v.kind === "scalar" ? "a number" : v.kind === "series" ? "a time series" : "an array of time series";
}

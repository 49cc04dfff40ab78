import { alignStart, isValidPeriod, parseStat } from "../statistics";
import { MathError } from "./errors";
import type { EvalContext, Evaluate } from "./eval-context";
import type { Node } from "./parser";
import {
  array,
  describeKind,
  mapValue,
  scalar,
  seriesFrom,
  single,
  unionTimestamps,
  type MathValue,
  type Series,
} from "./values";

type MathFunction = (args: Node[], ctx: EvalContext, run: Evaluate) => MathValue;

// ---- argument helpers -------------------------------------------------------------------------------------------

function arity(name: string, args: Node[], min: number, max = min) {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw new MathError(`${name} takes ${expected} argument${max === 1 ? "" : "s"}, got ${args.length}`);
  }
}

function keyword(name: string, node: Node, allowed: readonly string[]): string {
  const word = node.type === "ref" ? node.name.toUpperCase() : node.type === "string" ? node.value.toUpperCase() : undefined;
  if (!word || !allowed.includes(word)) throw new MathError(`${name} expects one of ${allowed.join(", ")}`);
  return word;
}

function constant(name: string, node: Node, run: Evaluate): number {
  const v = run(node);
  if (v.kind !== "scalar") throw new MathError(`${name} expects a number, got ${describeKind(v)}`);
  return v.value;
}

function stringArg(name: string, node: Node): string {
  if (node.type !== "string") throw new MathError(`${name} expects a quoted string`);
  return node.value;
}

function seriesOrArray(name: string, v: MathValue): Series[] {
  if (v.kind === "scalar") throw new MathError(`${name} expects a time series or an array of time series, got a number`);
  return v.kind === "series" ? [v.series] : v.items;
}

/** Applies a series → series function to a series or to each series of an array. */
function perSeries(name: string, fn: (s: Series) => Series): MathFunction {
  return (args, _ctx, run) => {
    arity(name, args, 1);
    const v = run(args[0]);
    if (v.kind === "scalar") throw new MathError(`${name} expects a time series, got a number`);
    return v.kind === "series" ? single(fn(v.series)) : array(v.items.map(fn));
  };
}

function elementwise(name: string, fn: (x: number) => number): MathFunction {
  return (args, _ctx, run) => {
    arity(name, args, 1);
    return mapValue(run(args[0]), fn);
  };
}

// ---- reductions ---------------------------------------------------------------------------------------------------

const REDUCERS: Record<string, (values: number[]) => number> = {
  SUM: (v) => (v.length ? v.reduce((a, b) => a + b, 0) : NaN),
  AVG: (v) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN),
  MIN: (v) => (v.length ? Math.min(...v) : NaN),
  MAX: (v) => (v.length ? Math.max(...v) : NaN),
  /** Population standard deviation. */
  STDDEV: (v) => {
    if (!v.length) return NaN;
    const mean = v.reduce((a, b) => a + b, 0) / v.length;
    return Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  },
};

/**
 * SUM/AVG/MIN/MAX/STDDEV: of one series, a number (over its points); of an array, a series (at each timestamp, over
 * the series that have a point there).
 */
function reduction(name: string): MathFunction {
  const reduce = REDUCERS[name];
  return (args, _ctx, run) => {
    arity(name, args, 1);
    const v = run(args[0]);
    if (v.kind === "scalar") return scalar(name === "STDDEV" ? 0 : v.value);
    if (v.kind === "series") return scalar(reduce(v.series.values));
    const timestamps = unionTimestamps(v.items);
    const index = new Map(timestamps.map((t, i) => [t, i]));
    const buckets: number[][] = timestamps.map(() => []);
    for (const s of v.items) s.timestamps.forEach((t, i) => buckets[index.get(t)!].push(s.values[i]));
    const period = v.items.length ? Math.min(...v.items.map((s) => s.period)) : 60;
    return single(seriesFrom(name, period, timestamps, buckets.map(reduce)));
  };
}

// ---- series transforms --------------------------------------------------------------------------------------------

function diff(s: Series): Series {
  return seriesFrom(s.label, s.period, s.timestamps.slice(1), s.values.slice(1).map((v, i) => v - s.values[i]), s.meta);
}

function rate(s: Series): Series {
  const values = s.values.slice(1).map((v, i) => (v - s.values[i]) / (s.timestamps[i + 1] - s.timestamps[i]));
  return seriesFrom(s.label, s.period, s.timestamps.slice(1), values, s.meta);
}

function runningSum(s: Series): Series {
  let total = 0;
  return { ...s, values: s.values.map((v) => (total += v)) };
}

/** The timestamps of the request window on a series' grid. */
function grid(ctx: EvalContext, period: number): number[] {
  const out: number[] = [];
  for (let t = alignStart(ctx.start, period); t < ctx.end; t += period) out.push(t);
  return out;
}

type FillMode = { kind: "value"; value: number } | { kind: "REPEAT" | "LINEAR" };

/**
 * Fills the grid points a series lacks. REPEAT carries the last value forward (points before the first value take
 * the first value); LINEAR interpolates between neighbours (and repeats the nearest value at either end).
 */
function fill(s: Series, mode: FillMode, ctx: EvalContext): Series {
  const known = new Map(s.timestamps.map((t, i) => [t, s.values[i]]));
  const timestamps = unionTimestamps([s, { ...s, timestamps: grid(ctx, s.period) }]);
  if (mode.kind === "value") return seriesFrom(s.label, s.period, timestamps, timestamps.map((t) => known.get(t) ?? mode.value), s.meta);
  if (s.timestamps.length === 0) return s;
  const values = timestamps.map((t) => {
    if (known.has(t)) return known.get(t)!;
    const after = lowerBound(s.timestamps, t);
    if (after === 0) return s.values[0];
    if (after === s.timestamps.length || mode.kind === "REPEAT") return s.values[after - 1];
    const [t0, t1] = [s.timestamps[after - 1], s.timestamps[after]];
    const [v0, v1] = [s.values[after - 1], s.values[after]];
    return v0 + ((v1 - v0) * (t - t0)) / (t1 - t0);
  });
  return seriesFrom(s.label, s.period, timestamps, values, s.meta);
}

function lowerBound(sorted: number[], x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const fillFunction: MathFunction = (args, ctx, run) => {
  arity("FILL", args, 2);
  const target = run(args[0]);
  const modeNode = args[1];
  const mode: FillMode =
    modeNode.type === "ref" && ["REPEAT", "LINEAR"].includes(modeNode.name.toUpperCase())
      ? { kind: modeNode.name.toUpperCase() as "REPEAT" | "LINEAR" }
      : { kind: "value", value: constant("FILL", modeNode, run) };
  const items = seriesOrArray("FILL", target);
  const filled = items.map((s) => fill(s, mode, ctx));
  return target.kind === "series" ? single(filled[0]) : array(filled);
};

// ---- IF -------------------------------------------------------------------------------------------------------------

/** IF(condition, a[, b]): where the condition is non-zero take a, else b; without b those points are dropped. */
const ifFunction: MathFunction = (args, _ctx, run) => {
  arity("IF", args, 2, 3);
  const condition = run(args[0]);
  const whenTrue = run(args[1]);
  const whenFalse = args[2] ? run(args[2]) : undefined;
  if (condition.kind === "scalar") return condition.value !== 0 ? whenTrue : (whenFalse ?? array([]));
  const pickTrue = picker(whenTrue);
  const pickFalse = picker(whenFalse);
  const choose = (c: Series): Series => {
    const values = c.timestamps.map((t, i) => (c.values[i] !== 0 ? pickTrue(t) : pickFalse(t)));
    return seriesFrom(c.label, c.period, c.timestamps, values, c.meta);
  };
  return condition.kind === "series" ? single(choose(condition.series)) : array(condition.items.map(choose));
};

/** A value's reading at a timestamp: a number everywhere, a series' point (0 where it has none), NaN (drop) when absent. */
function picker(v: MathValue | undefined): (t: number) => number {
  if (!v) return () => NaN;
  if (v.kind === "scalar") return () => v.value;
  if (v.kind === "array") throw new MathError("IF takes a number or a time series for its values");
  const points = new Map(v.series.timestamps.map((t, i) => [t, v.series.values[i]]));
  return (t) => points.get(t) ?? 0;
}

// ---- arrays ---------------------------------------------------------------------------------------------------------

const metricsFunction: MathFunction = (args, ctx) => {
  arity("METRICS", args, 0, 1);
  const filter = args[0] ? stringArg("METRICS", args[0]) : "";
  const items = ctx
    .metricIds()
    .filter((id) => id.includes(filter))
    .flatMap((id) => seriesOrArray("METRICS", ctx.resolve(id)));
  return array(items);
};

const removeEmpty: MathFunction = (args, _ctx, run) => {
  arity("REMOVE_EMPTY", args, 1);
  return array(seriesOrArray("REMOVE_EMPTY", run(args[0])).filter((s) => s.timestamps.length > 0));
};

/** SORT(array, AVG|MIN|MAX|SUM|STDDEV, ASC|DESC[, limit]); series without points go last. */
const sortFunction: MathFunction = (args, _ctx, run) => {
  arity("SORT", args, 3, 4);
  const items = seriesOrArray("SORT", run(args[0]));
  const by = REDUCERS[keyword("SORT", args[1], Object.keys(REDUCERS))];
  const descending = keyword("SORT", args[2], ["ASC", "DESC"]) === "DESC";
  const limit = args[3] ? constant("SORT", args[3], run) : Infinity;
  const keyed = items.map((s) => ({ s, key: by(s.values) }));
  keyed.sort((a, b) => {
    const an = Number.isNaN(a.key);
    const bn = Number.isNaN(b.key);
    if (an || bn) return Number(an) - Number(bn);
    return descending ? b.key - a.key : a.key - b.key;
  });
  return array(keyed.slice(0, Math.max(0, limit)).map((k) => k.s));
};

/** SLICE(array, start[, end]): the series from index start up to, not including, end (negative counts from the end). */
const sliceFunction: MathFunction = (args, _ctx, run) => {
  arity("SLICE", args, 2, 3);
  const items = seriesOrArray("SLICE", run(args[0]));
  const start = constant("SLICE", args[1], run);
  const end = args[2] ? constant("SLICE", args[2], run) : items.length;
  if (!Number.isInteger(start) || !Number.isInteger(end)) throw new MathError("SLICE takes whole-number indexes");
  return array(items.slice(start, end));
};

const periodFunction: MathFunction = (args, _ctx, run) => {
  arity("PERIOD", args, 1);
  const v = run(args[0]);
  if (v.kind !== "series") throw new MathError(`PERIOD expects a time series, got ${describeKind(v)}`);
  return scalar(v.series.period);
};

const timeSeriesFunction: MathFunction = (args, ctx, run) => {
  arity("TIME_SERIES", args, 1);
  const value = constant("TIME_SERIES", args[0], run);
  const timestamps = grid(ctx, ctx.defaultPeriod);
  return single(seriesFrom("TIME_SERIES", ctx.defaultPeriod, timestamps, timestamps.map(() => value)));
};

/** SEARCH('{Namespace,Dim} terms', 'Stat'[, period]). */
const searchFunction: MathFunction = (args, ctx, run) => {
  arity("SEARCH", args, 2, 3);
  const query = stringArg("SEARCH", args[0]);
  const statName = stringArg("SEARCH", args[1]);
  const stat = parseStat(statName);
  if (!stat) throw new MathError(`${statName} is not a valid statistic`);
  const period = args[2] ? constant("SEARCH", args[2], run) : ctx.defaultPeriod;
  if (!isValidPeriod(period)) {
    throw new MathError(`${period} is not a valid period: use 1, 5, 10, 20, 30 or a multiple of 60`);
  }
  return array(ctx.search(query, stat, period).series);
};

export const FUNCTIONS: Readonly<Record<string, MathFunction>> = {
  ABS: elementwise("ABS", Math.abs),
  CEIL: elementwise("CEIL", Math.ceil),
  FLOOR: elementwise("FLOOR", Math.floor),
  LOG: elementwise("LOG", Math.log),
  LOG10: elementwise("LOG10", Math.log10),
  SQRT: elementwise("SQRT", Math.sqrt),
  SUM: reduction("SUM"),
  AVG: reduction("AVG"),
  MIN: reduction("MIN"),
  MAX: reduction("MAX"),
  STDDEV: reduction("STDDEV"),
  DIFF: perSeries("DIFF", diff),
  RATE: perSeries("RATE", rate),
  RUNNING_SUM: perSeries("RUNNING_SUM", runningSum),
  FILL: fillFunction,
  IF: ifFunction,
  METRICS: metricsFunction,
  REMOVE_EMPTY: removeEmpty,
  SORT: sortFunction,
  SLICE: sliceFunction,
  PERIOD: periodFunction,
  TIME_SERIES: timeSeriesFunction,
  SEARCH: searchFunction,
};

import { describe, expect, it } from "vitest";
import { MathError } from "@/emulator/cloudwatch/math/errors";
import type { EvalContext } from "@/emulator/cloudwatch/math/eval-context";
import { evaluate } from "@/emulator/cloudwatch/math/evaluator";
import { parseExpression } from "@/emulator/cloudwatch/math/parser";
import type { MathValue, Series } from "@/emulator/cloudwatch/math/values";

const series = (label: string, timestamps: number[], values: number[], period = 60): Series => ({ label, timestamps, values, period });

// Window [0, 240) at 60 s: grid 0, 60, 120, 180.
const m1 = series("m1", [0, 60, 120, 180], [1, 2, 3, 4]);
const m2 = series("m2", [0, 120, 180], [10, 0, 2]); // missing at 60, zero at 120
const m3 = series("m3", [120], [6]);
const empty = series("empty", [], []);
const metrics: Record<string, Series> = { m1, m2, m3, empty };

function context(): EvalContext {
  return {
    start: 0,
    end: 240,
    defaultPeriod: 60,
    resolve: (id) => {
      if (!metrics[id]) throw new MathError(`Unrecognized metric id ${id}`);
      return { kind: "series", series: metrics[id] };
    },
    metricIds: () => ["m1", "m2"],
    search: () => ({ series: [], truncated: false }),
  };
}

const run = (expression: string): MathValue => evaluate(parseExpression(expression), context());

function points(expression: string): [number, number][] {
  const v = run(expression);
  if (v.kind !== "series") throw new Error(`expected a series, got ${v.kind}`);
  return v.series.timestamps.map((t, i) => [t, v.series.values[i]]);
}

function number(expression: string): number {
  const v = run(expression);
  if (v.kind !== "scalar") throw new Error(`expected a number, got ${v.kind}`);
  return v.value;
}

function labels(expression: string): string[] {
  const v = run(expression);
  if (v.kind !== "array") throw new Error(`expected an array, got ${v.kind}`);
  return v.items.map((s) => s.label);
}

describe("metric math: precedence and scalars", () => {
  it.each([
    ["1 + 2 * 3", 7],
    ["(1 + 2) * 3", 9],
    ["2 ^ 3 ^ 2", 512],
    ["-2 ^ 2", -4],
    ["10 - 4 - 3", 3],
    ["12 / 3 / 2", 2],
    ["1 < 2 AND 3 > 4", 0],
    ["1 < 2 || 3 > 4", 1],
    ["2 >= 2 && 2 <= 2 && 1 != 2 && 3 == 3", 1],
    ["1 + 2 > 2", 1],
    ["1.5e1 + .5", 15.5],
  ])("%s = %d", (expression, expected) => {
    expect(number(expression)).toBe(expected);
  });

  it("drops a number divided by zero", () => {
    expect(number("1 / 0")).toBeNaN();
    expect(points("m1 * 0 + 1 / 0")).toEqual([]);
  });
});

describe("metric math: series arithmetic", () => {
  it("reads a missing point as 0", () => {
    expect(points("m1 + m2")).toEqual([[0, 11], [60, 2], [120, 3], [180, 6]]);
    expect(points("m2 - m1")).toEqual([[0, 9], [60, -2], [120, -3], [180, -2]]);
  });

  it("drops points divided by zero, whether the divisor is missing or zero", () => {
    expect(points("m1 / m2")).toEqual([[0, 0.1], [180, 2]]);
    expect(points("m2 / m1")).toEqual([[0, 10], [60, 0], [120, 0], [180, 0.5]]);
  });

  it("broadcasts numbers over series", () => {
    expect(points("100 * m1 / 4")).toEqual([[0, 25], [60, 50], [120, 75], [180, 100]]);
    expect(points("m1 - AVG(m1)")).toEqual([[0, -1.5], [60, -0.5], [120, 0.5], [180, 1.5]]);
    expect(points("m1 ^ 2")).toEqual([[0, 1], [60, 4], [120, 9], [180, 16]]);
  });

  it("compares and combines as 1 and 0", () => {
    expect(points("m1 > 2")).toEqual([[0, 0], [60, 0], [120, 1], [180, 1]]);
    expect(points("m1 > 2 AND m2 > 1")).toEqual([[0, 0], [60, 0], [120, 0], [180, 1]]);
    // m2 == 0 has no point at 60 (m2 has none there); OR then reads that missing point as 0.
    expect(points("m1 < 2 OR m2 == 0")).toEqual([[0, 1], [60, 0], [120, 1], [180, 0]]);
  });

  it("applies operators to each series of an array", () => {
    const v = run("METRICS() * 2");
    expect(v.kind).toBe("array");
    if (v.kind === "array") expect(v.items.map((s) => s.values)).toEqual([[2, 4, 6, 8], [20, 0, 4]]);
    expect(() => run("METRICS() + METRICS()")).toThrow(/two arrays/);
  });
});

describe("metric math: functions", () => {
  it("IF picks per point, and drops points without an else branch", () => {
    expect(points("IF(m1 > 2, m1, 0)")).toEqual([[0, 0], [60, 0], [120, 3], [180, 4]]);
    expect(points("IF(m1 > 2, m1)")).toEqual([[120, 3], [180, 4]]);
    expect(points("IF(m1 >= 2, m2, -1)")).toEqual([[0, -1], [60, 0], [120, 0], [180, 2]]);
  });

  it("SUM/AVG/MIN/MAX/STDDEV turn a series into a number", () => {
    expect(number("SUM(m1)")).toBe(10);
    expect(number("AVG(m1)")).toBe(2.5);
    expect(number("MIN(m2)")).toBe(0);
    expect(number("MAX(m2)")).toBe(10);
    expect(number("STDDEV(m1)")).toBeCloseTo(Math.sqrt(1.25), 12);
    expect(number("AVG(empty)")).toBeNaN();
    expect(number("SUM(empty)")).toBeNaN();
  });

  it("SUM/AVG/MIN/MAX/STDDEV turn an array into a series over the series present at each timestamp", () => {
    expect(points("SUM([m1, m2])")).toEqual([[0, 11], [60, 2], [120, 3], [180, 6]]);
    expect(points("AVG(METRICS())")).toEqual([[0, 5.5], [60, 2], [120, 1.5], [180, 3]]);
    expect(points("MAX(METRICS())")).toEqual([[0, 10], [60, 2], [120, 3], [180, 4]]);
    expect(points("MIN([m1, m2, m3])")).toEqual([[0, 1], [60, 2], [120, 0], [180, 2]]);
    expect(points("STDDEV([m1, m2])")).toEqual([[0, 4.5], [60, 0], [120, 1.5], [180, 1]]);
  });

  it("ABS, DIFF, RATE and RUNNING_SUM", () => {
    expect(points("ABS(-m1)")).toEqual([[0, 1], [60, 2], [120, 3], [180, 4]]);
    expect(points("DIFF(m2)")).toEqual([[120, -10], [180, 2]]);
    expect(points("RATE(m2)")).toEqual([[120, -10 / 120], [180, 2 / 60]]);
    expect(points("RUNNING_SUM(m1)")).toEqual([[0, 1], [60, 3], [120, 6], [180, 10]]);
  });

  it("FILL with a value, REPEAT and LINEAR over the window's grid", () => {
    expect(points("FILL(m2, 0)")).toEqual([[0, 10], [60, 0], [120, 0], [180, 2]]);
    expect(points("FILL(m2, -1 * 2)")).toEqual([[0, 10], [60, -2], [120, 0], [180, 2]]);
    expect(points("FILL(m2, REPEAT)")).toEqual([[0, 10], [60, 10], [120, 0], [180, 2]]);
    expect(points("FILL(m2, LINEAR)")).toEqual([[0, 10], [60, 5], [120, 0], [180, 2]]);
    expect(points("FILL(m3, LINEAR)")).toEqual([[0, 6], [60, 6], [120, 6], [180, 6]]);
    expect(points("FILL(empty, 7)")).toEqual([[0, 7], [60, 7], [120, 7], [180, 7]]);
    expect(points("m1 / FILL(m2, 1)")).toEqual([[0, 0.1], [60, 2], [180, 2]]);
  });

  it("PERIOD gives a series' period in seconds", () => {
    expect(number("PERIOD(m1)")).toBe(60);
    expect(points("m1 / PERIOD(m1) * 60")).toEqual([[0, 1], [60, 2], [120, 3], [180, 4]]);
  });

  it("METRICS, REMOVE_EMPTY, SORT and SLICE work on arrays", () => {
    expect(labels("METRICS()")).toEqual(["m1", "m2"]);
    expect(labels('METRICS("2")')).toEqual(["m2"]);
    expect(labels("REMOVE_EMPTY([m1, empty, m3])")).toEqual(["m1", "m3"]);
    expect(labels("SORT([m1, m2, m3], MAX, DESC)")).toEqual(["m2", "m3", "m1"]);
    expect(labels("SORT([m1, empty, m2], SUM, ASC)")).toEqual(["m1", "m2", "empty"]);
    expect(labels("SORT([m1, m2, m3], AVG, ASC, 2)")).toEqual(["m1", "m2"]);
    expect(labels("SLICE(SORT([m1, m2, m3], MAX, DESC), 0, 2)")).toEqual(["m2", "m3"]);
    expect(labels("SLICE([m1, m2, m3], 1)")).toEqual(["m2", "m3"]);
    expect(labels("SLICE([m1, m2, m3], -1)")).toEqual(["m3"]);
  });

  it("TIME_SERIES spreads a number over the window", () => {
    expect(points("TIME_SERIES(3)")).toEqual([[0, 3], [60, 3], [120, 3], [180, 3]]);
  });
});

describe("metric math: errors", () => {
  it.each([
    ["1 +", /Unexpected end/],
    ["(m1", /Unexpected end/],
    ["m1 m2", /Unexpected 'm2' at position 3/],
    ["m1 $ 2", /Unexpected character '\$'/],
    ["'open", /Unterminated string/],
    ["FOO(m1)", /Unrecognized function name FOO/],
    ["nope + 1", /Unrecognized metric id nope/],
    ["DIFF(1)", /DIFF expects a time series/],
    ["FILL(m1)", /FILL takes 2 arguments/],
    ["SORT(METRICS(), MEDIAN, DESC)", /SORT expects one of/],
    ["SEARCH('x', 'Bogus')", /Bogus is not a valid statistic/],
    ["SEARCH('x', 'Sum', 7)", /7 is not a valid period/],
    ["[m1, 1]", /array can only hold time series/],
    ["'text'", /can only be a function argument/],
  ])("%s", (expression, message) => {
    expect(() => run(expression)).toThrow(message);
  });

  it("refuses an empty expression", () => {
    expect(() => parseExpression("  ")).toThrow(/empty/);
  });
});

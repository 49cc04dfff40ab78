import { describe, expect, it } from "vitest";
import { identity } from "@/emulator/cloudwatch/dimensions";
import { MathError } from "@/emulator/cloudwatch/math/errors";
import { compileSearch } from "@/emulator/cloudwatch/search-expression";

const metrics = [
  identity("AWS/ElastiCache", "CPUUtilization", [{ Name: "CacheClusterId", Value: "orders-001" }]),
  identity("AWS/ElastiCache", "CPUUtilization", [{ Name: "CacheClusterId", Value: "orders-002" }]),
  identity("AWS/ElastiCache", "CPUUtilization", [{ Name: "CacheClusterId", Value: "orders-001" }, { Name: "CacheNodeId", Value: "0001" }]),
  identity("AWS/ElastiCache", "CacheHits", [{ Name: "CacheClusterId", Value: "sessions-001" }]),
  identity("AWS/ElastiCache", "BytesUsedForCache", [{ Name: "clusterId", Value: "sessions-serverless" }]),
  identity("Custom", "CPUUtilization"),
];

const search = (query: string) =>
  metrics.filter(compileSearch(query)).map((m) => [m.metricName, ...m.dimensions.map((d) => d.Value)].join(" "));

describe("SEARCH expressions", () => {
  it("selects by schema: the namespace and exactly these dimension names", () => {
    expect(search('{AWS/ElastiCache,CacheClusterId} MetricName="CPUUtilization"')).toEqual(["CPUUtilization orders-001", "CPUUtilization orders-002"]);
    expect(search('{AWS/ElastiCache, CacheNodeId, CacheClusterId} MetricName="CPUUtilization"')).toEqual(["CPUUtilization orders-001 0001"]);
    expect(search('{"Custom"} CPUUtilization')).toEqual(["CPUUtilization"]);
  });

  it("matches quoted values exactly and bare words in part, case-insensitively", () => {
    expect(search('MetricName="CPU"')).toEqual([]);
    expect(search("MetricName=cpu")).toHaveLength(4);
    expect(search("sessions")).toEqual(["CacheHits sessions-001", "BytesUsedForCache sessions-serverless"]);
    expect(search('CacheClusterId="orders-002"')).toEqual(["CPUUtilization orders-002"]);
  });

  it("combines terms with implicit AND, OR, NOT and parentheses", () => {
    expect(search("{AWS/ElastiCache,CacheClusterId} orders 002")).toEqual(["CPUUtilization orders-002"]);
    expect(search('{AWS/ElastiCache,CacheClusterId} CacheClusterId="orders-001" OR CacheClusterId="sessions-001"')).toEqual([
      "CPUUtilization orders-001",
      "CacheHits sessions-001",
    ]);
    expect(search("{AWS/ElastiCache,CacheClusterId} NOT (orders-001 OR CacheHits)")).toEqual(["CPUUtilization orders-002"]);
  });

  it("explains malformed searches", () => {
    expect(() => compileSearch("{AWS/ElastiCache")).toThrow(/Unclosed \{/);
    expect(() => compileSearch('MetricName="open')).toThrow(/Unterminated/);
    expect(() => compileSearch("(a OR b")).toThrow(/Missing \)/);
    expect(() => compileSearch("MetricName=")).toThrow(/Missing value/);
    expect(() => compileSearch("a {X}")).toThrow(/must come first/);
  });
});

describe("hostile SEARCH expressions", () => {
  it("refuses parentheses or NOT nested past the metric-math limit (100) with a message, not a stack overflow", () => {
    const nested = (levels: number) => `${"(".repeat(levels)}orders${")".repeat(levels)}`;
    expect(search(nested(100))).toHaveLength(3);
    for (const query of [nested(101), nested(50_000), `${"NOT ".repeat(101)}orders`, `${"NOT (".repeat(60)}orders${")".repeat(60)}`]) {
      expect(() => compileSearch(query)).toThrow(new MathError("The SEARCH expression nests more than 100 levels deep (parentheses and NOT)"));
    }
  });

  // Each of these overflowed the stack before (one tree level per term); the 550 kB one was also scanned in quadratic
  // time (a copy of the rest of the input per token), far beyond the unit tests' 10 s limit.
  it("compiles and evaluates huge flat inputs (20,000 terms joined by AND or OR, 550 kB of words) without growing the stack", () => {
    expect(search(`${"orders ".repeat(20_000)}001`)).toEqual(["CPUUtilization orders-001", "CPUUtilization orders-001 0001"]);
    expect(search(`${"nothing-matches OR ".repeat(20_000)}CacheHits`)).toEqual(["CacheHits sessions-001"]);
    expect(search(`${"MetricName=CPUUtilization AND ".repeat(20_000)}Custom`)).toEqual(["CPUUtilization"]);
    expect(search("abcdefghij ".repeat(50_000))).toEqual([]);
  });
});

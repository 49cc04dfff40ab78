import { describe, expect, it } from "vitest";
import { identity } from "@/emulator/cloudwatch/dimensions";
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

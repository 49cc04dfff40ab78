import { describe, expect, it } from "vitest";
import { MetricStore } from "@/emulator/cloudwatch/metric-store";
import { cloudwatchService } from "@/emulator/cloudwatch/service";
import { ApiError } from "@/emulator/server/api-error";
import type { RequestContext } from "@/emulator/server/service";

const T = 1_700_000_040;
const NOW = new Date((T + 600) * 1000);
/** Operation outputs as plain objects; the shapes are what the tests check. */
type Output = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ctx: RequestContext = { requestId: "r", region: "us-east-1", protocol: "json", receivedAt: NOW };

function setup() {
  const store = new MetricStore({ now: () => NOW.getTime() });
  const ops = cloudwatchService(store).operations;
  const call = async (op: string, input: Record<string, unknown>) => (await ops[op](input, ctx)) as Output;
  return { store, call };
}

const node = (cluster: string, nodeId: string) => [{ Name: "CacheClusterId", Value: cluster }, { Name: "CacheNodeId", Value: nodeId }];

async function seeded() {
  const s = setup();
  const MetricData = [];
  for (let m = 0; m < 5; m++) {
    MetricData.push({ MetricName: "CacheHits", Dimensions: node("orders-001", "0001"), Timestamp: T + m * 60, Value: 10 * (m + 1) });
    MetricData.push({ MetricName: "CacheMisses", Dimensions: node("orders-001", "0001"), Timestamp: T + m * 60, Value: m === 2 ? 0 : 10 });
    MetricData.push({ MetricName: "CacheHits", Dimensions: node("orders-002", "0001"), Timestamp: T + m * 60, Value: 1 });
  }
  await s.call("PutMetricData", { Namespace: "Custom/ElastiCache", MetricData });
  return s;
}

const stat = (id: string, metric: string, cluster: string, extra: Record<string, unknown> = {}) => ({
  Id: id,
  MetricStat: { Metric: { Namespace: "Custom/ElastiCache", MetricName: metric, Dimensions: node(cluster, "0001") }, Period: 60, Stat: "Sum" },
  ...extra,
});

async function rejection(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("GetMetricData", () => {
  it("evaluates metric math over MetricStat queries, newest first by default", async () => {
    const { call } = await seeded();
    const out = await call("GetMetricData", {
      StartTime: T, EndTime: T + 300,
      MetricDataQueries: [
        stat("hits", "CacheHits", "orders-001", { ReturnData: false }),
        stat("misses", "CacheMisses", "orders-001", { ReturnData: false }),
        { Id: "rate", Expression: "100 * hits / (hits + misses)", Label: "Hit rate" },
      ],
    });
    expect(out.MetricDataResults).toHaveLength(1);
    const [rate] = out.MetricDataResults;
    expect(rate).toMatchObject({ Id: "rate", Label: "Hit rate", StatusCode: "Complete" });
    expect(rate.Timestamps.map((d: Date) => d.getTime() / 1000 - T)).toEqual([240, 180, 120, 60, 0]);
    expect(rate.Values).toEqual([(100 * 50) / 60, (100 * 40) / 50, 100, (100 * 20) / 30, 50]);
  });

  it("labels results: the metric name, the Id of an expression, each series of an array, dynamic labels", async () => {
    const { call } = await seeded();
    const out = await call("GetMetricData", {
      StartTime: T, EndTime: T + 300, ScanBy: "TimestampAscending",
      MetricDataQueries: [
        stat("h1", "CacheHits", "orders-001"),
        { Id: "total", Expression: "SUM(METRICS())" },
        { Id: "byCluster", Expression: `SEARCH('{Custom/ElastiCache,CacheClusterId,CacheNodeId} MetricName="CacheHits"', 'Sum', 60)`, Label: "${PROP('Dim.CacheClusterId')} max ${MAX}" },
        { Id: "flat", Expression: "AVG(h1)", Period: 120 },
      ],
    });
    const results = out.MetricDataResults.map((r: Output) => [r.Id, r.Label, r.Values]);
    expect(results).toEqual([
      ["h1", "CacheHits", [10, 20, 30, 40, 50]],
      ["total", "total", [10, 20, 30, 40, 50]],
      ["byCluster", "orders-001 max 50", [10, 20, 30, 40, 50]],
      ["byCluster", "orders-002 max 1", [1, 1, 1, 1, 1]],
      ["flat", "flat", [30, 30, 30]],
    ]);
    expect(out.MetricDataResults[4].Timestamps.map((d: Date) => d.getTime() / 1000 - T)).toEqual([0, 120, 240]);
  });

  it("pages with MaxDatapoints and NextToken, marking cut results PartialData", async () => {
    const { call } = await seeded();
    const request = {
      StartTime: T, EndTime: T + 300, MaxDatapoints: 3, ScanBy: "TimestampAscending",
      MetricDataQueries: [stat("a", "CacheHits", "orders-001"), stat("b", "CacheMisses", "orders-001")],
    };
    const pages = [];
    let NextToken: string | undefined;
    do {
      const page = await call("GetMetricData", { ...request, NextToken });
      pages.push(page.MetricDataResults.map((r: Output) => [r.Id, r.StatusCode, r.Values]));
      NextToken = page.NextToken;
    } while (NextToken);
    expect(pages).toEqual([
      [["a", "PartialData", [10, 20, 30]]],
      [["a", "Complete", [40, 50]], ["b", "PartialData", [10]]],
      [["b", "PartialData", [10, 0, 10]]],
      [["b", "Complete", [10]]],
    ]);
    const first = await call("GetMetricData", request);
    const other = await rejection(call("GetMetricData", { ...request, EndTime: T + 240, NextToken: first.NextToken }));
    expect(other.code).toBe("InvalidNextToken");
    expect((await rejection(call("GetMetricData", { ...request, NextToken: "garbage" }))).code).toBe("InvalidNextToken");
  });

  it("refuses MaxDatapoints above AWS's 100,800 per call, and pages within it", async () => {
    const { call } = await seeded();
    const request = { StartTime: T, EndTime: T + 300, MetricDataQueries: [stat("a", "CacheHits", "orders-001")] };
    const error = await rejection(call("GetMetricData", { ...request, MaxDatapoints: 100_801 }));
    expect(error.code).toBe("ValidationError");
    expect(error.message).toBe("The value 100801 for parameter MaxDatapoints must be less than or equal to 100800; page through more with NextToken.");
    expect((await call("GetMetricData", { ...request, MaxDatapoints: 100_800 })).MetricDataResults[0].Values).toHaveLength(5);
  });

  it("answers other requests while a heavy GetMetricData runs, instead of after it", async () => {
    const { store, call } = setup();
    for (let i = 0; i < 10_000; i++) {
      const id = { namespace: "Heavy", metricName: `M${i % 10}`, dimensions: [{ Name: "Shard", Value: `s${i}` }] };
      store.put("us-east-1", id, { timestamp: T, count: 1, sum: i, min: i, max: i, pairs: [i, 1], storageResolution: 60 });
    }
    const finished: string[] = [];
    const heavy = call("GetMetricData", {
      StartTime: T, EndTime: T + 60,
      MetricDataQueries: Array.from({ length: 4 }, (_, i) => ({ Id: `s${i}`, Expression: `SEARCH('{Heavy,Shard} MetricName="M${i}"', 'Sum', 60)` })),
    }).then((out) => {
      finished.push("heavy");
      return out;
    });
    const light = call("ListMetrics", { Namespace: "Nothing/Here" }).then(() => finished.push("light"));
    const [out] = await Promise.all([heavy, light]);
    // The heavy request hands the event loop back between its steps, so the light one, sent after it, ends first.
    expect(finished).toEqual(["light", "heavy"]);
    expect(out.MetricDataResults).toHaveLength(4 * 500);
    expect(out.MetricDataResults.every((r: Output) => r.Values.length === 1)).toBe(true);
  });

  it("reports every validation problem at once, as CloudWatch does", async () => {
    const { call } = setup();
    const error = await rejection(
      call("GetMetricData", {
        StartTime: T + 60, EndTime: T,
        MetricDataQueries: [
          { Id: "Bad-1", Expression: "1" },
          { Id: "ok", Expression: "1 +" },
          { Id: "ok", Expression: "2" },
          { Id: "s", MetricStat: { Metric: { Namespace: "A", MetricName: "B" }, Period: 45, Stat: "Median" } },
          { Id: "both", Expression: "1", MetricStat: { Metric: { Namespace: "A", MetricName: "B" }, Period: 60, Stat: "Sum" } },
        ],
      }),
    );
    expect(error.code).toBe("ValidationError");
    expect(error.message.split("\n")).toEqual([
      "The parameter StartTime must be less than the parameter EndTime.",
      "The value Bad-1 for parameter MetricDataQueries.member.1.Id is not matching the expected pattern ^[a-z][a-zA-Z0-9_]*$.",
      "The value ok for parameter MetricDataQueries.member.3.Id is a duplicate; each Id must be unique in the request.",
      "The value Median for parameter MetricDataQueries.member.4.MetricStat.Stat is not a valid statistic.",
      "The value 45 for parameter MetricDataQueries.member.4.MetricStat.Period must be 1, 5, 10, 20, 30 or a multiple of 60.",
      "Exactly one of MetricDataQueries.member.5.MetricStat and MetricDataQueries.member.5.Expression must be specified.",
      "Error in expression ok: Unexpected end of expression",
    ]);
  });

  it("refuses more than 500 queries, unknown ids and circular references", async () => {
    const { call } = setup();
    const many = Array.from({ length: 501 }, (_, i) => ({ Id: `q${i}`, Expression: "1" }));
    const tooMany = await rejection(call("GetMetricData", { StartTime: T, EndTime: T + 60, MetricDataQueries: many }));
    expect(tooMany.message).toBe("The collection MetricDataQueries must not have a size greater than 500.");
    const unknown = await rejection(call("GetMetricData", { StartTime: T, EndTime: T + 60, MetricDataQueries: [{ Id: "e", Expression: "m9 * 2" }] }));
    expect(unknown.message).toBe("Error in expression e: Unrecognized metric id m9.");
    const cycle = await rejection(
      call("GetMetricData", { StartTime: T, EndTime: T + 60, MetricDataQueries: [{ Id: "a", Expression: "b + 1" }, { Id: "b", Expression: "a + 1" }] }),
    );
    expect(cycle.message).toMatch(/Circular dependency/);
  });

  it("returns nothing for a unit the metric was not published with", async () => {
    const { call } = await seeded();
    const out = await call("GetMetricData", {
      StartTime: T, EndTime: T + 300,
      MetricDataQueries: [{ ...stat("a", "CacheHits", "orders-001"), MetricStat: { ...stat("a", "CacheHits", "orders-001").MetricStat, Unit: "Bytes" } }],
    });
    expect(out.MetricDataResults[0].Values).toEqual([]);
  });
});

describe("GetMetricStatistics", () => {
  it("returns the requested statistics per period", async () => {
    const { call } = await seeded();
    const out = await call("GetMetricStatistics", {
      Namespace: "Custom/ElastiCache", MetricName: "CacheHits", Dimensions: node("orders-001", "0001"),
      StartTime: T, EndTime: T + 300, Period: 120, Statistics: ["Sum", "Average", "SampleCount"], ExtendedStatistics: ["p50"],
    });
    expect(out.Label).toBe("CacheHits");
    expect(out.Datapoints.map((d: Output) => [d.Timestamp.getTime() / 1000 - T, d.Sum, d.Average, d.SampleCount, Object.fromEntries(d.ExtendedStatistics)])).toEqual([
      [0, 30, 15, 2, { p50: 10 }],
      [120, 70, 35, 2, { p50: 30 }],
      [240, 50, 50, 1, { p50: 50 }],
    ]);
  });

  it("refuses more than 1,440 datapoints and bad statistics", async () => {
    const { call } = setup();
    const base = { Namespace: "A", MetricName: "B", StartTime: T, EndTime: T + 86400 + 60, Period: 60, Statistics: ["Sum"] };
    const tooMany = await rejection(call("GetMetricStatistics", base));
    expect(tooMany.code).toBe("InvalidParameterCombination");
    expect(tooMany.message).toMatch(/requested up to 1,441 datapoints, which exceeds the limit of 1,440/);
    expect((await rejection(call("GetMetricStatistics", { ...base, EndTime: T + 60, Statistics: ["Median"] }))).message).toBe(
      "The value Median for parameter Statistics.member.1 is not a valid statistic.",
    );
    expect((await rejection(call("GetMetricStatistics", { ...base, EndTime: T + 60, Statistics: [] }))).code).toBe("InvalidParameterCombination");
    expect((await rejection(call("GetMetricStatistics", { ...base, EndTime: T + 60, Period: 90 }))).code).toBe("InvalidParameterValue");
  });
});

describe("ListMetrics", () => {
  it("filters by namespace, name and dimensions, and pages 500 at a time", async () => {
    const { call } = await seeded();
    const byDimension = await call("ListMetrics", { Dimensions: [{ Name: "CacheClusterId", Value: "orders-002" }] });
    expect(byDimension.Metrics).toEqual([{ Namespace: "Custom/ElastiCache", MetricName: "CacheHits", Dimensions: node("orders-002", "0001") }]);
    expect((await call("ListMetrics", { MetricName: "CacheMisses" })).Metrics).toHaveLength(1);
    expect((await call("ListMetrics", { Namespace: "Other" })).Metrics).toEqual([]);

    const MetricData = Array.from({ length: 700 }, (_, i) => ({ MetricName: `m${i}`, Timestamp: T, Value: 1 }));
    await call("PutMetricData", { Namespace: "Many", MetricData: MetricData.slice(0, 350) });
    await call("PutMetricData", { Namespace: "Many", MetricData: MetricData.slice(350) });
    const first = await call("ListMetrics", { Namespace: "Many", RecentlyActive: "PT3H" });
    expect(first.Metrics).toHaveLength(500);
    const second = await call("ListMetrics", { Namespace: "Many", RecentlyActive: "PT3H", NextToken: first.NextToken });
    expect(second.Metrics).toHaveLength(200);
    expect(second.NextToken).toBeUndefined();
    const names = new Set([...first.Metrics, ...second.Metrics].map((m: Output) => m.MetricName));
    expect(names.size).toBe(700);
    expect((await rejection(call("ListMetrics", { RecentlyActive: "PT1H" }))).code).toBe("InvalidParameterValue");
  });
});

describe("PutMetricData", () => {
  it("validates like CloudWatch", async () => {
    const { call } = setup();
    const put = (datum: Record<string, unknown>, Namespace = "App") => rejection(call("PutMetricData", { Namespace, MetricData: [{ MetricName: "m", ...datum }] }));
    expect((await put({ Value: 1 }, "AWS/ElastiCache")).message).toBe("The value AWS/ElastiCache for parameter Namespace is invalid.");
    expect((await put({ Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } })).code).toBe("InvalidParameterCombination");
    expect((await put({ Values: [1, 2], Counts: [1] })).message).toMatch(/must be of the same size/);
    expect((await put({ Value: 1, StorageResolution: 5 })).message).toMatch(/Valid values are 1 and 60/);
    expect((await put({ Value: 1, Timestamp: T - 15 * 86400 })).message).toMatch(/two weeks in the past/);
    expect((await put({ Value: 1, Unit: "Furlongs" })).code).toBe("InvalidParameterValue");
    expect((await put({ Value: "NaN" })).code).toBe("InvalidParameterValue");
    expect((await put({})).code).toBe("MissingParameter");
    const tooMany = Array.from({ length: 1001 }, () => ({ MetricName: "m", Value: 1 }));
    expect((await rejection(call("PutMetricData", { Namespace: "App", MetricData: tooMany }))).message).toMatch(/greater than 1000/);
  });
});

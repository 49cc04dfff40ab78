import {
  CloudWatchClient,
  GetMetricDataCommand,
  GetMetricStatisticsCommand,
  InvalidNextToken,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  ListMetricsCommand,
  MissingRequiredParameterException,
  paginateGetMetricData,
  paginateListMetrics,
  PutMetricDataCommand,
  ValidationException,
  type MetricDatum,
} from "@aws-sdk/client-cloudwatch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCloudWatchServer, type CloudWatchTestServer } from "./helpers/cloudwatch-server";

let server: CloudWatchTestServer;
let cw: CloudWatchClient;
const contentEncodings: (string | undefined)[] = [];
const minute = Math.floor(Date.now() / 60_000) * 60_000;
const start = new Date(minute - 10 * 60_000);
const end = new Date(minute);
const dims = [{ Name: "CacheClusterId", Value: "checkout-001" }, { Name: "CacheNodeId", Value: "0001" }];

beforeAll(async () => {
  server = await startCloudWatchServer();
  cw = new CloudWatchClient({ endpoint: server.endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  cw.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      contentEncodings.push(request.headers?.["content-encoding"]);
      return next(args);
    },
    { step: "finalizeRequest", name: "recordContentEncoding" },
  );
});

afterAll(async () => {
  cw?.destroy();
  await server?.close();
});

describe("CloudWatch through @aws-sdk/client-cloudwatch (awsJson1_0)", () => {
  it("publishes metrics, including a gzip-compressed batch of 1,000, and reads them back", async () => {
    const hits: MetricDatum[] = Array.from({ length: 10 }, (_, i) => ({
      MetricName: "CacheHits", Dimensions: dims, Timestamp: new Date(start.getTime() + i * 60_000), Value: 100 + i, Unit: "Count",
    }));
    const misses: MetricDatum[] = Array.from({ length: 10 }, (_, i) => ({
      MetricName: "CacheMisses", Dimensions: dims, Timestamp: new Date(start.getTime() + i * 60_000), Value: i % 2 === 0 ? 0 : 25, Unit: "Count",
    }));
    await cw.send(new PutMetricDataCommand({ Namespace: "Demo/ElastiCache", MetricData: [...hits, ...misses] }));
    const batch: MetricDatum[] = Array.from({ length: 1000 }, (_, i) => ({
      MetricName: "Shard", Dimensions: [{ Name: "Shard", Value: `shard-${String(i).padStart(4, "0")}` }], Value: i, Timestamp: start,
    }));
    await cw.send(new PutMetricDataCommand({ Namespace: "Demo/Batch", MetricData: batch }));
    expect(contentEncodings).toContain("gzip");
    expect(server.calls.every((c) => c.protocol === "json")).toBe(true);

    const out = await cw.send(
      new GetMetricDataCommand({
        StartTime: start, EndTime: end, ScanBy: "TimestampAscending",
        MetricDataQueries: [
          { Id: "hits", MetricStat: { Metric: { Namespace: "Demo/ElastiCache", MetricName: "CacheHits", Dimensions: dims }, Period: 60, Stat: "Sum" }, ReturnData: false },
          { Id: "misses", MetricStat: { Metric: { Namespace: "Demo/ElastiCache", MetricName: "CacheMisses", Dimensions: dims }, Period: 60, Stat: "Sum" }, ReturnData: false },
          { Id: "hitRate", Expression: "100 * hits / (hits + misses)", Label: "CacheHitRate" },
          { Id: "p", MetricStat: { Metric: { Namespace: "Demo/ElastiCache", MetricName: "CacheHits", Dimensions: dims }, Period: 300, Stat: "p50" } },
        ],
      }),
    );
    const [rate, p50] = out.MetricDataResults!;
    expect(rate.Label).toBe("CacheHitRate");
    expect(rate.Timestamps![0]).toEqual(start);
    expect(rate.Values).toEqual(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 100 : (100 * (100 + i)) / (125 + i))));
    expect(p50.Values).toEqual([102, 107]);
    expect(p50.StatusCode).toBe("Complete");
  });

  it("pages GetMetricData and ListMetrics with the SDK's paginators", async () => {
    const pages = [];
    for await (const page of paginateGetMetricData(
      { client: cw },
      {
        StartTime: start, EndTime: end, MaxDatapoints: 4,
        MetricDataQueries: [{ Id: "h", MetricStat: { Metric: { Namespace: "Demo/ElastiCache", MetricName: "CacheHits", Dimensions: dims }, Period: 60, Stat: "Sum" } }],
      },
    )) pages.push(page.MetricDataResults!.flatMap((r) => r.Values!));
    expect(pages).toEqual([[109, 108, 107, 106], [105, 104, 103, 102], [101, 100]]);

    let listed = 0;
    let pageCount = 0;
    for await (const page of paginateListMetrics({ client: cw }, { Namespace: "Demo/Batch", RecentlyActive: "PT3H" })) {
      listed += page.Metrics!.length;
      pageCount++;
    }
    expect([listed, pageCount]).toEqual([1000, 2]);
    const filtered = await cw.send(new ListMetricsCommand({ Dimensions: [{ Name: "CacheClusterId", Value: "checkout-001" }] }));
    expect(filtered.Metrics!.map((m) => m.MetricName).sort()).toEqual(["CacheHits", "CacheMisses"]);
    const otherRegion = new CloudWatchClient({ endpoint: server.endpoint, region: "eu-west-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
    expect((await otherRegion.send(new ListMetricsCommand({}))).Metrics).toEqual([]);
    otherRegion.destroy();
  });

  it("answers GetMetricStatistics with basic and extended statistics", async () => {
    const out = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: "Demo/ElastiCache", MetricName: "CacheMisses", Dimensions: dims, StartTime: start, EndTime: end, Period: 300,
        Statistics: ["Sum", "Maximum", "SampleCount"], ExtendedStatistics: ["p90"],
      }),
    );
    const points = out.Datapoints!.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
    expect(points.map((p) => [p.Sum, p.Maximum, p.SampleCount, p.ExtendedStatistics, p.Unit])).toEqual([
      [50, 25, 5, { p90: 25 }, "Count"],
      [75, 25, 5, { p90: 25 }, "Count"],
    ]);
  });

  it("maps errors to the SDK's exception classes", async () => {
    const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error as Error & { $metadata: { httpStatusCode: number } });
    const reserved = await failure(cw.send(new PutMetricDataCommand({ Namespace: "AWS/ElastiCache", MetricData: [{ MetricName: "x", Value: 1 }] })));
    expect(reserved).toBeInstanceOf(InvalidParameterValueException);
    expect(reserved!.$metadata.httpStatusCode).toBe(400);
    const badId = await failure(
      cw.send(new GetMetricDataCommand({ StartTime: start, EndTime: end, MetricDataQueries: [{ Id: "Hits", Expression: "1" }] })),
    );
    expect(badId).toBeInstanceOf(ValidationException);
    expect(badId!.message).toMatch(/MetricDataQueries\.member\.1\.Id is not matching the expected pattern/);
    const badToken = await failure(
      cw.send(new GetMetricDataCommand({ StartTime: start, EndTime: end, NextToken: "nope", MetricDataQueries: [{ Id: "a", Expression: "1" }] })),
    );
    expect(badToken).toBeInstanceOf(InvalidNextToken);
    const tooMany = await failure(
      cw.send(new GetMetricStatisticsCommand({ Namespace: "A", MetricName: "B", StartTime: new Date(minute - 2 * 86400_000), EndTime: end, Period: 60, Statistics: ["Sum"] })),
    );
    expect(tooMany).toBeInstanceOf(InvalidParameterCombinationException);
    const missing = await failure(cw.send(new PutMetricDataCommand({ Namespace: "App", MetricData: [{ MetricName: "x" }] })));
    expect(missing).toBeInstanceOf(MissingRequiredParameterException);
    expect(server.unexpectedErrors).toEqual([]);
  });
});

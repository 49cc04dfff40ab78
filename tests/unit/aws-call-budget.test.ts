import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { AwsError, AwsTimeoutError, countAwsCalls, describeReplicationGroups, getMetricSeries, metricsRequestedToday } from "@/lib/aws";
import { testFailover } from "@/lib/aws/elasticache-changes";
import { visibleTo } from "@/lib/data/problems";
import { startBlackHole, type BlackHole } from "../helpers/black-hole";
import { at } from "../helpers/place";

// The deadlines of every AWS call, with the real SDK against local endpoints: a black hole (accepts, never answers)
// and a server that leaves its first request unanswered. Short settings keep the file fast; the mechanism is the same
// as with the defaults. Each test uses its own region, so it gets its own client (clients are kept per region).

const BUDGET_MS = 1_500;
const ATTEMPT_MS = 500;
// Time for the event loop to notice on a loaded 2-core machine; the figure that matters is the budget.
const MARGIN_MS = 1_500;

let hole: BlackHole;
let regionCounter = 0;
const nextRegion = () => `us-budget-${(regionCounter += 1)}`;

async function timed<T>(work: () => Promise<T>): Promise<{ outcome: T | unknown; ms: number }> {
  const started = performance.now();
  const outcome = await work().catch((error: unknown) => error);
  return { outcome, ms: performance.now() - started };
}

beforeAll(async () => {
  hole = await startBlackHole();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: hole.url,
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    AWS_EC2_METADATA_DISABLED: "true",
    CACHEDECK_AWS_CONNECT_TIMEOUT_SECONDS: "0.5",
    CACHEDECK_AWS_ATTEMPT_TIMEOUT_SECONDS: String(ATTEMPT_MS / 1000),
    CACHEDECK_AWS_CALL_BUDGET_SECONDS: String(BUDGET_MS / 1000),
    CACHEDECK_AWS_MAX_ATTEMPTS: "3",
  });
});
afterAll(() => hole.close());

describe("an AWS call against an endpoint that accepts and never answers", () => {
  it("ends after one budget, its retry inside it, and drops its connections", async () => {
    const region = nextRegion();
    const before = hole.accepted();
    const { outcome, ms } = await timed(() => countAwsCalls(() => describeReplicationGroups(at(region))));

    expect(outcome).toBeInstanceOf(AwsTimeoutError);
    expect(ms).toBeGreaterThanOrEqual(BUDGET_MS - 50);
    expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
    // Each attempt timed out after 500 ms and the SDK retried; the budget cut the last retry at 1.5 s, and there are
    // never more attempts than configured.
    expect(hole.accepted() - before).toBeGreaterThanOrEqual(2);
    expect(hole.accepted() - before).toBeLessThanOrEqual(3);
    await waitFor(() => hole.open() === 0, { timeoutMs: 2_000, description: "the client to close its connections" });

    const error = outcome as AwsTimeoutError;
    expect(error.elapsedMs).toBeGreaterThanOrEqual(BUDGET_MS - 50);
    expect(error.message).toMatch(new RegExp(`^ElastiCache in ${region} did not answer DescribeReplicationGroups: no answer after \\d+\\.\\d s\\.$`));
    expect(error.message).not.toContain(hole.url);
    expect(error.adminDetail).toContain(`the endpoint ${hole.url} (from AWS_ENDPOINT_URL)`);
    expect(error.adminDetail).toContain("CACHEDECK_AWS_CALL_BUDGET_SECONDS (1.5 s)");
  });

  it("reports the failure as data: region, what, after how long, with the detail for admins only", async () => {
    const region = nextRegion();
    const error = (await describeReplicationGroups(at(region)).catch((e: unknown) => e)) as AwsTimeoutError;
    const problem = error.toProblem("replication groups");
    expect(problem).toMatchObject({ kind: "timeout", region, what: "replication groups", operation: "DescribeReplicationGroups" });
    expect(problem.elapsedMs).toBeGreaterThanOrEqual(BUDGET_MS - 50);
    expect(Date.parse(problem.failedAt)).not.toBeNaN();
    expect(visibleTo("admin", problem).adminDetail).toContain(hole.url);
    for (const role of ["viewer", "operator"] as const) {
      const seen = visibleTo(role, problem);
      expect(seen.adminDetail).toBeNull();
      expect(JSON.stringify(seen)).not.toContain(hole.url);
      expect(JSON.stringify(seen)).not.toContain("AWS_ENDPOINT_URL");
    }
  });

  it("ends when the caller aborts first (an action's deadline), reporting the caller's abort rather than the budget", async () => {
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 300);
    const { outcome, ms } = await timed(() => testFailover(at(nextRegion()), "orders", "0001", caller.signal));
    expect(ms).toBeLessThan(BUDGET_MS);
    expect(outcome).toBeInstanceOf(AwsError);
    expect(outcome).not.toBeInstanceOf(AwsTimeoutError);
    expect((outcome as AwsError).awsCode).toBe("AbortError");
  });
});

describe("GetMetricData against an endpoint that never answers", () => {
  it("counts the metrics of every attempt: CloudWatch bills each request it receives, retries included", async () => {
    const before = { metrics: metricsRequestedToday(), accepted: hole.accepted() };
    const requests = ["CPUUtilization", "Evictions", "CurrConnections"].map((metricName) => ({
      key: metricName, namespace: "AWS/ElastiCache", metricName, dimensions: { CacheClusterId: "orders-001" }, stat: "Average", period: 60,
    }));
    const outcome = await getMetricSeries(at(nextRegion()), requests, { start: new Date(Date.now() - 600_000), end: new Date() }).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(AwsTimeoutError);
    const attempts = hole.accepted() - before.accepted;
    expect(attempts).toBeGreaterThanOrEqual(2);
    expect(metricsRequestedToday() - before.metrics).toBe(3 * attempts);
  });
});

describe("an endpoint that leaves only the first attempt unanswered", () => {
  let server: http.Server;
  let url: string;
  let requests = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      requests += 1;
      req.resume();
      if (requests === 1) return; // hung: the attempt's own deadline has to end it
      res.writeHead(200, { "content-type": "text/xml" }).end(
        `<DescribeReplicationGroupsResponse xmlns="http://elasticache.amazonaws.com/doc/2015-02-02/"><DescribeReplicationGroupsResult><ReplicationGroups><ReplicationGroup><ReplicationGroupId>orders</ReplicationGroupId></ReplicationGroup></ReplicationGroups></DescribeReplicationGroupsResult><ResponseMetadata><RequestId>r2</RequestId></ResponseMetadata></DescribeReplicationGroupsResponse>`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );

  it("gets the answer from the SDK's retry, within the budget", async () => {
    process.env.AWS_ENDPOINT_URL_ELASTICACHE = url;
    try {
      const { outcome, ms } = await timed(() => describeReplicationGroups(at(nextRegion())));
      expect(outcome).toEqual([expect.objectContaining({ id: "orders" })]);
      expect(requests).toBe(2);
      expect(ms).toBeGreaterThanOrEqual(ATTEMPT_MS - 50);
      expect(ms).toBeLessThan(BUDGET_MS + MARGIN_MS);
    } finally {
      delete process.env.AWS_ENDPOINT_URL_ELASTICACHE;
    }
  });
});

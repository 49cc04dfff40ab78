import type http from "node:http";
import cbor from "cbor";

// What the app asks of AWS, counted on the wire (a counting proxy's inspect hook): every call with its time, and for
// GetMetricData the metrics it requests — what CloudWatch bills, $0.01 per 1,000 metrics requested.

export const DOLLARS_PER_METRIC = 0.01 / 1000;

export interface Call {
  at: number;
  operation: string;
  metrics: number;
  /** GetMetricData: the CacheClusterId of each metric query that names one, to tell one page's reads from the rest. */
  clusterIds?: string[];
  /** The first page of a whole-region describe (no id, no marker): the region it read, from the signature's scope. */
  wholeRegion?: string;
}

type Query = { MetricStat?: { Metric?: { Dimensions?: { Name?: string; Value?: string }[] } } };

/**
 * MetricStat queries of a GetMetricData body in any of CloudWatch's protocols (JSON 1.0, RPC v2 CBOR, awsQuery): how
 * many, and the CacheClusterId each names (JSON and CBOR only; the app's SDK speaks JSON).
 */
export function metricsRequested(body: Buffer, contentType: string): { metrics: number; clusterIds: string[] } {
  try {
    if (contentType.includes("cbor")) return statsOf(cbor.decodeFirstSync(body) as { MetricDataQueries?: Query[] });
    if (contentType.includes("json")) return statsOf(JSON.parse(body.toString("utf8")) as { MetricDataQueries?: Query[] });
    const metrics = [...new URLSearchParams(body.toString("utf8")).keys()].filter((k) => /^MetricDataQueries\.member\.\d+\.MetricStat\.Metric\.MetricName$/.test(k)).length;
    return { metrics, clusterIds: [] };
  } catch {
    return { metrics: 0, clusterIds: [] };
  }
}

function statsOf(input: { MetricDataQueries?: Query[] }): { metrics: number; clusterIds: string[] } {
  const stats = (input.MetricDataQueries ?? []).filter((q) => q.MetricStat !== undefined);
  const clusterIds = stats.flatMap((q) => q.MetricStat!.Metric?.Dimensions?.filter((d) => d.Name === "CacheClusterId").map((d) => d.Value ?? "") ?? []);
  return { metrics: stats.length, clusterIds };
}

/** Metrics requested by `calls` about the members of replication group `groupId` (member ids start with it). */
export function metricsAbout(calls: Call[], groupId: string): number {
  let n = 0;
  for (const c of calls) for (const id of c.clusterIds ?? []) if (id.startsWith(`${groupId}-`)) n += 1;
  return n;
}

export class WireTally {
  readonly calls: Call[] = [];
  private inFlight = 0;
  private mostInFlight = 0;

  readonly inspect = (operation: string, body: Buffer, request: http.IncomingMessage, response: http.ServerResponse): void => {
    this.inFlight += 1;
    this.mostInFlight = Math.max(this.mostInFlight, this.inFlight);
    response.once("close", () => (this.inFlight -= 1));
    if (operation !== "GetMetricData") {
      this.calls.push({ at: Date.now(), operation, metrics: 0, wholeRegion: wholeRegionDescribe(operation, body, request) });
      return;
    }
    const { metrics, clusterIds } = metricsRequested(body, String(request.headers["content-type"] ?? ""));
    this.calls.push({ at: Date.now(), operation, metrics, clusterIds });
  };

  reset(): void {
    this.calls.length = 0;
  }

  /** The most calls waiting for AWS (the emulator) at once since the last time this was asked: a burst is many at once. */
  peakInFlight(): number {
    const peak = this.mostInFlight;
    this.mostInFlight = this.inFlight;
    return peak;
  }

  since(from: number, to = Infinity): Call[] {
    return this.calls.filter((c) => c.at >= from && c.at < to);
  }
}

const wholeRegionIds: Record<string, string> = { DescribeCacheClusters: "CacheClusterId", DescribeReplicationGroups: "ReplicationGroupId" };

/**
 * The region a call reads if it is the first page of a whole-region describe (ElastiCache speaks awsQuery: a form
 * body), to tell the watcher's safety-net and event-driven re-reads apart from its targeted ones.
 */
function wholeRegionDescribe(operation: string, body: Buffer, request: http.IncomingMessage): string | undefined {
  const idParam = wholeRegionIds[operation];
  if (!idParam) return undefined;
  const params = new URLSearchParams(body.toString("utf8"));
  if (params.has(idParam) || params.has("Marker")) return undefined;
  return /Credential=[^/]+\/\d{8}\/([^/]+)\//.exec(String(request.headers.authorization ?? ""))?.[1] ?? "?";
}

/** When whole-region describes started within [from, to): "DescribeCacheClusters us-east-1 +12 s, …". */
export function wholeRegionDescribes(calls: Call[], from: number, to: number): string {
  const starts = calls.filter((c) => c.wholeRegion && c.at >= from && c.at < to);
  return starts.map((c) => `${c.operation} ${c.wholeRegion} +${Math.round((c.at - from) / 1000)} s`).join(", ") || "none";
}

export function summarise(calls: Call[]): { calls: number; metrics: number; byOperation: string } {
  const counts = new Map<string, number>();
  for (const c of calls) counts.set(c.operation, (counts.get(c.operation) ?? 0) + 1);
  return {
    calls: calls.length,
    metrics: calls.reduce((n, c) => n + c.metrics, 0),
    byOperation: [...counts].sort((a, b) => b[1] - a[1]).map(([op, n]) => `${op} ${n}`).join(", ") || "none",
  };
}

/**
 * Calls per 10-second bucket over [from, to): the largest bucket (and what it held, by operation), and the median one,
 * to tell bursts from a steady rate.
 */
export function burstiness(calls: Call[], from: number, to: number): { peak: number; peakAtSeconds: number; peakByOperation: string; median: number } {
  const buckets = new Array<number>(Math.max(1, Math.ceil((to - from) / 10_000))).fill(0);
  const bucketOf = (c: Call) => Math.floor((c.at - from) / 10_000);
  for (const c of calls) if (c.at >= from && c.at < to) buckets[bucketOf(c)]++;
  const peak = Math.max(...buckets);
  const peakBucket = buckets.indexOf(peak);
  const sorted = [...buckets].sort((a, b) => a - b);
  const inPeak = calls.filter((c) => c.at >= from && c.at < to && bucketOf(c) === peakBucket);
  return { peak, peakAtSeconds: peakBucket * 10, peakByOperation: summarise(inPeak).byOperation, median: sorted[Math.floor(sorted.length / 2)] };
}

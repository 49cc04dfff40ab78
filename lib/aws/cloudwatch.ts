import "server-only";
import { GetMetricDataCommand, type MetricDataResult } from "@aws-sdk/client-cloudwatch";
import type { Place } from "@/lib/place";
import { cloudWatchClient } from "./clients";
import { callAws } from "./errors";
import { planMetricBatches, type MetricBatch, type MetricRequest } from "./metric-batches";

export type { MetricRequest } from "./metric-batches";

export interface MetricSeries {
  key: string;
  /** Epoch milliseconds, ascending. */
  timestamps: number[];
  values: number[];
  /** False when CloudWatch answered PartialData, InternalError or Forbidden for this query. */
  complete: boolean;
}

export interface MetricWindow {
  start: Date;
  end: Date;
}

/** Calls in flight at once for one fetch: more batches queue rather than hammer CloudWatch. */
const concurrentCalls = 2;

async function runBatch(place: Place, batch: MetricBatch, window: MetricWindow): Promise<MetricDataResult[]> {
  const client = cloudWatchClient(place);
  const results: MetricDataResult[] = [];
  let NextToken: string | undefined;
  do {
    const out = await callAws({ service: "cloudwatch", ...place, operation: "GetMetricData" }, () =>
      client.send(
        new GetMetricDataCommand({
          MetricDataQueries: batch.queries,
          StartTime: window.start,
          EndTime: window.end,
          ScanBy: "TimestampAscending",
          NextToken,
        }),
      ),
    );
    results.push(...(out.MetricDataResults ?? []));
    NextToken = out.NextToken;
  } while (NextToken);
  return results;
}

/** Merges one query's pages (a long series arrives in several) into one ascending series per caller key. */
export function mergeMetricResults(batch: MetricBatch, results: MetricDataResult[]): MetricSeries[] {
  const byKey = new Map<string, { points: Map<number, number>; complete: boolean }>();
  for (const key of batch.keys.values()) byKey.set(key, { points: new Map(), complete: true });
  for (const result of results) {
    const key = result.Id ? batch.keys.get(result.Id) : undefined;
    const entry = key ? byKey.get(key) : undefined;
    if (!entry) continue;
    result.Timestamps?.forEach((t, i) => entry.points.set(new Date(t).getTime(), result.Values?.[i] ?? Number.NaN));
    if (result.StatusCode && result.StatusCode !== "Complete") entry.complete = false;
  }
  return [...byKey].map(([key, { points, complete }]) => {
    const sorted = [...points].filter(([, v]) => Number.isFinite(v)).sort(([a], [b]) => a - b);
    return { key, timestamps: sorted.map(([t]) => t), values: sorted.map(([, v]) => v), complete };
  });
}

/**
 * Fetches every requested series of one region with as few GetMetricData calls as possible (≤ 500 queries each),
 * following NextToken. Results are keyed by the callers' keys. `between`, when given, is awaited before each pair of
 * calls after the first (a background read paces itself with it).
 */
export async function getMetricSeries(
  place: Place,
  requests: MetricRequest[],
  window: MetricWindow,
  paging: { between?: () => Promise<void> } = {},
): Promise<Map<string, MetricSeries>> {
  const batches = planMetricBatches(requests);
  const series = new Map<string, MetricSeries>();
  for (let i = 0; i < batches.length; i += concurrentCalls) {
    if (i > 0 && paging.between) await paging.between();
    const group = batches.slice(i, i + concurrentCalls);
    const answers = await Promise.all(group.map((batch) => runBatch(place, batch, window)));
    answers.forEach((results, j) => {
      for (const s of mergeMetricResults(group[j], results)) series.set(s.key, s);
    });
  }
  return series;
}

import type { MetricDataQuery } from "@aws-sdk/client-cloudwatch";

/** GetMetricData accepts at most this many queries in one call. */
export const maxQueriesPerCall = 500;

export interface MetricRequest {
  /** The caller's name for this series; any string. */
  key: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  /** Sum, Average, Maximum, Minimum, SampleCount or pNN. */
  stat: string;
  /** Seconds: 1, 5, 10, 30 or a multiple of 60. */
  period: number;
}

export interface MetricBatch {
  queries: MetricDataQuery[];
  /** CloudWatch query Id → the caller's key. */
  keys: Map<string, string>;
}

/**
 * Packs requests into as few GetMetricData calls as the 500-query limit allows. CloudWatch Ids must start with a
 * lower-case letter and use only letters, digits and underscores, so callers' keys are mapped to `m<n>`.
 */
export function planMetricBatches(requests: MetricRequest[], perCall = maxQueriesPerCall): MetricBatch[] {
  const batches: MetricBatch[] = [];
  requests.forEach((request, index) => {
    if (index % perCall === 0) batches.push({ queries: [], keys: new Map() });
    const batch = batches[batches.length - 1];
    const id = `m${index}`;
    batch.keys.set(id, request.key);
    batch.queries.push({
      Id: id,
      ReturnData: true,
      MetricStat: {
        Metric: {
          Namespace: request.namespace,
          MetricName: request.metricName,
          Dimensions: Object.entries(request.dimensions).map(([Name, Value]) => ({ Name, Value })),
        },
        Period: request.period,
        Stat: request.stat,
      },
    });
  });
  return batches;
}

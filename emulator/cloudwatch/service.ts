import type { ServiceDefinition } from "../server/service";
import { CLOUDWATCH_ERROR_SHAPES } from "./errors";
import { getMetricData } from "./get-metric-data";
import { getMetricStatistics } from "./get-metric-statistics";
import { listMetrics } from "./list-metrics";
import type { MetricStore } from "./metric-store";
import { putMetricData } from "./put-metric-data";

/** CloudWatch (2010-08-01) over awsJson1_0, RPC v2 CBOR and awsQuery, backed by `store`. */
export function cloudwatchService(store: MetricStore): ServiceDefinition {
  return {
    signingName: "monitoring",
    version: "2010-08-01",
    xmlNamespace: "http://monitoring.amazonaws.com/doc/2010-08-01/",
    targetPrefix: "GraniteServiceVersion20100801",
    errorTypeNamespace: "com.amazonaws.cloudwatch",
    errorShapeNames: CLOUDWATCH_ERROR_SHAPES,
    // Every CloudWatch list is rendered with <member> items in query responses.
    xmlListItemNames: {},
    operations: {
      GetMetricData: getMetricData(store),
      GetMetricStatistics: getMetricStatistics(store),
      ListMetrics: listMetrics(store),
      PutMetricData: putMetricData(store),
    },
  };
}

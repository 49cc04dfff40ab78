import { DEFAULT_ACCOUNT_ID } from "../accounts";
import type { ServiceDefinition } from "../server/service";
import { AlarmBook } from "./alarms/alarm-book";
import { deleteAlarms, describeAlarmHistory, describeAlarms, describeAlarmsForMetric, setAlarmState } from "./alarms/alarm-queries";
import { putMetricAlarm } from "./alarms/put-metric-alarm";
import { CLOUDWATCH_ERROR_SHAPES } from "./errors";
import { getMetricData } from "./get-metric-data";
import { getMetricStatistics } from "./get-metric-statistics";
import { listMetrics } from "./list-metrics";
import type { MetricStore } from "./metric-store";
import { putMetricData } from "./put-metric-data";

/**
 * CloudWatch (2010-08-01) over awsJson1_0, RPC v2 CBOR and awsQuery, backed by `store` and, for alarms, `alarms`
 * (kept in memory when not given).
 */
export function cloudwatchService(store: MetricStore, alarms = new AlarmBook({ store, accountId: DEFAULT_ACCOUNT_ID })): ServiceDefinition {
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
      DeleteAlarms: deleteAlarms(alarms),
      DescribeAlarmHistory: describeAlarmHistory(alarms),
      DescribeAlarms: describeAlarms(alarms),
      DescribeAlarmsForMetric: describeAlarmsForMetric(alarms),
      GetMetricData: getMetricData(store),
      GetMetricStatistics: getMetricStatistics(store),
      ListMetrics: listMetrics(store),
      PutMetricAlarm: putMetricAlarm(alarms),
      PutMetricData: putMetricData(store),
      SetAlarmState: setAlarmState(alarms),
    },
  };
}

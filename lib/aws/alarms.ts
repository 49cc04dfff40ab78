import "server-only";
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand, PutMetricAlarmCommand, type MetricAlarm } from "@aws-sdk/client-cloudwatch";
import type { Place } from "@/lib/place";
import type { AlarmState, ExistingAlarm, RecommendedAlarm } from "@/lib/posture/recommended-alarms";
import { cloudWatchClient } from "./clients";
import { callAws } from "./errors";
import { drainPages } from "./paging";

const states: readonly AlarmState[] = ["OK", "ALARM", "INSUFFICIENT_DATA"];

function toExisting(alarm: MetricAlarm): ExistingAlarm | null {
  if (!alarm.AlarmName || !alarm.Namespace || !alarm.MetricName) return null;
  return {
    name: alarm.AlarmName,
    namespace: alarm.Namespace,
    metric: alarm.MetricName,
    dimensions: (alarm.Dimensions ?? []).map((d) => ({ name: d.Name ?? "", value: d.Value ?? "" })),
    state: states.includes(alarm.StateValue as AlarmState) ? (alarm.StateValue as AlarmState) : "INSUFFICIENT_DATA",
    stateUpdatedAt: alarm.StateUpdatedTimestamp ? new Date(alarm.StateUpdatedTimestamp).getTime() : null,
    threshold: alarm.Threshold ?? null,
    actions: alarm.AlarmActions ?? [],
  };
}

/**
 * Every metric alarm of the account's region on ElastiCache's namespace, in pages of 100 (the most DescribeAlarms
 * gives). Alarms on other namespaces are dropped here: a cache's recommended alarms are all AWS/ElastiCache.
 */
export function describeElastiCacheAlarms(place: Place): Promise<ExistingAlarm[]> {
  const client = cloudWatchClient(place);
  return callAws({ service: "cloudwatch", ...place, operation: "DescribeAlarms" }, async () => {
    const alarms = await drainPages(async (NextToken) => {
      const out = await client.send(new DescribeAlarmsCommand({ AlarmTypes: ["MetricAlarm"], MaxRecords: 100, NextToken }));
      return { items: out.MetricAlarms, next: out.NextToken || undefined };
    });
    return alarms.flatMap((a) => (a.Namespace === "AWS/ElastiCache" ? (toExisting(a) ?? []) : []));
  });
}

/** One state change of an alarm, from its history. */
export interface AlarmTransition {
  alarm: string;
  /** Epoch milliseconds. */
  t: number;
  from: AlarmState | null;
  to: AlarmState;
}

function transitionOf(name: string | undefined, timestamp: Date | undefined, data: string | undefined): AlarmTransition | null {
  if (!name || !timestamp || !data) return null;
  try {
    const parsed = JSON.parse(data) as { oldState?: { stateValue?: string }; newState?: { stateValue?: string } };
    const to = parsed.newState?.stateValue as AlarmState | undefined;
    const from = parsed.oldState?.stateValue as AlarmState | undefined;
    if (!to || !states.includes(to)) return null;
    return { alarm: name, t: new Date(timestamp).getTime(), from: from && states.includes(from) ? from : null, to };
  } catch {
    return null;
  }
}

/** The region's alarm state changes since `since`, oldest first: one paged call for every alarm of the region. */
export function describeAlarmTransitions(place: Place, since: Date): Promise<AlarmTransition[]> {
  const client = cloudWatchClient(place);
  return callAws({ service: "cloudwatch", ...place, operation: "DescribeAlarmHistory" }, async () => {
    const items = await drainPages(async (NextToken) => {
      const out = await client.send(
        new DescribeAlarmHistoryCommand({ HistoryItemType: "StateUpdate", StartDate: since, EndDate: new Date(), ScanBy: "TimestampAscending", MaxRecords: 100, NextToken }),
      );
      return { items: out.AlarmHistoryItems, next: out.NextToken || undefined };
    });
    return items.flatMap((h) => transitionOf(h.AlarmName, h.Timestamp, h.HistoryData) ?? []);
  });
}

/** Creates (or overwrites) one recommended alarm; `actions` are the SNS topics notified when it goes to ALARM. */
export async function putRecommendedAlarm(place: Place, alarm: RecommendedAlarm, actions: string[], signal?: AbortSignal): Promise<{ requestId: string | undefined }> {
  const { rule } = alarm;
  return callAws({ service: "cloudwatch", ...place, operation: "PutMetricAlarm" }, async () => {
    const out = await cloudWatchClient(place).send(
      new PutMetricAlarmCommand({
        AlarmName: alarm.name,
        AlarmDescription: `CacheDeck recommended alarm for ${alarm.target}: ${rule.why}`,
        Namespace: alarm.namespace,
        MetricName: rule.metric,
        Dimensions: alarm.dimensions.map((d) => ({ Name: d.name, Value: d.value })),
        Statistic: rule.statistic,
        Period: rule.period,
        EvaluationPeriods: rule.evaluationPeriods,
        DatapointsToAlarm: rule.datapointsToAlarm,
        Threshold: rule.threshold,
        ComparisonOperator: rule.comparison,
        TreatMissingData: rule.treatMissingData,
        AlarmActions: actions,
        OKActions: actions,
      }),
      { abortSignal: signal },
    );
    return { requestId: out.$metadata.requestId };
  });
}

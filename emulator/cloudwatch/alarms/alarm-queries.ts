import { z } from "zod";
import { qDate, qInt, qList, qString } from "../../server/input";
import type { RequestContext } from "../../server/service";
import { identity, metricKey } from "../dimensions";
import { invalidCombination, invalidFormat, invalidValue, resourceNotFound } from "../errors";
import { decodeToken, encodeToken, fingerprint } from "../paging-token";
import { dimensionsSchema, parseCloudWatchInput, unitSchema } from "../validation";
import type { AlarmBook, HistoryItem, StoredAlarm } from "./alarm-book";

// DescribeAlarms, DescribeAlarmsForMetric, DescribeAlarmHistory, DeleteAlarms and SetAlarmState over an AlarmBook.

const alarmTypes = qList(qString).pipe(z.array(z.enum(["CompositeAlarm", "MetricAlarm"])));
const stateValue = z.enum(["OK", "ALARM", "INSUFFICIENT_DATA"]);

/** An alarm as DescribeAlarms renders it (MetricAlarm). */
export function renderAlarm(alarm: StoredAlarm): Record<string, unknown> {
  return {
    AlarmName: alarm.AlarmName,
    AlarmArn: alarm.AlarmArn,
    AlarmDescription: alarm.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: new Date(alarm.configuredAt),
    ActionsEnabled: alarm.ActionsEnabled,
    OKActions: alarm.OKActions,
    AlarmActions: alarm.AlarmActions,
    InsufficientDataActions: alarm.InsufficientDataActions,
    StateValue: alarm.StateValue,
    StateReason: alarm.StateReason,
    StateReasonData: alarm.StateReasonData,
    StateUpdatedTimestamp: new Date(alarm.stateUpdatedAt),
    StateTransitionedTimestamp: new Date(alarm.stateTransitionedAt),
    MetricName: alarm.MetricName,
    Namespace: alarm.Namespace,
    Statistic: alarm.Statistic,
    ExtendedStatistic: alarm.ExtendedStatistic,
    Dimensions: alarm.Dimensions,
    Period: alarm.Period,
    Unit: alarm.Unit,
    EvaluationPeriods: alarm.EvaluationPeriods,
    DatapointsToAlarm: alarm.DatapointsToAlarm,
    Threshold: alarm.Threshold,
    ComparisonOperator: alarm.ComparisonOperator,
    TreatMissingData: alarm.TreatMissingData,
  };
}

/** A page of `items` after the token's position, and the token for the next page. */
function page<T>(items: readonly T[], maxRecords: number, token: string | undefined, requestFingerprint: string) {
  const from = token === undefined ? 0 : decodeToken<number>(token, requestFingerprint, "number");
  const slice = items.slice(from, from + maxRecords);
  return { slice, NextToken: from + maxRecords < items.length ? encodeToken(from + maxRecords, requestFingerprint) : undefined };
}

function maxRecords(value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (value < 1 || value > 100) throw invalidValue(`The parameter MaxRecords must be between 1 and 100; got ${value}.`);
  return value;
}

const describeAlarmsSchema = z.object({
  AlarmNames: qList(qString.min(1).max(255)).pipe(z.array(z.string()).max(100)).optional(),
  AlarmNamePrefix: qString.min(1).max(255).optional(),
  AlarmTypes: alarmTypes.optional(),
  ChildrenOfAlarmName: qString.optional(),
  ParentsOfAlarmName: qString.optional(),
  StateValue: stateValue.optional(),
  ActionPrefix: qString.min(1).max(1024).optional(),
  MaxRecords: qInt.optional(),
  NextToken: qString.optional(),
});

export function describeAlarms(book: AlarmBook) {
  return async (raw: Record<string, unknown>, ctx: RequestContext) => {
    const input = parseCloudWatchInput(describeAlarmsSchema, raw);
    if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined) {
      throw invalidCombination("The parameters AlarmNames and AlarmNamePrefix are mutually exclusive.");
    }
    const { NextToken, MaxRecords, ...filter } = input;
    const limit = maxRecords(MaxRecords, 50);
    // Without AlarmTypes, AWS returns metric alarms only. There are no composite alarms here, so none has parents or
    // children either.
    const wantsMetric = (input.AlarmTypes ?? ["MetricAlarm"]).includes("MetricAlarm") && !input.ChildrenOfAlarmName && !input.ParentsOfAlarmName;
    const matches = (a: StoredAlarm) =>
      (input.AlarmNames === undefined || input.AlarmNames.includes(a.AlarmName)) &&
      (input.AlarmNamePrefix === undefined || a.AlarmName.startsWith(input.AlarmNamePrefix)) &&
      (input.StateValue === undefined || a.StateValue === input.StateValue) &&
      (input.ActionPrefix === undefined ||
        [...a.AlarmActions, ...a.OKActions, ...a.InsufficientDataActions].some((arn) => arn.startsWith(input.ActionPrefix!)));
    const selected = wantsMetric ? book.list(ctx.region).filter(matches) : [];
    const { slice, NextToken: next } = page(selected, limit, NextToken, fingerprint(filter));
    return { MetricAlarms: slice.map(renderAlarm), CompositeAlarms: [], NextToken: next };
  };
}

const forMetricSchema = z.object({
  MetricName: qString.min(1).max(255),
  Namespace: qString.min(1).max(255),
  Statistic: qString.optional(),
  ExtendedStatistic: qString.optional(),
  Dimensions: dimensionsSchema.optional(),
  Period: qInt.optional(),
  Unit: unitSchema.optional(),
});

export function describeAlarmsForMetric(book: AlarmBook) {
  return async (raw: Record<string, unknown>, ctx: RequestContext) => {
    const input = parseCloudWatchInput(forMetricSchema, raw);
    const key = metricKey(identity(input.Namespace, input.MetricName, input.Dimensions ?? []));
    const alarms = book
      .list(ctx.region)
      .filter(
        (a) =>
          metricKey(identity(a.Namespace, a.MetricName, a.Dimensions)) === key &&
          (input.Statistic === undefined || a.Statistic === input.Statistic) &&
          (input.ExtendedStatistic === undefined || a.ExtendedStatistic === input.ExtendedStatistic) &&
          (input.Period === undefined || a.Period === input.Period) &&
          (input.Unit === undefined || a.Unit === input.Unit),
      );
    return { MetricAlarms: alarms.map(renderAlarm) };
  };
}

const historySchema = z.object({
  AlarmName: qString.min(1).max(255).optional(),
  AlarmTypes: alarmTypes.optional(),
  HistoryItemType: z.enum(["ConfigurationUpdate", "StateUpdate", "Action", "AlarmContributorStateUpdate", "AlarmContributorAction"]).optional(),
  StartDate: qDate.optional(),
  EndDate: qDate.optional(),
  MaxRecords: qInt.optional(),
  NextToken: qString.optional(),
  ScanBy: z.enum(["TimestampDescending", "TimestampAscending"]).optional(),
  AlarmContributorId: qString.optional(),
});

export function describeAlarmHistory(book: AlarmBook) {
  return async (raw: Record<string, unknown>, ctx: RequestContext) => {
    const input = parseCloudWatchInput(historySchema, raw);
    const { NextToken, MaxRecords, ...filter } = input;
    const limit = maxRecords(MaxRecords, 100);
    const start = input.StartDate?.getTime() ?? -Infinity;
    const end = input.EndDate?.getTime() ?? Infinity;
    if (start > end) throw invalidValue("The parameter StartDate must be less than or equal to the parameter EndDate.");
    const wantsMetric = (input.AlarmTypes ?? ["MetricAlarm"]).includes("MetricAlarm");
    const matches = (h: HistoryItem) =>
      (input.AlarmName === undefined || h.AlarmName === input.AlarmName) &&
      (input.HistoryItemType === undefined || h.HistoryItemType === input.HistoryItemType) &&
      h.timestamp >= start &&
      h.timestamp <= end;
    const selected = wantsMetric ? book.history(ctx.region).filter(matches) : [];
    // The book keeps history oldest first.
    if (input.ScanBy !== "TimestampAscending") selected.reverse();
    const { slice, NextToken: next } = page(selected, limit, NextToken, fingerprint({ ...filter, start, end }));
    return {
      AlarmHistoryItems: slice.map((h) => ({
        AlarmName: h.AlarmName,
        AlarmType: "MetricAlarm",
        Timestamp: new Date(h.timestamp),
        HistoryItemType: h.HistoryItemType,
        HistorySummary: h.HistorySummary,
        HistoryData: h.HistoryData,
      })),
      NextToken: next,
    };
  };
}

const deleteSchema = z.object({ AlarmNames: qList(qString.min(1).max(255)).pipe(z.array(z.string()).max(100)) });

export function deleteAlarms(book: AlarmBook) {
  return async (raw: Record<string, unknown>, ctx: RequestContext) => {
    const { AlarmNames } = parseCloudWatchInput(deleteSchema, raw);
    // All or nothing: one unknown name refuses the call before anything is deleted.
    const unknown = AlarmNames.filter((name) => !book.get(ctx.region, name));
    if (unknown.length > 0) throw resourceNotFound(`Alarm${unknown.length === 1 ? "" : "s"} ${unknown.join(", ")} not found in ${ctx.region}; nothing was deleted.`);
    book.delete(ctx.region, [...new Set(AlarmNames)]);
    return {};
  };
}

const setStateSchema = z.object({
  AlarmName: qString.min(1).max(255),
  StateValue: stateValue,
  StateReason: qString.max(1023),
  StateReasonData: qString.max(4000).optional(),
});

export function setAlarmState(book: AlarmBook) {
  return async (raw: Record<string, unknown>, ctx: RequestContext) => {
    const input = parseCloudWatchInput(setStateSchema, raw);
    if (!book.get(ctx.region, input.AlarmName)) throw resourceNotFound(`Alarm ${input.AlarmName} not found in ${ctx.region}.`);
    if (input.StateReasonData !== undefined) {
      try {
        JSON.parse(input.StateReasonData);
      } catch {
        throw invalidFormat("The parameter StateReasonData is not valid JSON.");
      }
    }
    book.setState(ctx.region, input.AlarmName, input.StateValue, input.StateReason, input.StateReasonData);
    return {};
  };
}

import { z } from "zod";
import { qBool, qInt, qList, qNumber, qString } from "../../server/input";
import type { RequestContext } from "../../server/service";
import { invalidCombination, invalidValue, limitExceeded, missingParameter } from "../errors";
import { BASIC_STATISTICS, parseStat } from "../statistics";
import { dimensionsSchema, parseCloudWatchInput, unitSchema } from "../validation";
import type { AlarmBook } from "./alarm-book";
import { COMPARISON_OPERATORS } from "./evaluate";

/** CloudWatch's default quota of alarms per account and region. */
export const MAX_ALARMS_PER_REGION = 10_000;
const ANOMALY_OPERATORS = ["LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"];
const actionList = qList(qString.min(1).max(1024)).pipe(z.array(z.string()).max(5));

const inputSchema = z.object({
  AlarmName: qString.min(1).max(255),
  AlarmDescription: qString.max(1024).optional(),
  ActionsEnabled: qBool.optional(),
  OKActions: actionList.optional(),
  AlarmActions: actionList.optional(),
  InsufficientDataActions: actionList.optional(),
  MetricName: qString.min(1).max(255).optional(),
  Namespace: qString.min(1).max(255).optional(),
  Statistic: qString.optional(),
  ExtendedStatistic: qString.optional(),
  Dimensions: dimensionsSchema.optional(),
  Period: qInt.optional(),
  Unit: unitSchema.optional(),
  EvaluationPeriods: qInt.optional(),
  DatapointsToAlarm: qInt.optional(),
  Threshold: qNumber.optional(),
  ComparisonOperator: qString.optional(),
  TreatMissingData: qString.max(255).optional(),
  EvaluateLowSampleCountPercentile: qString.max(255).optional(),
  Metrics: qList(z.unknown()).optional(),
  Tags: qList(z.object({ Key: qString.min(1).max(128), Value: qString.max(256) })).optional(),
  ThresholdMetricId: qString.optional(),
});

/** PutMetricAlarm for static-threshold alarms on one metric; metric math and anomaly detection are refused by name. */
export function putMetricAlarm(book: AlarmBook) {
  return async (raw: Record<string, unknown>, ctx: RequestContext) => {
    const input = parseCloudWatchInput(inputSchema, raw);
    if (input.Metrics !== undefined && input.Metrics.length > 0) {
      throw invalidValue("Metric math alarms (the Metrics parameter) are not supported by the CacheDeck emulator; alarm on a single metric with MetricName, Namespace and Statistic.");
    }
    if (input.ThresholdMetricId !== undefined || ANOMALY_OPERATORS.includes(input.ComparisonOperator ?? "")) {
      throw invalidValue("Anomaly detection alarms (ThresholdMetricId, LessThanLowerOrGreaterThanUpperThreshold and the like) are not supported by the CacheDeck emulator.");
    }
    for (const name of ["MetricName", "Namespace", "Period", "EvaluationPeriods", "Threshold", "ComparisonOperator"] as const) {
      if (input[name] === undefined) throw missingParameter(name);
    }
    const period = input.Period!;
    const evaluationPeriods = input.EvaluationPeriods!;
    const comparison = input.ComparisonOperator!;
    if (!(COMPARISON_OPERATORS as readonly string[]).includes(comparison)) {
      throw invalidValue(`The value ${comparison} for parameter ComparisonOperator is not valid. Valid values: ${COMPARISON_OPERATORS.join(", ")}.`);
    }
    if (!(period === 10 || period === 30 || (period > 0 && period % 60 === 0))) {
      throw invalidValue(`The parameter Period must be 10, 30 or a multiple of 60; ${period} is not.`);
    }
    if (evaluationPeriods < 1) throw invalidValue("The parameter EvaluationPeriods must be greater than or equal to 1.");
    const range = evaluationPeriods * period;
    if (period < 3600 && range > 86400) {
      throw invalidValue(`The evaluation period multiplied by the number of periods (${range} seconds) must be no more than 86400 seconds (1 day) for a Period under 3600 seconds.`);
    }
    if (range > 7 * 86400) throw invalidValue(`The evaluation period multiplied by the number of periods (${range} seconds) must be no more than 604800 seconds (7 days).`);
    if (input.DatapointsToAlarm !== undefined && (input.DatapointsToAlarm < 1 || input.DatapointsToAlarm > evaluationPeriods)) {
      throw invalidValue(`The parameter DatapointsToAlarm must be between 1 and EvaluationPeriods (${evaluationPeriods}); got ${input.DatapointsToAlarm}.`);
    }
    if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
      throw invalidCombination("Exactly one of the parameters Statistic and ExtendedStatistic must be specified.");
    }
    if (input.Statistic !== undefined && !(BASIC_STATISTICS as readonly string[]).includes(input.Statistic)) {
      throw invalidValue(`The value ${input.Statistic} for parameter Statistic is not valid. Valid values: ${BASIC_STATISTICS.join(", ")}.`);
    }
    if (input.ExtendedStatistic !== undefined && parseStat(input.ExtendedStatistic)?.kind !== "percentile") {
      throw invalidValue(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not valid. The emulator supports percentiles, p0.0 to p100.`);
    }
    const treat = input.TreatMissingData ?? "missing";
    if (!["missing", "ignore", "breaching", "notBreaching"].includes(treat)) {
      throw invalidValue(`The value ${treat} for parameter TreatMissingData is not valid. Valid values: breaching, notBreaching, ignore, missing.`);
    }
    if (input.EvaluateLowSampleCountPercentile !== undefined) {
      throw invalidValue("EvaluateLowSampleCountPercentile is not supported by the CacheDeck emulator: percentile alarms always evaluate.");
    }
    for (const [field, actions] of [["OKActions", input.OKActions], ["AlarmActions", input.AlarmActions], ["InsufficientDataActions", input.InsufficientDataActions]] as const) {
      for (const [i, arn] of (actions ?? []).entries()) {
        if (!/^arn:aws[a-z-]*:(sns|automate|swf|ssm|ssm-incidents|lambda):/.test(arn)) {
          throw invalidValue(`The value ${arn} for parameter ${field}.member.${i + 1} is not a valid action ARN (an SNS topic, EC2 or Systems Manager action).`);
        }
      }
    }
    if (!book.get(ctx.region, input.AlarmName) && book.list(ctx.region).length >= MAX_ALARMS_PER_REGION) {
      throw limitExceeded(`The maximum of ${MAX_ALARMS_PER_REGION} alarms in ${ctx.region} has been reached.`);
    }
    if ((input.Tags ?? []).length > 50) throw invalidValue("The collection Tags must not have a size greater than 50.");
    book.put(
      ctx.region,
      {
        AlarmName: input.AlarmName,
        AlarmDescription: input.AlarmDescription,
        ActionsEnabled: input.ActionsEnabled ?? true,
        OKActions: input.OKActions ?? [],
        AlarmActions: input.AlarmActions ?? [],
        InsufficientDataActions: input.InsufficientDataActions ?? [],
        Namespace: input.Namespace!,
        MetricName: input.MetricName!,
        Dimensions: (input.Dimensions ?? []).map((d) => ({ Name: d.Name, Value: d.Value })),
        Statistic: input.Statistic,
        ExtendedStatistic: input.ExtendedStatistic,
        Period: period,
        Unit: input.Unit,
        EvaluationPeriods: evaluationPeriods,
        DatapointsToAlarm: input.DatapointsToAlarm,
        Threshold: input.Threshold!,
        ComparisonOperator: comparison as (typeof COMPARISON_OPERATORS)[number],
        TreatMissingData: input.TreatMissingData as "missing" | undefined,
      },
      input.Tags ?? [],
    );
    return {};
  };
}

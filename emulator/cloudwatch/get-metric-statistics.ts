import { z } from "zod";
import { qDate, qInt, qList, qString } from "../server/input";
import type { RequestContext } from "../server/service";
import { identity } from "./dimensions";
import { invalidCombination, invalidValue } from "./errors";
import type { MetricStore } from "./metric-store";
import { alignStart, BASIC_STATISTICS, bucketCount, isValidPeriod, parseStat, statValue, type Stat } from "./statistics";
import { dimensionsSchema, parseCloudWatchInput, unitSchema } from "./validation";

export const MAX_STATISTICS_DATAPOINTS = 1440;

const inputSchema = z.object({
  Namespace: qString.min(1).max(255),
  MetricName: qString.min(1).max(255),
  Dimensions: dimensionsSchema.optional(),
  StartTime: qDate,
  EndTime: qDate,
  Period: qInt,
  Statistics: qList(qString).optional(),
  ExtendedStatistics: qList(qString).optional(),
  Unit: unitSchema.optional(),
});

export function getMetricStatistics(store: MetricStore) {
  return async (raw: Record<string, unknown>, ctx: RequestContext) => {
    const input = parseCloudWatchInput(inputSchema, raw);
    const start = input.StartTime.getTime() / 1000;
    const end = input.EndTime.getTime() / 1000;
    if (!isValidPeriod(input.Period)) {
      throw invalidValue(`The parameter Period must be 1, 5, 10, 20, 30 or a multiple of 60; ${input.Period} is not.`);
    }
    if (start >= end) throw invalidValue("The parameter StartTime must be less than the parameter EndTime.");
    const statistics = input.Statistics ?? [];
    const extended = input.ExtendedStatistics ?? [];
    if (statistics.length === 0 && extended.length === 0) {
      throw invalidCombination("At least one of the parameters Statistics and ExtendedStatistics must be specified.");
    }
    if (statistics.length > 5) throw invalidValue("The collection Statistics must not have a size greater than 5.");
    if (extended.length > 10) throw invalidValue("The collection ExtendedStatistics must not have a size greater than 10.");
    const basic = statistics.map((name, i) => {
      if (!(BASIC_STATISTICS as readonly string[]).includes(name)) {
        throw invalidValue(`The value ${name} for parameter Statistics.member.${i + 1} is not a valid statistic.`);
      }
      return parseStat(name)!;
    });
    const percentiles = extended.map((name, i) => {
      const stat = parseStat(name);
      if (stat?.kind !== "percentile") throw invalidValue(`The value ${name} for parameter ExtendedStatistics.member.${i + 1} is not a valid statistic.`);
      return stat;
    });
    const requested = bucketCount(start, end, input.Period);
    if (requested > MAX_STATISTICS_DATAPOINTS) {
      throw invalidCombination(
        `You have requested up to ${requested.toLocaleString("en-US")} datapoints, which exceeds the limit of ${MAX_STATISTICS_DATAPOINTS.toLocaleString("en-US")}. ` +
          "You may reduce the datapoints requested by increasing Period, or decreasing the time range.",
      );
    }

    const series = store.find(ctx.region, identity(input.Namespace, input.MetricName, input.Dimensions ?? []));
    if (!series || (input.Unit && (series.unit ?? "None") !== input.Unit)) return { Label: input.MetricName, Datapoints: [] };
    const { timestamps, aggregates } = store.aggregate(series, alignStart(start, input.Period), end, input.Period, percentiles.length > 0);
    const Datapoints = timestamps.map((t, i) => {
      const point: Record<string, unknown> = { Timestamp: new Date(t * 1000) };
      for (const stat of basic) point[stat.name] = statValue(aggregates[i], stat);
      const ext = new Map<string, number>();
      for (const stat of percentiles) {
        const v = statValue(aggregates[i], stat as Stat);
        if (v !== undefined) ext.set(stat.name, v);
      }
      point.Unit = series.unit ?? "None";
      if (ext.size > 0) point.ExtendedStatistics = ext;
      return point;
    });
    return { Label: input.MetricName, Datapoints };
  };
}

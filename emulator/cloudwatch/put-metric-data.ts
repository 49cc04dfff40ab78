import { z } from "zod";
import { qBool, qDate, qInt, qList, qNumber, qString } from "../server/input";
import type { RequestContext } from "../server/service";
import { identity } from "./dimensions";
import { invalidCombination, invalidValue, limitExceeded, missingParameter } from "./errors";
import { LimitError, type MetricStore, type Observation } from "./metric-store";
import { dimensionsSchema, parseCloudWatchInput, unitSchema } from "./validation";

export const MAX_METRICS_PER_PUT = 1000;
const MAX_VALUES_PER_DATUM = 150;
/** CloudWatch refuses values beyond ±2^360. */
const VALUE_LIMIT = 2 ** 360;
const TWO_WEEKS_SECONDS = 14 * 86400;
const TWO_HOURS_SECONDS = 2 * 3600;

const datumSchema = z.object({
  MetricName: qString.min(1).max(255),
  Dimensions: dimensionsSchema.optional(),
  Timestamp: qDate.optional(),
  Value: qNumber.optional(),
  StatisticValues: z.object({ SampleCount: qNumber, Sum: qNumber, Minimum: qNumber, Maximum: qNumber }).optional(),
  Values: qList(qNumber).optional(),
  Counts: qList(qNumber).optional(),
  Unit: unitSchema.optional(),
  StorageResolution: qInt.optional(),
});
type Datum = z.output<typeof datumSchema>;

const inputSchema = z.object({
  Namespace: qString.min(1).max(255),
  MetricData: qList(datumSchema).optional(),
  EntityMetricData: qList(z.object({ MetricData: qList(datumSchema).optional() }).passthrough()).optional(),
  StrictEntityValidation: qBool.optional(),
});

export function putMetricData(store: MetricStore) {
  return async (raw: Record<string, unknown>, ctx: RequestContext): Promise<void> => {
    const input = parseCloudWatchInput(inputSchema, raw);
    if (input.Namespace.startsWith("AWS/") || input.Namespace.startsWith(":")) {
      throw invalidValue(`The value ${input.Namespace} for parameter Namespace is invalid.`);
    }
    const data = [
      ...(input.MetricData ?? []).map((d, i) => ({ d, path: `MetricData.member.${i + 1}` })),
      ...(input.EntityMetricData ?? []).flatMap((e, i) =>
        (e.MetricData ?? []).map((d, j) => ({ d, path: `EntityMetricData.member.${i + 1}.MetricData.member.${j + 1}` })),
      ),
    ];
    if (data.length === 0) throw missingParameter("MetricData");
    if (data.length > MAX_METRICS_PER_PUT) {
      throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_METRICS_PER_PUT}.`);
    }
    const now = ctx.receivedAt.getTime() / 1000;
    const observations = data.map(({ d, path }) => ({ d, obs: toObservation(d, path, now) }));
    try {
      for (const { d, obs } of observations) store.put(ctx.region, identity(input.Namespace, d.MetricName, d.Dimensions ?? []), obs);
    } catch (error) {
      if (error instanceof LimitError) throw limitExceeded(error.message);
      throw error;
    }
  };
}

/** Validates one datum the way CloudWatch does and turns it into what the store keeps. */
function toObservation(d: Datum, path: string, now: number): Observation {
  const names = new Set<string>();
  (d.Dimensions ?? []).forEach((dim, i) => {
    if (names.has(dim.Name)) throw invalidValue(`The value ${dim.Name} for parameter ${path}.Dimensions.member.${i + 1}.Name is a duplicate.`);
    names.add(dim.Name);
  });
  const given = (["Value", "StatisticValues", "Values"] as const).filter((k) => d[k] !== undefined);
  if (given.length > 1) {
    throw invalidCombination(`The parameters ${path}.${given[0]} and ${path}.${given[1]} are mutually exclusive and you have specified both.`);
  }
  if (given.length === 0) throw missingParameter(`${path}.Value`);
  const timestamp = d.Timestamp ? d.Timestamp.getTime() / 1000 : now;
  if (timestamp < now - TWO_WEEKS_SECONDS) throw invalidValue(`The parameter ${path}.Timestamp must specify a time no more than two weeks in the past.`);
  if (timestamp > now + TWO_HOURS_SECONDS) throw invalidValue(`The parameter ${path}.Timestamp must specify a time no more than two hours in the future.`);
  const storageResolution = d.StorageResolution ?? 60;
  if (storageResolution !== 1 && storageResolution !== 60) {
    throw invalidValue(`The value ${storageResolution} for parameter ${path}.StorageResolution is not valid. Valid values are 1 and 60.`);
  }
  const base = { timestamp, unit: d.Unit, storageResolution: storageResolution as 1 | 60 };
  const checkValue = (v: number, field: string) => {
    if (!Number.isFinite(v) || Math.abs(v) > VALUE_LIMIT) throw invalidValue(`The value ${v} for parameter ${field} is out of range.`);
  };

  if (d.Value !== undefined) {
    checkValue(d.Value, `${path}.Value`);
    return { ...base, count: 1, sum: d.Value, min: d.Value, max: d.Value, pairs: [d.Value, 1] };
  }
  if (d.StatisticValues) {
    const s = d.StatisticValues;
    for (const [k, v] of Object.entries(s)) checkValue(v, `${path}.StatisticValues.${k}`);
    if (s.SampleCount <= 0) throw invalidValue(`The parameter ${path}.StatisticValues.SampleCount must be greater than 0.`);
    if (s.Minimum > s.Maximum) throw invalidValue(`The parameter ${path}.StatisticValues.Maximum must be greater than or equal to ${path}.StatisticValues.Minimum.`);
    const single = s.Minimum === s.Maximum;
    return { ...base, count: s.SampleCount, sum: s.Sum, min: s.Minimum, max: s.Maximum, pairs: single ? [s.Minimum, s.SampleCount] : null };
  }
  const values = d.Values!;
  const counts = d.Counts ?? values.map(() => 1);
  if (values.length === 0) throw missingParameter(`${path}.Values`);
  if (values.length > MAX_VALUES_PER_DATUM) throw invalidValue(`The collection ${path}.Values must not have a size greater than ${MAX_VALUES_PER_DATUM}.`);
  if (counts.length !== values.length) throw invalidValue(`The parameters ${path}.Values and ${path}.Counts must be of the same size.`);
  const pairs: number[] = [];
  let count = 0;
  let sum = 0;
  values.forEach((v, i) => {
    checkValue(v, `${path}.Values.member.${i + 1}`);
    if (!(counts[i] >= 0) || !Number.isFinite(counts[i])) throw invalidValue(`The value ${counts[i]} for parameter ${path}.Counts.member.${i + 1} must not be negative.`);
    if (counts[i] === 0) return;
    pairs.push(v, counts[i]);
    count += counts[i];
    sum += v * counts[i];
  });
  if (count === 0) throw invalidValue(`The parameter ${path}.Counts must count at least one value.`);
  const kept = pairs.filter((_, i) => i % 2 === 0);
  return { ...base, count, sum, min: Math.min(...kept), max: Math.max(...kept), pairs };
}

import { z } from "zod";
import { isMissing, qList, qString } from "../server/input";
import { invalidValue, memberPath, missingParameter } from "./errors";

/** Parses an operation's input, naming the first problem the way CloudWatch does (`MetricData.member.1.Value`). */
export function parseCloudWatchInput<T extends z.ZodTypeAny>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = memberPath(issue.path);
  if (isMissing(issue)) throw missingParameter(field);
  throw invalidValue(`The value for parameter ${field} is not valid: ${issue.message}`);
}

export const STANDARD_UNITS = [
  "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
  "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
  "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
  "Terabits/Second", "Count/Second", "None",
] as const;

export const unitSchema = z.enum(STANDARD_UNITS);
export type StandardUnit = (typeof STANDARD_UNITS)[number];
export const dimensionSchema = z.object({ Name: qString.min(1).max(255), Value: qString.min(1).max(1024) });
export const dimensionsSchema = qList(dimensionSchema).pipe(z.array(dimensionSchema).max(30));
export const metricSchema = z.object({
  Namespace: qString.min(1).max(255).optional(),
  MetricName: qString.min(1).max(255).optional(),
  Dimensions: dimensionsSchema.optional(),
});


// How a metric alarm's state follows from its last EvaluationPeriods datapoints, on CloudWatch's documented rules
// ("Evaluating an alarm" and "Configuring how CloudWatch alarms treat missing data"). Pure: datapoints in, state out.

export type StateValue = "OK" | "ALARM" | "INSUFFICIENT_DATA";
export type TreatMissingData = "missing" | "ignore" | "breaching" | "notBreaching";
export const COMPARISON_OPERATORS = [
  "GreaterThanOrEqualToThreshold",
  "GreaterThanThreshold",
  "LessThanThreshold",
  "LessThanOrEqualToThreshold",
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export interface EvaluationRule {
  threshold: number;
  comparison: ComparisonOperator;
  evaluationPeriods: number;
  /** M of "M out of N"; EvaluationPeriods when the alarm does not say. */
  datapointsToAlarm: number;
  treatMissingData: TreatMissingData;
}

/** One period of the evaluation range: its start (epoch seconds) and the statistic's value, undefined when missing. */
export interface PeriodValue {
  timestamp: number;
  value: number | undefined;
  sampleCount?: number;
}

export interface Evaluation {
  state: StateValue;
  /** What StateReason says, AWS's wording. */
  reason: string;
  /** The periods that counted, newest first, for StateReasonData. */
  evaluated: PeriodValue[];
}

export function breaches(value: number, rule: Pick<EvaluationRule, "threshold" | "comparison">): boolean {
  switch (rule.comparison) {
    case "GreaterThanOrEqualToThreshold":
      return value >= rule.threshold;
    case "GreaterThanThreshold":
      return value > rule.threshold;
    case "LessThanThreshold":
      return value < rule.threshold;
    case "LessThanOrEqualToThreshold":
      return value <= rule.threshold;
  }
}

const PHRASES: Record<ComparisonOperator, string> = {
  GreaterThanOrEqualToThreshold: "greater than or equal to",
  GreaterThanThreshold: "greater than",
  LessThanThreshold: "less than",
  LessThanOrEqualToThreshold: "less than or equal to",
};

/**
 * The state the alarm should be in, given `periods` (the last EvaluationPeriods periods, any order) and its current
 * state. As CloudWatch documents:
 * - when at least DatapointsToAlarm periods have data, only they count (TreatMissingData plays no part): ALARM if at
 *   least M of them breach, else OK;
 * - when every period is missing: missing → INSUFFICIENT_DATA, ignore → the current state, breaching → ALARM,
 *   notBreaching → OK;
 * - otherwise the missing periods are filled as TreatMissingData says (breaching, notBreaching) and counted with the
 *   real ones; with missing or ignore they are unknown, and when they could still decide the outcome the alarm keeps
 *   its state (this emulator's reading of the cases AWS's table leaves to its "missing" column).
 */
export function evaluateAlarm(rule: EvaluationRule, periods: readonly PeriodValue[], current: StateValue): Evaluation {
  const newestFirst = [...periods].sort((a, b) => b.timestamp - a.timestamp).slice(0, rule.evaluationPeriods);
  const present = newestFirst.filter((p) => p.value !== undefined);
  const m = rule.datapointsToAlarm;
  const n = rule.evaluationPeriods;
  const phrase = PHRASES[rule.comparison];
  const thresholdText = formatNumber(rule.threshold);

  if (present.length === 0) {
    const outcome = { missing: "INSUFFICIENT_DATA", ignore: current, breaching: "ALARM", notBreaching: "OK" }[rule.treatMissingData] as StateValue;
    const unknown = `${n} datapoint${n === 1 ? " was" : "s were"} unknown`;
    const periodsText = `${n} period${n === 1 ? "" : "s"}`;
    const treatedAs = rule.treatMissingData === "breaching" ? "Breaching" : "NonBreaching";
    const reason =
      rule.treatMissingData === "missing"
        ? `Insufficient Data: ${unknown}.`
        : rule.treatMissingData === "ignore"
          ? `Unchanged: no datapoints were received for ${periodsText} and missing data is ignored.`
          : `Threshold Crossed: no datapoints were received for ${periodsText} and ${n} missing datapoint${n === 1 ? " was" : "s were"} treated as [${treatedAs}].`;
    return { state: outcome, reason, evaluated: [] };
  }

  const breaching = present.filter((p) => breaches(p.value!, rule));
  if (present.length >= m) {
    const state: StateValue = breaching.length >= m ? "ALARM" : "OK";
    return { state, reason: thresholdReason(state, present, breaching.length, m, phrase, thresholdText), evaluated: present };
  }

  const missing = newestFirst.length - present.length + (n - newestFirst.length);
  const filledBreaching = breaching.length + (rule.treatMissingData === "breaching" ? missing : 0);
  const unknown = rule.treatMissingData === "missing" || rule.treatMissingData === "ignore" ? missing : 0;
  let state: StateValue;
  if (filledBreaching >= m) state = "ALARM";
  else if (filledBreaching + unknown < m) state = "OK";
  else state = current;
  const treated =
    rule.treatMissingData === "breaching" || rule.treatMissingData === "notBreaching"
      ? ` and ${missing} missing datapoint${missing === 1 ? " was" : "s were"} treated as [${rule.treatMissingData === "breaching" ? "Breaching" : "NonBreaching"}]`
      : "";
  const base = thresholdReason(state === "ALARM" ? "ALARM" : "OK", present, filledBreaching, m, phrase, thresholdText);
  const reason = state === current && state !== "ALARM" && filledBreaching + unknown >= m
    ? `Unchanged: ${present.length} of the last ${n} datapoints ${present.length === 1 ? "was" : "were"} received and ${missing} ${missing === 1 ? "was" : "were"} missing, too few to decide.`
    : base.replace(/\.$/, `${treated}.`);
  return { state, reason, evaluated: present };
}

function thresholdReason(state: "OK" | "ALARM", present: readonly PeriodValue[], breaching: number, m: number, phrase: string, threshold: string): string {
  const listed = present.map((p) => `${formatNumber(p.value!)} (${reasonDate(p.timestamp)})`).join(", ");
  const count = present.length;
  if (state === "ALARM") {
    return count === 1
      ? `Threshold Crossed: 1 datapoint [${listed}] was ${phrase} the threshold (${threshold}).`
      : `Threshold Crossed: ${breaching} out of the last ${count} datapoints [${listed}] were ${phrase} the threshold (${threshold}) (minimum ${m} datapoint${m === 1 ? "" : "s"} for OK -> ALARM transition).`;
  }
  return count === 1
    ? `Threshold Crossed: 1 datapoint [${listed}] was not ${phrase} the threshold (${threshold}).`
    : `Threshold Crossed: ${count - breaching} out of the last ${count} datapoints [${listed}] were not ${phrase} the threshold (${threshold}) (minimum ${m} datapoint${m === 1 ? "" : "s"} for ALARM -> OK transition).`;
}

/** 80 → "80.0", 0.25 → "0.25": how CloudWatch prints values in StateReason. */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/** dd/MM/yy HH:mm:ss, UTC, as in CloudWatch's StateReason. */
function reasonDate(epochSeconds: number): string {
  const d = new Date(epochSeconds * 1000);
  const two = (v: number) => String(v).padStart(2, "0");
  return `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

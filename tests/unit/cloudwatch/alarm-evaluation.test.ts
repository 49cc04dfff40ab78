import { describe, expect, it } from "vitest";
import { evaluateAlarm, type EvaluationRule, type StateValue, type TreatMissingData } from "@/emulator/cloudwatch/alarms/evaluate";

// The evaluator is a pure function: the last N periods' values in, the alarm's state out. "X" breaches, "0" does not,
// "-" is missing; the newest period is last, as AWS's documentation draws them.

function periods(pattern: string) {
  return [...pattern].map((c, i) => ({ timestamp: 1_800_000_000 + i * 60, value: c === "-" ? undefined : c === "X" ? 90 : 10 }));
}
function rule(n: number, m: number, treatMissingData: TreatMissingData): EvaluationRule {
  return { threshold: 80, comparison: "GreaterThanThreshold", evaluationPeriods: n, datapointsToAlarm: m, treatMissingData };
}
const state = (pattern: string, r: EvaluationRule, current: StateValue = "OK") => evaluateAlarm(r, periods(pattern), current).state;

describe("alarm evaluation", () => {
  it("goes to ALARM when M of the last N periods breach, to OK otherwise", () => {
    expect(state("0XX", rule(3, 2, "missing"))).toBe("ALARM");
    expect(state("X0X", rule(3, 2, "missing"))).toBe("ALARM");
    expect(state("00X", rule(3, 2, "missing"), "ALARM")).toBe("OK");
    expect(state("XXX", rule(3, 3, "missing"))).toBe("ALARM");
    expect(state("XX0", rule(3, 3, "missing"), "ALARM")).toBe("OK");
  });

  it("compares with each of the four static operators", () => {
    const at = (comparison: EvaluationRule["comparison"], value: number) =>
      evaluateAlarm({ threshold: 80, comparison, evaluationPeriods: 1, datapointsToAlarm: 1, treatMissingData: "missing" }, [{ timestamp: 0, value }], "OK").state;
    expect([at("GreaterThanOrEqualToThreshold", 80), at("GreaterThanThreshold", 80), at("LessThanThreshold", 80), at("LessThanOrEqualToThreshold", 80)]).toEqual(["ALARM", "OK", "OK", "ALARM"]);
    expect([at("GreaterThanThreshold", 81), at("LessThanThreshold", 79)]).toEqual(["ALARM", "ALARM"]);
  });

  it("with every period missing, does what TreatMissingData says", () => {
    expect(state("---", rule(3, 3, "missing"), "OK")).toBe("INSUFFICIENT_DATA");
    expect(state("---", rule(3, 3, "ignore"), "ALARM")).toBe("ALARM");
    expect(state("---", rule(3, 3, "ignore"), "OK")).toBe("OK");
    expect(state("---", rule(3, 3, "breaching"), "OK")).toBe("ALARM");
    expect(state("---", rule(3, 3, "notBreaching"), "ALARM")).toBe("OK");
  });

  it("judges on the real datapoints alone when at least M are present, whatever TreatMissingData says", () => {
    for (const treat of ["missing", "ignore", "breaching", "notBreaching"] as const) {
      expect(state("-XX", rule(3, 2, treat)), treat).toBe("ALARM");
      expect(state("-00", rule(3, 2, treat), "ALARM"), treat).toBe("OK");
    }
  });

  it("fills missing periods as TreatMissingData says when fewer than M are present", () => {
    expect(state("--X", rule(3, 3, "breaching"))).toBe("ALARM");
    expect(state("--X", rule(3, 3, "notBreaching"), "ALARM")).toBe("OK");
    expect(state("--0", rule(3, 3, "breaching"))).toBe("OK");
    // Missing or ignored periods are unknown: a non-breaching point makes ALARM impossible, a breaching one cannot prove it.
    expect(state("--0", rule(3, 3, "missing"), "ALARM")).toBe("OK");
    expect(state("--X", rule(3, 3, "missing"), "OK")).toBe("OK");
    expect(state("--X", rule(3, 3, "ignore"), "ALARM")).toBe("ALARM");
    expect(state("--X", rule(3, 3, "missing"), "INSUFFICIENT_DATA")).toBe("INSUFFICIENT_DATA");
  });

  it("explains the state in AWS's words, newest datapoint first", () => {
    const alarm = evaluateAlarm(rule(2, 2, "missing"), periods("XX"), "OK");
    expect(alarm.reason).toBe(
      "Threshold Crossed: 2 out of the last 2 datapoints [90.0 (15/01/27 08:01:00), 90.0 (15/01/27 08:00:00)] were greater than the threshold (80.0) (minimum 2 datapoints for OK -> ALARM transition).",
    );
    expect(evaluateAlarm(rule(1, 1, "missing"), periods("0"), "ALARM").reason).toBe("Threshold Crossed: 1 datapoint [10.0 (15/01/27 08:00:00)] was not greater than the threshold (80.0).");
    expect(evaluateAlarm(rule(3, 3, "missing"), periods("---"), "OK").reason).toBe("Insufficient Data: 3 datapoints were unknown.");
    expect(evaluateAlarm(rule(3, 3, "breaching"), periods("---"), "OK").reason).toMatch(/3 missing datapoints were treated as \[Breaching\]/);
  });
});

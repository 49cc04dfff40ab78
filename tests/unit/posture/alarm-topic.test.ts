import { describe, expect, it } from "vitest";
import { parseAccountsFile } from "@/lib/accounts-file";
import { alarmsConfig, EnvError } from "@/lib/env";

// The SNS topic recommended alarms notify: validated at start-up, in the environment and in the accounts file.

const staging = { name: "staging", roleArn: "arn:aws:iam::111111111111:role/CacheDeckAdmin", regions: ["us-east-1"] };

describe("the alarm topic", () => {
  it("is optional, and must be an SNS topic ARN when set", () => {
    expect(alarmsConfig({})).toEqual({ snsTopicArn: null });
    expect(alarmsConfig({ CACHEDECK_ALARM_SNS_TOPIC_ARN: " " })).toEqual({ snsTopicArn: null });
    expect(alarmsConfig({ CACHEDECK_ALARM_SNS_TOPIC_ARN: "arn:aws:sns:eu-west-1:123456789012:cache-alarms" })).toEqual({ snsTopicArn: "arn:aws:sns:eu-west-1:123456789012:cache-alarms" });
    for (const bad of ["cache-alarms", "arn:aws:sqs:eu-west-1:123456789012:cache-alarms", "arn:aws:sns:eu-west-1:1234:cache-alarms", "arn:aws:sns:eu-west-1:123456789012:a b"]) {
      expect(() => alarmsConfig({ CACHEDECK_ALARM_SNS_TOPIC_ARN: bad }), bad).toThrow(EnvError);
    }
    expect(() => alarmsConfig({ CACHEDECK_ALARM_SNS_TOPIC_ARN: "nope" })).toThrow(/CACHEDECK_ALARM_SNS_TOPIC_ARN must be an SNS topic ARN/);
  });

  it("may be set per account in the accounts file, and a wrong one is reported with its place", () => {
    const ok = parseAccountsFile(JSON.stringify({ accounts: [{ ...staging, alarmTopicArn: "arn:aws:sns:us-east-1:111111111111:pager" }] }), "accounts.json");
    expect(ok.value?.accounts[0].alarmTopicArn).toBe("arn:aws:sns:us-east-1:111111111111:pager");
    const bad = parseAccountsFile(JSON.stringify({ accounts: [{ ...staging, alarmTopicArn: "arn:aws:iam::111111111111:role/x" }] }), "accounts.json");
    expect(bad.problems).toEqual([expect.stringContaining('accounts[0] ("staging").alarmTopicArn: must be an SNS topic ARN')]);
  });
});

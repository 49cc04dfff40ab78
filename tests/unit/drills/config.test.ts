import { describe, expect, it } from "vitest";
import { DEMO_FIS_ROLE_ARN, drillConfig, EnvError } from "@/lib/env";

describe("drill configuration", () => {
  it("defaults to AWS's published figures", () => {
    expect(drillConfig({})).toEqual({
      objectives: { newPrimarySeconds: 180, healthySeconds: 900, writeOutageSeconds: 30 },
      maxReplicationLagSeconds: 5,
      failoverQuotaPerDay: 15,
      pollIntervalMs: 2_000,
      shardTimeoutMs: 1_800_000,
      recoveryEventWaitMs: 120_000,
      fisRoleArn: DEMO_FIS_ROLE_ARN,
      fisTemplateIds: new Map(),
      cacheAccess: { caFile: null, authTokensFile: null },
    });
  });

  it("reads every setting, fractions of a second included", () => {
    const config = drillConfig({
      CACHEDECK_DRILL_OBJECTIVE_NEW_PRIMARY_SECONDS: "20",
      CACHEDECK_DRILL_OBJECTIVE_HEALTHY_SECONDS: "60",
      CACHEDECK_DRILL_OBJECTIVE_WRITE_OUTAGE_SECONDS: "2.5",
      CACHEDECK_DRILL_MAX_REPLICATION_LAG_SECONDS: "1",
      CACHEDECK_FAILOVER_QUOTA_PER_DAY: "5",
      CACHEDECK_DRILL_POLL_SECONDS: "0.25",
      CACHEDECK_DRILL_SHARD_TIMEOUT_SECONDS: "120",
      CACHEDECK_DRILL_RECOVERY_EVENT_WAIT_SECONDS: "10",
      CACHEDECK_FIS_ROLE_ARN: " arn:aws:iam::123456789012:role/drills ",
    });
    expect(config).toMatchObject({ pollIntervalMs: 250, failoverQuotaPerDay: 5, fisRoleArn: "arn:aws:iam::123456789012:role/drills", objectives: { writeOutageSeconds: 2.5 } });
    expect(drillConfig({ CACHEDECK_FIS_ROLE_ARN: "" }).fisRoleArn).toBe(DEMO_FIS_ROLE_ARN);
    expect(drillConfig({ CACHEDECK_CACHE_CA_FILE: " /etc/cachedeck/ca.pem ", CACHEDECK_CACHE_AUTH_TOKENS_FILE: "" }).cacheAccess).toEqual({ caFile: "/etc/cachedeck/ca.pem", authTokensFile: null });
    expect(drillConfig({ CACHEDECK_FIS_TEMPLATE_IDS: " us-east-1=EXTa1b2c3d4e5f6g7h , eu-west-1=EXTz9" }).fisTemplateIds).toEqual(
      new Map([
        ["us-east-1", "EXTa1b2c3d4e5f6g7h"],
        ["eu-west-1", "EXTz9"],
      ]),
    );
  });

  it("names the variable and the fix when a value is wrong", () => {
    expect(() => drillConfig({ CACHEDECK_FAILOVER_QUOTA_PER_DAY: "lots" })).toThrow(EnvError);
    expect(() => drillConfig({ CACHEDECK_FAILOVER_QUOTA_PER_DAY: "lots" })).toThrow("CACHEDECK_FAILOVER_QUOTA_PER_DAY must be a whole number");
    expect(() => drillConfig({ CACHEDECK_DRILL_POLL_SECONDS: "0.01" })).toThrow("CACHEDECK_DRILL_POLL_SECONDS must be at least 0.1 seconds");
    expect(() => drillConfig({ CACHEDECK_FIS_ROLE_ARN: "cachedeck-fis" })).toThrow("CACHEDECK_FIS_ROLE_ARN must be an IAM role ARN");
    expect(() => drillConfig({ CACHEDECK_FIS_ROLE_ARN: "arn:aws:iam::123456789012:user/someone" })).toThrow("CACHEDECK_FIS_ROLE_ARN must be an IAM role ARN");
    for (const templates of ["EXTa1b2c3", "us-east-1:EXTa1b2c3", "us-east-1=a1b2c3", "Virginia=EXTa1b2c3", "us-east-1=EXT-1"]) {
      expect(() => drillConfig({ CACHEDECK_FIS_TEMPLATE_IDS: templates }), templates).toThrow("CACHEDECK_FIS_TEMPLATE_IDS must list region=template pairs");
    }
    expect(() => drillConfig({ CACHEDECK_FIS_TEMPLATE_IDS: "us-east-1=EXTa,us-east-1=EXTb" })).toThrow("CACHEDECK_FIS_TEMPLATE_IDS names a region twice");
  });
});

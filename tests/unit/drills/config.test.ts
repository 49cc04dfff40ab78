import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
    // One account (no accounts file): the bare region=template shape of before several accounts still reads.
    const chain = { CACHEDECK_REGIONS: "us-east-1,eu-west-1" };
    expect(drillConfig({ ...chain, CACHEDECK_FIS_TEMPLATE_IDS: " us-east-1=EXTa1b2c3d4e5f6g7h , default~eu-west-1=EXTz9" }).fisTemplateIds).toEqual(
      new Map([
        ["default/us-east-1", "EXTa1b2c3d4e5f6g7h"],
        ["default/eu-west-1", "EXTz9"],
      ]),
    );
  });

  describe("templates across several accounts", () => {
    let dir: string;
    let several: Record<string, string>;
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), "cachedeck-fis-templates-"));
      const file = path.join(dir, "accounts.json");
      const account = (name: string, id: string, regions: string[]) => ({ name, roleArn: `arn:aws:iam::${id}:role/CacheDeckOperator`, regions });
      writeFileSync(file, JSON.stringify({ accounts: [account("production", "222233334444", ["us-east-1", "eu-west-1"]), account("staging", "333344445555", ["us-east-1"])] }));
      several = { CACHEDECK_ACCOUNTS_FILE: file };
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("keys each template by its account and region", () => {
      expect(drillConfig({ ...several, CACHEDECK_FIS_TEMPLATE_IDS: "production~us-east-1=EXTprod1,staging~us-east-1=EXTstag1" }).fisTemplateIds).toEqual(
        new Map([
          ["production/us-east-1", "EXTprod1"],
          ["staging/us-east-1", "EXTstag1"],
        ]),
      );
    });

    it("refuses a bare region, a place CacheDeck does not show and a place named twice, saying what to write", () => {
      expect(() => drillConfig({ ...several, CACHEDECK_FIS_TEMPLATE_IDS: "us-east-1=EXTa1" })).toThrow(
        'CACHEDECK_FIS_TEMPLATE_IDS: "us-east-1=EXTa1" names no account, and CacheDeck shows several (production, staging); an experiment template belongs to one account: write account~region=template, such as production~us-east-1=EXTa1',
      );
      expect(() => drillConfig({ ...several, CACHEDECK_FIS_TEMPLATE_IDS: "staging~eu-west-1=EXTa1" })).toThrow(
        "CACHEDECK_FIS_TEMPLATE_IDS: \"staging~eu-west-1=EXTa1\" names eu-west-1 (staging), which CacheDeck does not show (staging's regions: us-east-1)",
      );
      expect(() => drillConfig({ ...several, CACHEDECK_FIS_TEMPLATE_IDS: "payments~us-east-1=EXTa1" })).toThrow("which CacheDeck does not show (accounts: production, staging)");
      expect(() => drillConfig({ ...several, CACHEDECK_FIS_TEMPLATE_IDS: "staging~us-east-1=EXTa,staging~us-east-1=EXTb" })).toThrow(
        "CACHEDECK_FIS_TEMPLATE_IDS names us-east-1 (staging) twice: one template per account and region",
      );
    });
  });

  it("names the variable and the fix when a value is wrong", () => {
    expect(() => drillConfig({ CACHEDECK_FAILOVER_QUOTA_PER_DAY: "lots" })).toThrow(EnvError);
    expect(() => drillConfig({ CACHEDECK_FAILOVER_QUOTA_PER_DAY: "lots" })).toThrow("CACHEDECK_FAILOVER_QUOTA_PER_DAY must be a whole number");
    expect(() => drillConfig({ CACHEDECK_DRILL_POLL_SECONDS: "0.01" })).toThrow("CACHEDECK_DRILL_POLL_SECONDS must be at least 0.1 seconds");
    expect(() => drillConfig({ CACHEDECK_FIS_ROLE_ARN: "cachedeck-fis" })).toThrow("CACHEDECK_FIS_ROLE_ARN must be an IAM role ARN");
    expect(() => drillConfig({ CACHEDECK_FIS_ROLE_ARN: "arn:aws:iam::123456789012:user/someone" })).toThrow("CACHEDECK_FIS_ROLE_ARN must be an IAM role ARN");
    for (const templates of ["EXTa1b2c3", "us-east-1:EXTa1b2c3", "us-east-1=a1b2c3", "Virginia=EXTa1b2c3", "us-east-1=EXT-1", "Staging~us-east-1=EXTa1", "staging/us-east-1=EXTa1"]) {
      expect(() => drillConfig({ CACHEDECK_FIS_TEMPLATE_IDS: templates }), templates).toThrow("CACHEDECK_FIS_TEMPLATE_IDS must list account~region=template pairs");
    }
    expect(() => drillConfig({ CACHEDECK_REGIONS: "us-east-1", CACHEDECK_FIS_TEMPLATE_IDS: "us-east-1=EXTa,default~us-east-1=EXTb" })).toThrow(
      "CACHEDECK_FIS_TEMPLATE_IDS names us-east-1 twice: one template per account and region",
    );
  });
});

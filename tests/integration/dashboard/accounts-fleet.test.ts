import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AwsAssumeRoleError, countAwsCalls, describeReplicationGroups } from "@/lib/aws";
import { fleetPlaces } from "@/lib/accounts";
import { loadFleet } from "@/lib/data/fleet";
import { resolveTimeWindow } from "@/lib/data/time-range";
import { stopAllWatchers } from "@/lib/watcher";
import { REPO_ROOT, startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from "../../helpers/emulator";

// One fleet across accounts, the way the app reaches them: an accounts file, STS AssumeRole through the SDK's own
// credential provider against the emulator (which maps each session's access key to the role's account), and the
// fleet read model over every account × region. The emulator's caches are simulated, so it starts in a moment.

const FLEET = path.join(REPO_ROOT, "tests/integration/emulator/fixtures/two-accounts.json");
let emulator: TestEmulator;

const accounts = {
  accounts: [
    { name: "production", roleArn: "arn:aws:iam::000000000000:role/CacheDeckReadOnly", regions: ["us-east-1"] },
    { name: "staging", roleArn: "arn:aws:iam::111111111111:role/CacheDeckReadOnly", externalId: "cachedeck-test", sessionName: "cachedeck-staging", regions: ["us-east-1"] },
    // The same role with another ExternalId than its trust policy requires: AWS (and the emulator) answer AccessDenied.
    { name: "misconfigured", roleArn: "arn:aws:iam::111111111111:role/CacheDeckReadOnly", externalId: "not-the-one", regions: ["us-east-1"] },
  ],
};

beforeAll(async () => {
  emulator = await startTestEmulator({ fleetFile: FLEET, workload: false, metricsIntervalMs: 60_000 });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), "cachedeck-accounts-")), "accounts.json");
  writeFileSync(file, JSON.stringify(accounts));
  Object.assign(process.env, {
    CACHEDECK_ACCOUNTS_FILE: file,
    AWS_ENDPOINT_URL: emulator.url,
    AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
    AWS_EC2_METADATA_DISABLED: "true",
  });
});

afterAll(async () => {
  stopAllWatchers();
  await emulator?.dispose();
});

const production = { account: "production", region: "us-east-1" };
const staging = { account: "staging", region: "us-east-1" };

describe("accounts through STS AssumeRole", () => {
  it("reads each account's caches with that account's assumed role, and asks STS once per client, not per call", async () => {
    const first = await countAwsCalls(() => describeReplicationGroups(staging));
    expect(first.result.map((g) => [g.id, g.arn])).toEqual([["staging-orders", "arn:aws:elasticache:us-east-1:111111111111:replicationgroup:staging-orders"]]);
    expect(first.calls.map((c) => `${c.service}:${c.operation}`)).toEqual(["elasticache:DescribeReplicationGroups", "sts:AssumeRole"]);
    const again = await countAwsCalls(() => describeReplicationGroups(staging));
    expect(again.calls.map((c) => `${c.service}:${c.operation}`)).toEqual(["elasticache:DescribeReplicationGroups"]);
    expect((await describeReplicationGroups(production)).map((g) => g.id)).toEqual(["prod-orders"]);
  });

  it("reports a role that cannot be assumed for that account alone, with what to fix for admins", async () => {
    const error = (await describeReplicationGroups({ account: "misconfigured", region: "us-east-1" }).catch((e: unknown) => e)) as AwsAssumeRoleError;
    expect(error).toBeInstanceOf(AwsAssumeRoleError);
    expect(error.message).toMatch(/could not assume its role in account misconfigured/);
    expect(error.adminDetail).toMatch(/refused sts:AssumeRole of arn:aws:iam::111111111111:role\/CacheDeckReadOnly/);
    expect(error.adminDetail).toMatch(/externalId in the accounts file equals the sts:ExternalId/);
    expect(error.adminDetail).toMatch(/AccessDenied/);
    expect(error.toProblem("replication groups")).toMatchObject({ kind: "assume-role", account: "misconfigured", region: "us-east-1" });
  });

  it("shows one fleet across the accounts, each row naming its account, while the failing account is reported alone", async () => {
    expect(fleetPlaces()).toEqual([production, staging, { account: "misconfigured", region: "us-east-1" }]);
    const fleet = await loadFleet(resolveTimeWindow({ range: "1h" }, Date.now()).window, Date.now(), fleetPlaces(), 30_000);
    expect(fleet.clusters.map((c) => [c.account, c.id, c.href]).sort()).toEqual([
      ["production", "prod-orders", "/clusters/production~us-east-1/prod-orders"],
      ["staging", "staging-memcached", "/clusters/staging~us-east-1/staging-memcached"],
      ["staging", "staging-orders", "/clusters/staging~us-east-1/staging-orders"],
    ]);
    const reports = Object.fromEntries(fleet.regions.map((r) => [r.account, r.problems.map((p) => p.kind)]));
    expect(reports.production).toEqual([]);
    expect(reports.staging).toEqual([]);
    expect(reports.misconfigured.length).toBeGreaterThan(0);
    expect(new Set(reports.misconfigured)).toEqual(new Set(["assume-role"]));
  });
});

import path from "node:path";
import { CloudWatchClient, DescribeAlarmsCommand, ListMetricsCommand, PutMetricAlarmCommand, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import {
  DescribeEventsCommand,
  DescribeReplicationGroupsCommand,
  ElastiCacheClient,
  ListTagsForResourceCommand,
  ReplicationGroupNotFoundFault,
} from "@aws-sdk/client-elasticache";
import { CreateExperimentTemplateCommand, FisClient, GetExperimentTemplateCommand, ResourceNotFoundException } from "@aws-sdk/client-fis";
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient, type Credentials } from "@aws-sdk/client-sts";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitFor } from "@/emulator/nodes/wait-for";
import { awsCli, boto3Script, HAS_AWS_CLI, HAS_BOTO3, runProcess } from "@/tests/helpers/aws-cli";
import { REPO_ROOT, startTestEmulator, TEST_CREDENTIALS, type TestEmulator } from "@/tests/helpers/emulator";

// Several accounts on one emulator: STS AssumeRole hands out session credentials whose access key maps to the role's
// account, and every service (ElastiCache, CloudWatch, Tagging, FIS) answers from that account's state alone.
// The fleet's caches are simulated, so the emulator starts in a moment.

const FLEET = path.join(REPO_ROOT, "tests/integration/emulator/fixtures/two-accounts.json");
const STAGING = "111111111111";
const STAGING_READ_ONLY = `arn:aws:iam::${STAGING}:role/CacheDeckReadOnly`;
const REGION = "us-east-1";

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator({ fleetFile: FLEET, workload: false, metricsIntervalMs: 60_000 });
});
afterAll(() => emulator?.dispose());

const client = <T>(Client: new (config: object) => T, credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = TEST_CREDENTIALS): T =>
  new Client({ endpoint: emulator.url, region: REGION, credentials, maxAttempts: 1 });

const asIdentity = (c: Credentials): AwsCredentialIdentity => ({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });

async function assume(input: { RoleArn?: string; ExternalId?: string; DurationSeconds?: number } = {}, caller?: AwsCredentialIdentity) {
  const out = await client(STSClient, caller).send(
    new AssumeRoleCommand({ RoleArn: STAGING_READ_ONLY, RoleSessionName: "cachedeck", ExternalId: "cachedeck-test", ...input }),
  );
  return out;
}

const groupIds = async (credentials?: AwsCredentialIdentity) =>
  ((await client(ElastiCacheClient, credentials).send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups ?? []).map((g) => [g.ReplicationGroupId, g.ARN]);

/** The error an SDK call fails with, as name / HTTP status / message. */
async function failure(call: Promise<unknown>) {
  const error = (await call.then(() => undefined, (e: unknown) => e)) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
  if (!error) throw new Error("the call succeeded");
  return { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
}

describe("STS through the SDK", () => {
  it("answers GetCallerIdentity for long-term keys (the default account's root) and for assumed-role sessions", async () => {
    expect(await client(STSClient).send(new GetCallerIdentityCommand({}))).toMatchObject({
      Account: "000000000000",
      Arn: "arn:aws:iam::000000000000:root",
      UserId: "000000000000",
    });
    const { Credentials: creds, AssumedRoleUser } = await assume();
    expect(creds!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(AssumedRoleUser).toEqual({ Arn: `arn:aws:sts::${STAGING}:assumed-role/CacheDeckReadOnly/cachedeck`, AssumedRoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}:cachedeck$/) });
    const identity = await client(STSClient, asIdentity(creds!)).send(new GetCallerIdentityCommand({}));
    expect(identity).toMatchObject({ Account: STAGING, Arn: AssumedRoleUser!.Arn, UserId: AssumedRoleUser!.AssumedRoleId });
  });

  it("sets Expiration from DurationSeconds within the role's MaxSessionDuration", async () => {
    const now = Date.now();
    const hour = (await assume()).Credentials!.Expiration!.getTime() - now;
    expect(hour).toBeGreaterThan(3590_000);
    expect(hour).toBeLessThanOrEqual(3600_000);
    const twelve = await assume({ RoleArn: `arn:aws:iam::${STAGING}:role/LongSessions`, ExternalId: undefined, DurationSeconds: 43_200 });
    expect(twelve.Credentials!.Expiration!.getTime() - now).toBeGreaterThan(43_190_000);
    expect(await failure(assume({ DurationSeconds: 7200 }))).toEqual({
      name: "ValidationError",
      status: 400,
      message: "The requested DurationSeconds exceeds the MaxSessionDuration set for this role.",
    });
    expect((await failure(assume({ DurationSeconds: 899 }))).message).toBe(
      "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    );
    // Role chaining: a session assuming another role gets at most one hour.
    const chained = await failure(assume({ RoleArn: `arn:aws:iam::${STAGING}:role/LongSessions`, ExternalId: undefined, DurationSeconds: 7200 }, asIdentity(twelve.Credentials!)));
    expect(chained.message).toBe("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
  });

  it("refuses an unknown account or role and a wrong or missing ExternalId with AWS's AccessDenied", async () => {
    const denied = (resource: string) => ({
      name: "AccessDenied",
      status: 403,
      message: `User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: ${resource}`,
    });
    expect(await failure(assume({ ExternalId: "wrong" }))).toEqual(denied(STAGING_READ_ONLY));
    expect(await failure(assume({ ExternalId: undefined }))).toEqual(denied(STAGING_READ_ONLY));
    expect(await failure(assume({ RoleArn: `arn:aws:iam::${STAGING}:role/CacheDeckAdmin` }))).toEqual(denied(`arn:aws:iam::${STAGING}:role/CacheDeckAdmin`));
    expect(await failure(assume({ RoleArn: "arn:aws:iam::222222222222:role/CacheDeckReadOnly" }))).toEqual(denied("arn:aws:iam::222222222222:role/CacheDeckReadOnly"));
  });

  it("answers malformed input with STS's ValidationError", async () => {
    const sts = client(STSClient);
    expect(await failure(sts.send(new AssumeRoleCommand({ RoleArn: STAGING_READ_ONLY, RoleSessionName: "has space", ExternalId: "cachedeck-test" })))).toEqual({
      name: "ValidationError",
      status: 400,
      message: "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    });
    expect((await failure(sts.send(new AssumeRoleCommand({ RoleArn: STAGING_READ_ONLY } as never)))).message).toBe(
      "1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null",
    );
    expect((await failure(sts.send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::staging:role/x", RoleSessionName: "s" + "x".repeat(1) }))))).toMatchObject({
      name: "ValidationError",
      message: "arn:aws:iam::staging:role/x is not a valid IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)",
    });
    expect((await failure(sts.send(new AssumeRoleCommand({ RoleArn: STAGING_READ_ONLY, RoleSessionName: "s1", ExternalId: "cachedeck-test", Policy: "{}" }))))).toMatchObject({
      name: "ValidationError",
      message: expect.stringContaining("Policy is not supported"),
    });
  });
});

describe("the SDK's own credential provider", () => {
  it("fromTemporaryCredentials assumes the role and its clients act in the role's account; a wrong ExternalId is AccessDenied", async () => {
    const provider = fromTemporaryCredentials({
      masterCredentials: TEST_CREDENTIALS,
      params: { RoleArn: STAGING_READ_ONLY, RoleSessionName: "provider", ExternalId: "cachedeck-test", DurationSeconds: 900 },
      clientConfig: { endpoint: emulator.url, region: REGION, maxAttempts: 1 },
    });
    const elasticache = client(ElastiCacheClient, provider);
    expect(((await elasticache.send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups ?? []).map((g) => g.ReplicationGroupId)).toEqual(["staging-orders"]);
    const identity = await client(STSClient, provider).send(new GetCallerIdentityCommand({}));
    expect(identity.Arn).toBe(`arn:aws:sts::${STAGING}:assumed-role/CacheDeckReadOnly/provider`);

    const denied = fromTemporaryCredentials({
      masterCredentials: TEST_CREDENTIALS,
      params: { RoleArn: STAGING_READ_ONLY, RoleSessionName: "provider", ExternalId: "wrong" },
      clientConfig: { endpoint: emulator.url, region: REGION, maxAttempts: 1 },
    });
    expect(await failure(client(ElastiCacheClient, denied).send(new DescribeReplicationGroupsCommand({})))).toMatchObject({ name: "AccessDenied", status: 403 });
  });
});

describe("per-account state", () => {
  it("shows each account only its own caches, ARNs, tags and events", async () => {
    const staging = asIdentity((await assume()).Credentials!);
    expect(await groupIds()).toEqual([["prod-orders", "arn:aws:elasticache:us-east-1:000000000000:replicationgroup:prod-orders"]]);
    expect(await groupIds(staging)).toEqual([["staging-orders", `arn:aws:elasticache:us-east-1:${STAGING}:replicationgroup:staging-orders`]]);

    const notFound = await failure(client(ElastiCacheClient, staging).send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "prod-orders" })));
    expect(notFound.name).toBe(ReplicationGroupNotFoundFault.name);
    const prodArn = "arn:aws:elasticache:us-east-1:000000000000:replicationgroup:prod-orders";
    expect((await failure(client(ElastiCacheClient, staging).send(new ListTagsForResourceCommand({ ResourceName: prodArn })))).name).toBe("ReplicationGroupNotFoundFault");

    const tagged = async (credentials?: AwsCredentialIdentity) =>
      ((await client(ResourceGroupsTaggingAPIClient, credentials).send(new GetResourcesCommand({ ResourceTypeFilters: ["elasticache:replicationgroup"] }))).ResourceTagMappingList ?? []).map((r) => [r.ResourceARN, r.Tags]);
    expect(await tagged()).toEqual([[prodArn, [{ Key: "env", Value: "production" }]]]);
    expect(await tagged(staging)).toEqual([[`arn:aws:elasticache:us-east-1:${STAGING}:replicationgroup:staging-orders`, [{ Key: "env", Value: "staging" }]]]);

    const sources = async (credentials?: AwsCredentialIdentity) =>
      new Set(((await client(ElastiCacheClient, credentials).send(new DescribeEventsCommand({ Duration: 60 }))).Events ?? []).map((e) => e.SourceIdentifier));
    expect([...(await sources(staging))].every((id) => id!.startsWith("staging-"))).toBe(true);
    expect([...(await sources())].every((id) => id!.startsWith("prod-"))).toBe(true);
    expect(await sources(staging)).toContain("staging-orders");
  });

  it("keeps CloudWatch metrics, alarms and FIS templates per account", async () => {
    const staging = asIdentity((await assume()).Credentials!);
    await client(CloudWatchClient, staging).send(new PutMetricDataCommand({ Namespace: "CacheDeck/Test", MetricData: [{ MetricName: "StagingOnly", Value: 1 }] }));
    const names = async (credentials?: AwsCredentialIdentity) =>
      ((await client(CloudWatchClient, credentials).send(new ListMetricsCommand({ Namespace: "CacheDeck/Test" }))).Metrics ?? []).map((m) => m.MetricName);
    expect(await names(staging)).toEqual(["StagingOnly"]);
    expect(await names()).toEqual([]);

    await client(CloudWatchClient, staging).send(
      new PutMetricAlarmCommand({
        AlarmName: "staging-only", Namespace: "CacheDeck/Test", MetricName: "StagingOnly", Statistic: "Maximum", Period: 60, EvaluationPeriods: 1,
        Threshold: 1, ComparisonOperator: "GreaterThanOrEqualToThreshold",
      }),
    );
    const alarms = async (credentials?: AwsCredentialIdentity) =>
      ((await client(CloudWatchClient, credentials).send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).map((a) => a.AlarmArn);
    expect(await alarms(staging)).toEqual([`arn:aws:cloudwatch:us-east-1:${STAGING}:alarm:staging-only`]);
    expect(await alarms()).toEqual([]);

    const { experimentTemplate } = await client(FisClient, staging).send(
      new CreateExperimentTemplateCommand({
        description: "staging drill",
        roleArn: `arn:aws:iam::${STAGING}:role/cachedeck-fis`,
        stopConditions: [{ source: "none" }],
        targets: { Groups: { resourceType: "aws:elasticache:replicationgroup", resourceTags: { env: "staging" }, selectionMode: "ALL" } },
        actions: {
          cut: {
            actionId: "aws:elasticache:replicationgroup-interrupt-az-power",
            parameters: { availabilityZoneIdentifier: "us-east-1a", duration: "PT5M" },
            targets: { ReplicationGroups: "Groups" },
          },
        },
      }),
    );
    expect((await client(FisClient, staging).send(new GetExperimentTemplateCommand({ id: experimentTemplate!.id }))).experimentTemplate!.description).toBe("staging drill");
    expect((await failure(client(FisClient).send(new GetExperimentTemplateCommand({ id: experimentTemplate!.id })))).name).toBe(ResourceNotFoundException.name);
  });

  it("runs the admin API for the account named by ?account=, the default one without it", async () => {
    const faults = async (query: string) => {
      const res = await fetch(`${emulator.url}/_emulator/faults${query}`);
      return [res.status, await res.json()];
    };
    expect(await faults("")).toEqual([200, { faults: [] }]);
    expect(await faults("?account=staging")).toEqual([200, { faults: [] }]);
    expect(await faults(`?account=${STAGING}`)).toEqual([200, { faults: [] }]);
    // The CLI's --account goes the same way.
    const cli = await runProcess(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "emulator/faults/cli.ts"), "list", "--account", "qa", "--endpoint", emulator.url]);
    expect([cli.code, cli.stderr]).toEqual([1, "emulator:fault: 404 No account qa; the emulator has production (000000000000), staging (111111111111)\n"]);

    const kill = (query: string) =>
      fetch(`${emulator.url}/_emulator/faults/kill-node${query}`, { method: "POST", body: JSON.stringify({ cacheClusterId: "staging-memcached" }) });
    expect((await kill("")).status).toBe(404);
    const staging = emulator.controlPlanes.get(STAGING)!;
    await waitFor(() => staging.regionState(REGION).cacheClusters["staging-memcached"]?.status === "available", { timeoutMs: 30_000, description: "staging-memcached to be available" });
    const port = staging.regionState(REGION).cacheClusters["staging-memcached"].nodes[0].port;
    const killed = await kill("?account=staging");
    expect([killed.status, await killed.json()]).toEqual([200, { killed: expect.objectContaining({ cacheClusterId: "staging-memcached", port }) }]);
  });

  it("refuses expired and unknown session credentials (ExpiredToken, InvalidClientTokenId), whatever the protocol", async () => {
    const staging = asIdentity((await assume()).Credentials!);
    const clock = emulator.controlPlane.settings;
    const realNow = clock.now;
    clock.now = () => new Date(realNow().getTime() + 3601_000);
    try {
      expect(await failure(client(ElastiCacheClient, staging).send(new DescribeReplicationGroupsCommand({})))).toEqual({
        name: "ExpiredToken",
        status: 403,
        message: "The security token included in the request is expired",
      });
      expect((await failure(client(CloudWatchClient, staging).send(new ListMetricsCommand({})))).name).toBe("ExpiredToken");
      expect((await failure(client(STSClient, staging).send(new GetCallerIdentityCommand({})))).name).toBe("ExpiredToken");
    } finally {
      clock.now = realNow;
    }
    const forged = { ...staging, sessionToken: "not-the-token" };
    expect(await failure(client(ElastiCacheClient, forged).send(new DescribeReplicationGroupsCommand({})))).toEqual({
      name: "InvalidClientTokenId",
      status: 403,
      message: "The security token included in the request is invalid.",
    });
    const unknown = { accessKeyId: "ASIAAAAAAAAAAAAAAAAA", secretAccessKey: "x", sessionToken: "y" };
    expect((await failure(client(FisClient, unknown).send(new GetExperimentTemplateCommand({ id: "x" })))).name).toBe("UnrecognizedClientException");
  });
});

const json = (stdout: string) => JSON.parse(stdout);

describe.skipIf(!HAS_AWS_CLI)("the AWS CLI", () => {
  it("`aws sts assume-role` gives credentials that see only the role's account; a wrong ExternalId is AccessDenied", async () => {
    // Each CLI start costs seconds on a loaded machine: the refusal runs beside the happy path.
    const [assumed, wrong] = await Promise.all([
      awsCli(emulator.url, ["sts", "assume-role", "--role-arn", STAGING_READ_ONLY, "--role-session-name", "cli", "--external-id", "cachedeck-test"]),
      awsCli(emulator.url, ["sts", "assume-role", "--role-arn", STAGING_READ_ONLY, "--role-session-name", "cli", "--external-id", "nope"]),
    ]);
    expect(assumed.stderr).toBe("");
    const { Credentials, AssumedRoleUser } = json(assumed.stdout);
    expect(AssumedRoleUser.Arn).toBe(`arn:aws:sts::${STAGING}:assumed-role/CacheDeckReadOnly/cli`);
    const creds = { accessKeyId: Credentials.AccessKeyId, secretAccessKey: Credentials.SecretAccessKey, sessionToken: Credentials.SessionToken };
    const groups = json((await awsCli(emulator.url, ["elasticache", "describe-replication-groups"], REGION, creds)).stdout);
    expect(groups.ReplicationGroups.map((g: { ReplicationGroupId: string }) => g.ReplicationGroupId)).toEqual(["staging-orders"]);

    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toContain(
      `An error occurred (AccessDenied) when calling the AssumeRole operation: User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: ${STAGING_READ_ONLY}`,
    );
  });
});

describe.skipIf(!HAS_BOTO3)("boto3", () => {
  it("assumes a role, sees only that account's caches, and gets AccessDenied for an unknown role", async () => {
    const result = await boto3Script(
      emulator.url,
      "sts",
      `
creds = client.assume_role(RoleArn=${JSON.stringify(STAGING_READ_ONLY)}, RoleSessionName="boto", ExternalId="cachedeck-test", DurationSeconds=900)["Credentials"]
session = boto3.session.Session(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"], aws_session_token=creds["SessionToken"], region_name="us-east-1")
out = {}
out["who"] = session.client("sts", endpoint_url=${JSON.stringify(emulator.url)}).get_caller_identity()["Arn"]
out["groups"] = [g["ReplicationGroupId"] for g in session.client("elasticache", endpoint_url=${JSON.stringify(emulator.url)}).describe_replication_groups()["ReplicationGroups"]]
out["default"] = [g["ReplicationGroupId"] for g in boto3.client("elasticache", endpoint_url=${JSON.stringify(emulator.url)}, region_name="us-east-1").describe_replication_groups()["ReplicationGroups"]]
try:
    client.assume_role(RoleArn="arn:aws:iam::${STAGING}:role/Nope", RoleSessionName="boto")
except client.exceptions.ClientError as e:
    out["denied"] = [e.response["Error"]["Code"], e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Message"]]
print(json.dumps(out))
`,
    );
    expect(result.stderr).toBe("");
    expect(json(result.stdout)).toEqual({
      who: `arn:aws:sts::${STAGING}:assumed-role/CacheDeckReadOnly/boto`,
      groups: ["staging-orders"],
      default: ["prod-orders"],
      denied: ["AccessDenied", 403, `User: arn:aws:iam::000000000000:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::${STAGING}:role/Nope`],
    });
  });
});

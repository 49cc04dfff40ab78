import path from "node:path";
import {
  CacheSubnetGroupAlreadyExistsFault,
  CacheSubnetGroupInUse,
  CacheSubnetGroupNotFoundFault,
  CreateCacheClusterCommand,
  CreateCacheSubnetGroupCommand,
  CreateReplicationGroupCommand,
  DeleteCacheSubnetGroupCommand,
  DescribeCacheClustersCommand,
  DescribeCacheSubnetGroupsCommand,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  InvalidSubnet,
  ModifyCacheClusterCommand,
  ModifyReplicationGroupCommand,
  TestFailoverCommand,
  type ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import { waitFor } from "@/emulator/nodes/wait-for";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, boto3Script, HAS_AWS_CLI, HAS_BOTO3, runProcess } from "@/tests/helpers/aws-cli";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator } from "@/tests/helpers/emulator";
import { createGroup, describeGroup, memberPort, rolesOf, waitForEvent } from "@/tests/helpers/replication-group";

// Settings CreateReplicationGroup / CreateCacheCluster take (encryption, AUTH, backups, subnet and security groups,
// log delivery, minor upgrades) are kept and reported back, changed by Modify*, and bad values get AWS's errors.
// One TLS + AUTH group of two nodes and one cache cluster serve every case, so the file starts three redis-servers.

const REGION = "eu-west-1";
const TOKEN = "s3cret-token-0123456789";
const SUBNETS = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];
let emulator: TestEmulator;
let client: ElastiCacheClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = elasticacheClient(emulator.url, REGION);
});
afterAll(() => emulator?.dispose());

const base = { ReplicationGroupDescription: "settings", NumCacheClusters: 1 };

/** redis-cli over TLS, trusting the emulator's CA (in its data dir), with a password. */
function tlsCli(port: number, password: string, ...command: string[]) {
  const ca = path.join(emulator.dataDir, "tls", "ca.crt");
  return runProcess("redis-cli", ["--tls", "--cacert", ca, "-p", String(port), "-a", password, "--no-auth-warning", ...command]);
}

describe("cache subnet groups", () => {
  it("has a default group per region, creates, lists, refuses bad input and deletes", async () => {
    const { CacheSubnetGroups: before } = await client.send(new DescribeCacheSubnetGroupsCommand({}));
    expect(before!.map((g) => g.CacheSubnetGroupName)).toEqual(["default"]);
    expect(before![0].Subnets!.map((s) => s.SubnetAvailabilityZone!.Name)).toEqual(["eu-west-1a", "eu-west-1b", "eu-west-1c"]);
    expect(before![0].VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);

    const { CacheSubnetGroup } = await client.send(
      new CreateCacheSubnetGroupCommand({ CacheSubnetGroupName: "Private-Cache", CacheSubnetGroupDescription: "private", SubnetIds: SUBNETS }),
    );
    expect(CacheSubnetGroup).toMatchObject({ CacheSubnetGroupName: "private-cache", CacheSubnetGroupDescription: "private", ARN: expect.stringContaining(":subnetgroup:private-cache") });
    expect(CacheSubnetGroup!.Subnets!.map((s) => s.SubnetIdentifier)).toEqual(SUBNETS);
    const { CacheSubnetGroups: one } = await client.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: "private-cache" }));
    expect(one![0].Subnets).toEqual(CacheSubnetGroup!.Subnets);

    const again = { CacheSubnetGroupName: "private-cache", CacheSubnetGroupDescription: "x", SubnetIds: SUBNETS };
    await expect(client.send(new CreateCacheSubnetGroupCommand(again))).rejects.toBeInstanceOf(CacheSubnetGroupAlreadyExistsFault);
    await expect(client.send(new CreateCacheSubnetGroupCommand({ ...again, CacheSubnetGroupName: "other", SubnetIds: ["sub-1"] }))).rejects.toBeInstanceOf(InvalidSubnet);
    await expect(client.send(new DescribeCacheSubnetGroupsCommand({ CacheSubnetGroupName: "nope" }))).rejects.toBeInstanceOf(CacheSubnetGroupNotFoundFault);
    await expect(client.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: "default" }))).rejects.toThrow("default cache subnet group cannot be deleted");

    await client.send(new CreateCacheSubnetGroupCommand({ ...again, CacheSubnetGroupName: "short-lived" }));
    await client.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: "short-lived" }));
    await expect(client.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: "short-lived" }))).rejects.toBeInstanceOf(CacheSubnetGroupNotFoundFault);
  });
});

describe("settings at creation", () => {
  it("refuses bad values with AWS's errors, before anything starts", async () => {
    const create = (extra: Record<string, unknown>) => client.send(new CreateReplicationGroupCommand({ ...base, ReplicationGroupId: "bad", ...extra }));
    await expect(create({ AuthToken: TOKEN })).rejects.toThrow(/only supported when encryption-in-transit is enabled/);
    await expect(create({ TransitEncryptionEnabled: true, AuthToken: "short" })).rejects.toThrow(/16 to 128 characters/);
    await expect(create({ TransitEncryptionEnabled: true, AuthToken: "has-an-@-in-it-0123456789" })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(create({ TransitEncryptionEnabled: true, AuthToken: 'has-a-"-in-it-0123456789' })).rejects.toThrow(/cannot contain the character "/);
    await expect(create({ SnapshotRetentionLimit: 36 })).rejects.toThrow(/from 0 to 35 days/);
    await expect(create({ SnapshotWindow: "05:00-05:30" })).rejects.toThrow(/at least 60 minutes/);
    await expect(create({ SnapshotWindow: "5am" })).rejects.toThrow(/hh24:mi-hh24:mi/);
    await expect(create({ CacheSubnetGroupName: "missing" })).rejects.toBeInstanceOf(CacheSubnetGroupNotFoundFault);
    await expect(create({ SecurityGroupIds: ["default"] })).rejects.toThrow(/Invalid security group ID default/);
    await expect(create({ TransitEncryptionMode: "preferred" })).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(create({ KmsKeyId: "alias/cache" })).rejects.toThrow("KmsKeyId is not supported by the emulator");
    await expect(create({ UserGroupIds: ["ug-1"] })).rejects.toThrow("UserGroupIds is not supported by the emulator");
    await expect(create({ LogDeliveryConfigurations: [{ LogType: "slow-log", DestinationType: "cloudwatch-logs" }] })).rejects.toThrow(
      /needs DestinationDetails.CloudWatchLogsDetails.LogGroup/,
    );
    const memcached = { CacheClusterId: "bad-mc", Engine: "memcached", NumCacheNodes: 1 };
    await expect(client.send(new CreateCacheClusterCommand({ ...memcached, SnapshotRetentionLimit: 1 }))).rejects.toThrow("SnapshotRetentionLimit is not valid for the memcached engine");
    await expect(client.send(new CreateCacheClusterCommand({ ...memcached, TransitEncryptionEnabled: true }))).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    const { CacheClusters } = await client.send(new DescribeCacheClustersCommand({}));
    expect(CacheClusters).toEqual([]);
  });

  it("keeps every setting of a replication group and reports it on the group and its members", async () => {
    const group = await createGroup(client, {
      ReplicationGroupId: "secured",
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      AuthToken: TOKEN,
      SnapshotRetentionLimit: 7,
      SnapshotWindow: "23:30-00:30",
      CacheSubnetGroupName: "private-cache",
      SecurityGroupIds: ["sg-0123456789abcdef0"],
      AutoMinorVersionUpgrade: false,
      LogDeliveryConfigurations: [
        { LogType: "slow-log", DestinationType: "cloudwatch-logs", DestinationDetails: { CloudWatchLogsDetails: { LogGroup: "/cache/slow" } }, LogFormat: "json" },
      ],
    });
    expect(group).toMatchObject({
      TransitEncryptionEnabled: true,
      TransitEncryptionMode: "required",
      AtRestEncryptionEnabled: true,
      AuthTokenEnabled: true,
      SnapshotRetentionLimit: 7,
      SnapshotWindow: "23:30-00:30",
      AutoMinorVersionUpgrade: false,
      LogDeliveryConfigurations: [
        { LogType: "slow-log", DestinationType: "cloudwatch-logs", DestinationDetails: { CloudWatchLogsDetails: { LogGroup: "/cache/slow" } }, LogFormat: "json", Status: "active" },
      ],
    });
    expect(group.AuthTokenLastModifiedDate).toBeUndefined();
    const { CacheClusters } = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: "secured-001" }));
    expect(CacheClusters![0]).toMatchObject({
      CacheSubnetGroupName: "private-cache",
      SecurityGroups: [{ SecurityGroupId: "sg-0123456789abcdef0", Status: "active" }],
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      AuthTokenEnabled: true,
      SnapshotRetentionLimit: 7,
      AutoMinorVersionUpgrade: false,
      ReplicationGroupLogDeliveryEnabled: true,
    });
    await expect(client.send(new DeleteCacheSubnetGroupCommand({ CacheSubnetGroupName: "private-cache" }))).rejects.toBeInstanceOf(CacheSubnetGroupInUse);
  });

  it("runs the group's nodes with TLS and the AUTH token: redis-cli reaches them with the CA and token, plain text does not", async () => {
    const group = await describeGroup(client, "secured");
    const primaryPort = group.NodeGroups![0].PrimaryEndpoint!.Port!;
    expect(await tlsCli(primaryPort, TOKEN, "SET", "k", "v")).toMatchObject({ stdout: "OK\n" });
    const plain = await runProcess("redis-cli", ["-p", String(primaryPort), "-a", TOKEN, "--no-auth-warning", "PING"]);
    expect(plain.stdout + plain.stderr).not.toContain("PONG");
    expect((await tlsCli(primaryPort, "not-the-token-0123456789", "PING")).stdout).toContain("NOAUTH");
    const untrusted = await runProcess("redis-cli", ["--tls", "-p", String(primaryPort), "-a", TOKEN, "--no-auth-warning", "PING"]);
    expect(untrusted.stdout).not.toContain("PONG");

    // Replication runs over TLS with masterauth: the replica has the write.
    const replicaPort = memberPort(group, "secured-002");
    await waitFor(async () => (await tlsCli(replicaPort, TOKEN, "GET", "k")).stdout === "v\n", { timeoutMs: 10_000, description: "the replica to have k" });
    expect((await tlsCli(replicaPort, TOKEN, "INFO", "replication")).stdout).toContain("master_link_status:up");

    // A test failover promotes the replica through the same TLS + AUTH connections.
    const since = new Date();
    await client.send(new TestFailoverCommand({ ReplicationGroupId: "secured", NodeGroupId: "0001" }));
    await waitForEvent(client, "cache-cluster", "secured-001", "Finished recovery for cache nodes 0001", since);
    const after = await waitForReplicationGroup(client, "secured");
    expect(rolesOf(after).roles).toEqual({ "secured-001": "replica", "secured-002": "primary" });
    expect(await tlsCli(replicaPort, TOKEN, "SET", "after", "failover")).toMatchObject({ stdout: "OK\n" });
  });
});

describe("ModifyReplicationGroup and ModifyCacheCluster", () => {
  it("change backups, security groups, upgrades, logs and rotate the AUTH token on AWS's rules", async () => {
    const modify = (extra: Record<string, unknown>) => client.send(new ModifyReplicationGroupCommand({ ReplicationGroupId: "secured", ApplyImmediately: true, ...extra }));
    const { ReplicationGroup } = await modify({
      SnapshotRetentionLimit: 1,
      SnapshotWindow: "02:00-03:00",
      AutoMinorVersionUpgrade: true,
      SecurityGroupIds: ["sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"],
      LogDeliveryConfigurations: [{ LogType: "slow-log", Enabled: false }],
    });
    expect(ReplicationGroup).toMatchObject({ SnapshotRetentionLimit: 1, SnapshotWindow: "02:00-03:00", AutoMinorVersionUpgrade: true, LogDeliveryConfigurations: [] });
    const { CacheClusters } = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: "secured-001" }));
    expect(CacheClusters![0].SecurityGroups!.map((g) => g.SecurityGroupId)).toEqual(["sg-0aaaaaaaaaaaaaaaa", "sg-0bbbbbbbbbbbbbbbb"]);

    await expect(modify({ AuthToken: "another-token-0123456789", AuthTokenUpdateStrategy: "SET" })).rejects.toThrow("SET is allowed only after a ROTATE");
    const port = (await describeGroup(client, "secured")).NodeGroups![0].PrimaryEndpoint!.Port!;
    await expect(modify({ AuthTokenUpdateStrategy: "DELETE" })).rejects.toThrow(/only when moving to RBAC/);
    const rotated = (await modify({ AuthToken: "another-token-0123456789", AuthTokenUpdateStrategy: "ROTATE" })).ReplicationGroup!;
    expect(rotated.PendingModifiedValues!.AuthTokenStatus).toBe("ROTATING");
    expect(rotated.AuthTokenLastModifiedDate).toBeInstanceOf(Date);
    // During a rotation the nodes take both tokens; after SET only the new one.
    expect(await tlsCli(port, TOKEN, "PING")).toMatchObject({ stdout: "PONG\n" });
    expect(await tlsCli(port, "another-token-0123456789", "PING")).toMatchObject({ stdout: "PONG\n" });
    const set = (await modify({ AuthToken: "another-token-0123456789", AuthTokenUpdateStrategy: "SET" })).ReplicationGroup!;
    expect(set.PendingModifiedValues!.AuthTokenStatus).toBeUndefined();
    expect(set.AuthTokenEnabled).toBe(true);
    expect(await tlsCli(port, "another-token-0123456789", "PING")).toMatchObject({ stdout: "PONG\n" });
    expect((await tlsCli(port, TOKEN, "PING")).stdout).toContain("NOAUTH");

    await expect(modify({ TransitEncryptionEnabled: false })).rejects.toThrow("TransitEncryptionEnabled is not supported by the emulator");
    await expect(modify({ SnapshotRetentionLimit: 1 })).rejects.toThrow("No modifications were requested");
    const plain = await describeGroup(client, "secured");
    expect(plain.SnapshotRetentionLimit).toBe(1);
  });

  it("ModifyCacheCluster changes a standalone cluster and sends a group's members to ModifyReplicationGroup", async () => {
    await client.send(new CreateCacheClusterCommand({ CacheClusterId: "solo", Engine: "redis", SnapshotRetentionLimit: 2 }));
    await waitFor(
      async () => (await client.send(new DescribeCacheClustersCommand({ CacheClusterId: "solo" }))).CacheClusters![0].CacheClusterStatus === "available",
      { timeoutMs: 30_000, description: "solo to be available" },
    );
    const { CacheCluster } = await client.send(new ModifyCacheClusterCommand({ CacheClusterId: "solo", SnapshotRetentionLimit: 5, AutoMinorVersionUpgrade: false }));
    expect(CacheCluster).toMatchObject({ SnapshotRetentionLimit: 5, AutoMinorVersionUpgrade: false, TransitEncryptionEnabled: false, CacheSubnetGroupName: "default" });
    await expect(client.send(new ModifyCacheClusterCommand({ CacheClusterId: "secured-001", SnapshotRetentionLimit: 3 }))).rejects.toThrow(/modify the group with ModifyReplicationGroup/);
    await expect(client.send(new ModifyCacheClusterCommand({ CacheClusterId: "solo", AuthToken: TOKEN }))).rejects.toThrow(/only on caches with in-transit encryption/);
    await expect(client.send(new ModifyCacheClusterCommand({ CacheClusterId: "solo", NumCacheNodes: 2 }))).rejects.toThrow("NumCacheNodes is not supported by the emulator");
  });
});

describe.skipIf(!HAS_AWS_CLI || !HAS_BOTO3)("the AWS CLI and boto3", () => {
  it("see the same encryption, AUTH, snapshot and subnet group state", async () => {
    const cli = JSON.parse((await awsCli(emulator.url, ["elasticache", "describe-replication-groups", "--replication-group-id", "secured"], REGION)).stdout);
    const boto = await boto3Script(
      emulator.url,
      "elasticache",
      `g = client.describe_replication_groups(ReplicationGroupId="secured")["ReplicationGroups"][0]
s = client.describe_cache_subnet_groups(CacheSubnetGroupName="private-cache")["CacheSubnetGroups"][0]
c = client.describe_cache_clusters(CacheClusterId="secured-001")["CacheClusters"][0]
print(json.dumps({k: g[k] for k in ["TransitEncryptionEnabled", "AtRestEncryptionEnabled", "AuthTokenEnabled", "SnapshotRetentionLimit", "SnapshotWindow"]} | {"Subnets": [x["SubnetIdentifier"] for x in s["Subnets"]], "CacheSubnetGroupName": c["CacheSubnetGroupName"]}))`,
      REGION,
    );
    expect(boto.stderr).toBe("");
    const fromBoto = JSON.parse(boto.stdout);
    const expected = { TransitEncryptionEnabled: true, AtRestEncryptionEnabled: true, AuthTokenEnabled: true, SnapshotRetentionLimit: 1, SnapshotWindow: "02:00-03:00" };
    expect(cli.ReplicationGroups[0]).toMatchObject(expected);
    expect(fromBoto).toEqual({ ...expected, Subnets: SUBNETS, CacheSubnetGroupName: "private-cache" });
    const refused = await awsCli(emulator.url, ["elasticache", "create-cache-subnet-group", "--cache-subnet-group-name", "x", "--cache-subnet-group-description", "x", "--subnet-ids", "nope"], REGION);
    expect(refused.stderr).toContain("An error occurred (InvalidSubnet) when calling the CreateCacheSubnetGroup operation");
  });
});

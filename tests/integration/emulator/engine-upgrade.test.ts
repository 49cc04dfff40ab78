import {
  CacheParameterGroupNotFoundFault,
  CreateCacheParameterGroupCommand,
  CreateReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeCacheEngineVersionsCommand,
  DescribeCacheParameterGroupsCommand,
  DescribeCacheParametersCommand,
  InvalidCacheParameterGroupStateFault,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  InvalidReplicationGroupStateFault,
  ModifyCacheParameterGroupCommand,
  ModifyReplicationGroupCommand,
  type ModifyReplicationGroupCommandInput,
} from "@aws-sdk/client-elasticache";
import { describe, expect, it } from "vitest";
import { awsCli, boto3Script, HAS_AWS_CLI, HAS_BOTO3 } from "@/tests/helpers/aws-cli";
import { ContinuousWriter } from "@/tests/helpers/continuous-writer";
import { waitForReplicationGroup } from "@/tests/helpers/emulator";
import { emulatorForFile } from "@/tests/helpers/emulator-for-file";
import { createGroup, describeGroup, eventLog, missingKeys, rolesOf, writeAcknowledged } from "@/tests/helpers/replication-group";

// Engine upgrades on real nodes: Redis OSS 6.2 → Valkey as a rolling replacement (replicas, one failover, the old
// primary) under a continuous writer with no acknowledged write lost; AWS's refusals; parameter groups as state.

const env = emulatorForFile({ settings: { timeScale: 0.002 } });
const modify = (input: ModifyReplicationGroupCommandInput) => env.client.send(new ModifyReplicationGroupCommand(input));

async function membersOf(id: string) {
  const { CacheClusters } = await env.client.send(new DescribeCacheClustersCommand({}));
  return CacheClusters!.filter((c) => c.ReplicationGroupId === id);
}

describe("upgrading Redis OSS 6.2 to Valkey", () => {
  it("replaces replicas, fails over once, replaces the old primary, and loses no acknowledged write", async () => {
    const before = await createGroup(env.client, { ReplicationGroupId: "legacy", NumCacheClusters: 3, EngineVersion: "6.2", AutomaticFailoverEnabled: true });
    expect(before.Engine).toBe("redis");
    const oldPrimary = Object.entries(rolesOf(before).roles).find(([, role]) => role === "primary")![0];
    const seeded = await writeAcknowledged(rolesOf(before).primaryPort, "seed", 200, 2);
    const writer = new ContinuousWriter(env.client, "legacy", "upgrade");
    const since = new Date();

    const answer = await modify({ ReplicationGroupId: "legacy", Engine: "valkey", EngineVersion: "8.0", ApplyImmediately: true });
    expect(answer.ReplicationGroup!.Status).toBe("modifying");
    expect((await membersOf("legacy"))[0].PendingModifiedValues).toEqual({ EngineVersion: "8.0" });
    await expect(modify({ ReplicationGroupId: "legacy", EngineVersion: "7.1", ApplyImmediately: true })).rejects.toBeInstanceOf(InvalidReplicationGroupStateFault);

    const after = await waitForReplicationGroup(env.client, "legacy", "available", 120_000);
    const report = await writer.stop();
    expect(after.Engine).toBe("valkey");
    for (const member of await membersOf("legacy")) {
      expect(member).toMatchObject({ Engine: "valkey", EngineVersion: "8.0", CacheParameterGroup: { CacheParameterGroupName: "default.valkey8" }, PendingModifiedValues: {} });
    }
    const newPrimary = Object.entries(rolesOf(after).roles).find(([, role]) => role === "primary")![0];
    expect(newPrimary).not.toBe(oldPrimary);
    expect(report.acknowledged.length).toBeGreaterThan(0);
    expect(await missingKeys(rolesOf(after).primaryPort, [...seeded, ...report.acknowledged])).toEqual([]);

    const log = await eventLog(env.client, [["replication-group", "legacy"], ...after.MemberClusters!.map((id) => ["cache-cluster", id] as ["cache-cluster", string])], since);
    const replaced = (id: string) => `${id}: Cache node 0001 replaced with valkey 8.0`;
    const replicas = after.MemberClusters!.filter((id) => id !== oldPrimary);
    expect(log[0]).toBe("legacy: Modifying engine version from redis 6.2 to valkey 8.0");
    expect(log.at(-1)).toBe("legacy: Finished modifying engine version from redis 6.2 to valkey 8.0");
    const failover = log.indexOf(`legacy: Failover from primary node ${oldPrimary} to replica node ${newPrimary} completed`);
    expect(failover).toBeGreaterThan(0);
    for (const replica of replicas) expect(log.indexOf(replaced(replica))).toBeLessThan(failover);
    expect(log.indexOf(replaced(oldPrimary))).toBeGreaterThan(failover);
  });

  it("upgrades a group without replicas through a stand-in, keeping its data", async () => {
    const before = await createGroup(env.client, { ReplicationGroupId: "lonely", NumCacheClusters: 1, EngineVersion: "6.2" });
    const keys = await writeAcknowledged(rolesOf(before).primaryPort, "lonely", 100, 0);
    await modify({ ReplicationGroupId: "lonely", EngineVersion: "7.1", ApplyImmediately: true });
    const after = await waitForReplicationGroup(env.client, "lonely", "available", 60_000);
    expect((await membersOf("lonely"))[0]).toMatchObject({ Engine: "redis", EngineVersion: "7.1", CacheParameterGroup: { CacheParameterGroupName: "default.redis7" } });
    expect(await missingKeys(rolesOf(after).primaryPort, keys)).toEqual([]);
  });
});

describe("what AWS refuses", () => {
  it("refuses downgrades, unknown versions, Valkey back to Redis OSS, and parameter groups of another family or cluster mode", async () => {
    await createGroup(env.client, { ReplicationGroupId: "checks", NumCacheClusters: 1, EngineVersion: "7.0" });
    await env.client.send(new CreateCacheParameterGroupCommand({ CacheParameterGroupName: "tuned-redis7", CacheParameterGroupFamily: "redis7", Description: "t" }));
    await env.client.send(new CreateCacheParameterGroupCommand({ CacheParameterGroupName: "tuned-valkey8", CacheParameterGroupFamily: "valkey8", Description: "t" }));
    const refusal = (input: Omit<ModifyReplicationGroupCommandInput, "ReplicationGroupId">) => modify({ ReplicationGroupId: "checks", ApplyImmediately: true, ...input });

    await expect(refusal({ EngineVersion: "6.2" })).rejects.toThrow(/Cannot downgrade checks from redis 7.0 to redis 6.2/);
    await expect(refusal({ EngineVersion: "9.9" })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(refusal({ Engine: "memcached", EngineVersion: "1.6.22" })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(refusal({ Engine: "valkey" })).rejects.toThrow(/EngineVersion is required/);
    await expect(refusal({ Engine: "valkey", EngineVersion: "8.0", CacheParameterGroupName: "tuned-redis7" })).rejects.toThrow(/family redis7, but valkey 8.0 needs family valkey8/);
    await expect(refusal({ Engine: "valkey", EngineVersion: "8.0", CacheParameterGroupName: "default.valkey8.cluster.on" })).rejects.toThrow(/cluster-enabled=yes/);
    await expect(refusal({ Engine: "valkey", EngineVersion: "8.0", CacheParameterGroupName: "nowhere" })).rejects.toBeInstanceOf(CacheParameterGroupNotFoundFault);
    await expect(modify({ ReplicationGroupId: "checks", Engine: "valkey", EngineVersion: "8.0" })).rejects.toThrow(/ApplyImmediately/);
    await expect(refusal({ Engine: "valkey", EngineVersion: "8.0", CacheNodeType: "cache.t4g.small" })).rejects.toBeInstanceOf(InvalidParameterCombinationException);

    // A custom group of the same family applies at once; after that the upgrade must name one of the target family.
    const moved = await modify({ ReplicationGroupId: "checks", CacheParameterGroupName: "tuned-redis7" });
    expect(moved.ReplicationGroup!.Status).toBe("available");
    expect((await membersOf("checks"))[0].CacheParameterGroup!.CacheParameterGroupName).toBe("tuned-redis7");
    await expect(refusal({ Engine: "valkey", EngineVersion: "8.0" })).rejects.toThrow(/name a CacheParameterGroupName of family valkey8/);
    await refusal({ Engine: "valkey", EngineVersion: "8.0", CacheParameterGroupName: "tuned-valkey8" });
    await waitForReplicationGroup(env.client, "checks", "available", 60_000);
    expect((await describeGroup(env.client, "checks")).Engine).toBe("valkey");
    await expect(refusal({ Engine: "redis", EngineVersion: "7.1" })).rejects.toThrow(/from redis to valkey only/);
  });
});

describe("parameter groups and engine versions", () => {
  it("keeps created groups and their values, offers each family's defaults, and refuses to modify a default", async () => {
    const versions = await env.client.send(new DescribeCacheEngineVersionsCommand({}));
    expect(new Set(versions.CacheEngineVersions!.map((v) => v.CacheParameterGroupFamily))).toEqual(new Set(["memcached1.6", "redis6.x", "redis7", "valkey7", "valkey8"]));
    const defaults = await env.client.send(new DescribeCacheParameterGroupsCommand({ CacheParameterGroupName: "default.valkey8" }));
    expect(defaults.CacheParameterGroups![0]).toMatchObject({ CacheParameterGroupFamily: "valkey8", IsGlobal: false });

    await env.client.send(new CreateCacheParameterGroupCommand({ CacheParameterGroupName: "Evicting", CacheParameterGroupFamily: "redis6.x", Description: "LRU" }));
    await env.client.send(new ModifyCacheParameterGroupCommand({
      CacheParameterGroupName: "evicting",
      ParameterNameValues: [{ ParameterName: "maxmemory-policy", ParameterValue: "allkeys-lru" }, { ParameterName: "timeout", ParameterValue: "300" }],
    }));
    const user = await env.client.send(new DescribeCacheParametersCommand({ CacheParameterGroupName: "evicting", Source: "user" }));
    expect(user.Parameters!.map((p) => [p.ParameterName, p.ParameterValue])).toEqual([["maxmemory-policy", "allkeys-lru"], ["timeout", "300"]]);
    await expect(
      env.client.send(new ModifyCacheParameterGroupCommand({ CacheParameterGroupName: "evicting", ParameterNameValues: [{ ParameterName: "maxmemory-policy", ParameterValue: "sometimes" }] })),
    ).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(
      env.client.send(new ModifyCacheParameterGroupCommand({ CacheParameterGroupName: "default.redis7", ParameterNameValues: [{ ParameterName: "timeout", ParameterValue: "60" }] })),
    ).rejects.toBeInstanceOf(InvalidCacheParameterGroupStateFault);
  });

  it("checks the parameter group a creation names: it exists, is of the version's family, and its cluster-enabled decides cluster mode", async () => {
    const create = (id: string, input: Record<string, unknown>) =>
      env.client.send(new CreateReplicationGroupCommand({ ReplicationGroupId: id, ReplicationGroupDescription: "t", NumCacheClusters: 1, ...input }));
    await expect(create("nogroup", { CacheParameterGroupName: "missing" })).rejects.toBeInstanceOf(CacheParameterGroupNotFoundFault);
    await expect(create("wrongfamily", { EngineVersion: "7.1", CacheParameterGroupName: "default.redis6.x" })).rejects.toThrow(/needs family redis7/);
    await expect(create("wrongmode", { NumCacheClusters: undefined, NumNodeGroups: 2, CacheParameterGroupName: "default.redis7" })).rejects.toThrow(/cluster-enabled=no/);
    await env.client.send(new CreateCacheParameterGroupCommand({ CacheParameterGroupName: "sharded", CacheParameterGroupFamily: "redis7", Description: "cluster on" }));
    await env.client.send(new ModifyCacheParameterGroupCommand({ CacheParameterGroupName: "sharded", ParameterNameValues: [{ ParameterName: "cluster-enabled", ParameterValue: "yes" }] }));
    const sharded = await create("sharded-cache", { NumCacheClusters: undefined, CacheParameterGroupName: "Sharded", CacheNodeType: "cache.t4g.small" });
    expect(sharded.ReplicationGroup).toMatchObject({ ClusterEnabled: true });
    await waitForReplicationGroup(env.client, "sharded-cache", "available", 60_000);
  });

  it.skipIf(!HAS_AWS_CLI || !HAS_BOTO3)("the AWS CLI and boto3 see the upgraded engine and the parameter groups", async () => {
    const cli = JSON.parse((await awsCli(env.emulator.url, ["elasticache", "describe-cache-clusters", "--cache-cluster-id", "legacy-001"])).stdout);
    expect(cli.CacheClusters[0]).toMatchObject({ Engine: "valkey", EngineVersion: "8.0" });
    const boto = await boto3Script(
      env.emulator.url,
      "elasticache",
      'g = client.describe_replication_groups(ReplicationGroupId="legacy")["ReplicationGroups"][0]\n' +
        'p = client.describe_cache_parameters(CacheParameterGroupName="evicting", Source="user")["Parameters"]\n' +
        'print(json.dumps([g["Engine"], [x["ParameterName"] for x in p]]))',
    );
    expect(JSON.parse(boto.stdout)).toEqual(["valkey", ["maxmemory-policy", "timeout"]]);
  });
});

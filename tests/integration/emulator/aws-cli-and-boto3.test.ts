import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCli, boto3Script, HAS_AWS_CLI, HAS_BOTO3 } from "@/tests/helpers/aws-cli";
import { startTestEmulator, type TestEmulator } from "@/tests/helpers/emulator";

// The same scenarios as the SDK tests, from the real AWS CLI and boto3 (botocore parses XML its own way).
if (!HAS_AWS_CLI) console.warn("aws-cli-and-boto3: the AWS CLI is not installed (pip install awscli); skipping its tests");
if (!HAS_BOTO3) console.warn("aws-cli-and-boto3: python3 has no boto3 (pip install boto3); skipping its tests");

let emulator: TestEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(() => emulator?.dispose());

const json = (stdout: string) => JSON.parse(stdout);

describe.skipIf(!HAS_AWS_CLI)("the AWS CLI", () => {
  it("creates groups, waits with `wait replication-group-available`, describes, pages events and deletes", async () => {
    const created = await awsCli(emulator.url, [
      ...["elasticache", "create-replication-group", "--replication-group-id", "cli-orders"],
      ...["--replication-group-description", "from the CLI", "--num-cache-clusters", "2", "--automatic-failover-enabled"],
      ...["--tags", "Key=team,Value=cli"],
    ]);
    expect(created.stderr).toBe("");
    expect(json(created.stdout).ReplicationGroup).toMatchObject({ ReplicationGroupId: "cli-orders", Status: "creating" });
    // Forming a Redis Cluster takes a few seconds, so the waiter's first poll sees "creating" and the next (15 s
    // later) "available": the waiter really waits on our status values.
    await awsCli(emulator.url, [
      ...["elasticache", "create-replication-group", "--replication-group-id", "cli-carts", "--replication-group-description", "shards"],
      ...["--num-node-groups", "2", "--replicas-per-node-group", "1"],
    ]);
    const waited = await awsCli(emulator.url, ["elasticache", "wait", "replication-group-available", "--replication-group-id", "cli-carts"]);
    expect([waited.code, waited.stderr]).toEqual([0, ""]);
    const carts = json((await awsCli(emulator.url, ["elasticache", "describe-replication-groups", "--replication-group-id", "cli-carts"])).stdout);
    expect(carts.ReplicationGroups[0]).toMatchObject({ Status: "available", ClusterEnabled: true });

    const described = json((await awsCli(emulator.url, ["elasticache", "describe-replication-groups", "--replication-group-id", "cli-orders"])).stdout);
    const [group] = described.ReplicationGroups;
    expect(group.Status).toBe("available");
    const [primary, replica] = group.NodeGroups[0].NodeGroupMembers;
    expect([primary.CurrentRole, replica.CurrentRole]).toEqual(["primary", "replica"]);
    const writer = new Redis({ host: "127.0.0.1", port: group.NodeGroups[0].PrimaryEndpoint.Port });
    await writer.set("from-cli", "yes");
    await writer.wait(1, 5000);
    writer.disconnect();
    const reader = new Redis({ host: "127.0.0.1", port: replica.ReadEndpoint.Port });
    expect(await reader.get("from-cli")).toBe("yes");
    reader.disconnect();

    const events = ["elasticache", "describe-events", "--source-type", "cache-cluster"];
    const firstPage = json((await awsCli(emulator.url, [...events, "--max-items", "2"])).stdout);
    expect(firstPage.Events).toHaveLength(2);
    expect(firstPage.NextToken).toBeTruthy();
    const rest = json((await awsCli(emulator.url, [...events, "--starting-token", firstPage.NextToken])).stdout);
    const messages = [...firstPage.Events, ...rest.Events].map((e: { SourceIdentifier: string; Message: string }) => `${e.SourceIdentifier}: ${e.Message}`);
    expect(messages).toHaveLength(12);
    expect(new Set(messages).size).toBe(12);
    expect(messages).toContain("cli-orders-002: Added cache node 0001 in Availability Zone us-east-1b");

    const tags = json((await awsCli(emulator.url, ["elasticache", "list-tags-for-resource", "--resource-name", group.ARN])).stdout);
    expect(tags.TagList).toEqual([{ Key: "team", Value: "cli" }]);

    const deleted = json((await awsCli(emulator.url, ["elasticache", "delete-replication-group", "--replication-group-id", "cli-orders"])).stdout);
    expect(deleted.ReplicationGroup.Status).toBe("deleting");
  });

  it("shows AWS's error codes and messages", async () => {
    const missing = await awsCli(emulator.url, ["elasticache", "describe-replication-groups", "--replication-group-id", "nope"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain(
      "An error occurred (ReplicationGroupNotFoundFault) when calling the DescribeReplicationGroups operation: Replication group nope not found.",
    );
    const invalid = await awsCli(emulator.url, ["elasticache", "describe-cache-clusters", "--max-records", "5"]);
    expect(invalid.stderr).toContain("An error occurred (InvalidParameterValue) when calling the DescribeCacheClusters operation: Invalid value for MaxRecords");
  });
});

describe.skipIf(!HAS_BOTO3)("boto3", () => {
  it("runs the cache cluster, serverless, paging and error scenarios with modelled exceptions", async () => {
    const result = await boto3Script(
      emulator.url,
      "elasticache",
      `
import time
out = {}
client.create_cache_cluster(CacheClusterId="py-memcached", Engine="memcached", NumCacheNodes=2, AZMode="cross-az")
for _ in range(300):
    cluster = client.describe_cache_clusters(CacheClusterId="py-memcached", ShowCacheNodeInfo=True)["CacheClusters"][0]
    if cluster["CacheClusterStatus"] == "available":
        break
    time.sleep(0.1)
out["nodes"] = [[n["CacheNodeId"], n["CustomerAvailabilityZone"], n["Endpoint"]["Port"] > 0] for n in cluster["CacheNodes"]]
out["created_is_datetime"] = hasattr(cluster["CacheClusterCreateTime"], "isoformat")
for i in range(21):
    client.create_cache_cluster(CacheClusterId=f"py-{i:02d}", Engine="memcached")
pages = client.get_paginator("describe_cache_clusters").paginate(PaginationConfig={"PageSize": 20})
ids = [c["CacheClusterId"] for page in pages for c in page["CacheClusters"]]
out["paged"] = [len(ids), len(set(ids))]
client.create_serverless_cache(ServerlessCacheName="py-serverless", Engine="redis")
out["serverless"] = client.describe_serverless_caches(ServerlessCacheName="py-serverless")["ServerlessCaches"][0]["Status"]
errors = []
for call in [
    lambda: client.describe_replication_groups(ReplicationGroupId="nope"),
    lambda: client.describe_cache_clusters(CacheClusterId="nope"),
    lambda: client.create_cache_cluster(CacheClusterId="py-memcached", Engine="memcached"),
    lambda: client.create_replication_group(ReplicationGroupId="9bad", ReplicationGroupDescription="x"),
    lambda: client.create_replication_group(ReplicationGroupId="py-af", ReplicationGroupDescription="x", AutomaticFailoverEnabled=True),
    lambda: client.delete_serverless_cache(ServerlessCacheName="nope"),
    lambda: client.list_tags_for_resource(ResourceName="not-an-arn"),
]:
    try:
        call()
        errors.append(None)
    except client.exceptions.ClientError as error:
        errors.append([type(error).__name__, error.response["Error"]["Code"], error.response["ResponseMetadata"]["HTTPStatusCode"]])
out["errors"] = errors
print(json.dumps(out))
`,
      "eu-west-1",
    );
    expect(result.stderr).toBe("");
    const out = json(result.stdout);
    expect(out.nodes).toEqual([
      ["0001", "eu-west-1a", true],
      ["0002", "eu-west-1b", true],
    ]);
    expect(out.created_is_datetime).toBe(true);
    expect(out.paged).toEqual([22, 22]);
    expect(out.serverless).toBe("CREATING");
    expect(out.errors).toEqual([
      ["ReplicationGroupNotFoundFault", "ReplicationGroupNotFoundFault", 404],
      ["CacheClusterNotFoundFault", "CacheClusterNotFound", 404],
      ["CacheClusterAlreadyExistsFault", "CacheClusterAlreadyExists", 400],
      ["InvalidParameterValueException", "InvalidParameterValue", 400],
      ["InvalidParameterCombinationException", "InvalidParameterCombination", 400],
      ["ServerlessCacheNotFoundFault", "ServerlessCacheNotFoundFault", 404],
      ["InvalidARNFault", "InvalidARN", 400],
    ]);
  });
});

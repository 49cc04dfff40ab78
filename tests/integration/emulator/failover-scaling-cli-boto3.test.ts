import { describe, expect, it } from "vitest";
import { awsCli, boto3Script, HAS_AWS_CLI, HAS_BOTO3 } from "@/tests/helpers/aws-cli";
import { emulatorForFile } from "@/tests/helpers/emulator-for-file";
import { waitForReplicationGroup } from "@/tests/helpers/emulator";
import { createGroup, describeGroup, rolesOf, waitForEvent } from "@/tests/helpers/replication-group";

// TestFailover and the scaling operations from the real AWS CLI and boto3: their request encoding (lists such as
// ReplicaConfiguration.ConfigureShard.N) and the modelled exceptions they raise.

const env = emulatorForFile({ settings: { timeScale: 0.002 } });

describe.skipIf(!HAS_AWS_CLI)("the AWS CLI", () => {
  it("test-failover promotes the replica; increase-replica-count with a per-shard configuration adds one", async () => {
    await createGroup(env.client, { ReplicationGroupId: "cli", NumCacheClusters: 2, AutomaticFailoverEnabled: true });
    const since = new Date();
    const failover = await awsCli(env.emulator.url, ["elasticache", "test-failover", "--replication-group-id", "cli", "--node-group-id", "0001"]);
    expect(failover.stderr).toBe("");
    expect(JSON.parse(failover.stdout).ReplicationGroup).toMatchObject({ ReplicationGroupId: "cli", Status: "available" });
    await waitForEvent(env.client, "cache-cluster", "cli-001", "Finished recovery for cache nodes 0001", since);
    expect(rolesOf(await describeGroup(env.client, "cli")).roles).toEqual({ "cli-001": "replica", "cli-002": "primary" });

    const again = await awsCli(env.emulator.url, ["elasticache", "test-failover", "--replication-group-id", "cli", "--node-group-id", "0009"]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/NodeGroupNotFoundFault/);

    const grow = await awsCli(env.emulator.url, [
      "elasticache",
      "increase-replica-count",
      "--replication-group-id",
      "cli",
      "--apply-immediately",
      "--replica-configuration",
      "NodeGroupId=0001,NewReplicaCount=2,PreferredAvailabilityZones=us-east-1a,us-east-1b,us-east-1c",
    ]);
    expect(grow.stderr).toBe("");
    expect(JSON.parse(grow.stdout).ReplicationGroup.Status).toBe("modifying");
    const grown = await waitForReplicationGroup(env.client, "cli");
    expect(grown.MemberClusters).toEqual(["cli-001", "cli-002", "cli-003"]);
  });
});

describe.skipIf(!HAS_BOTO3)("boto3", () => {
  it("raises the modelled exceptions of TestFailover and ModifyReplicationGroupShardConfiguration", async () => {
    await createGroup(env.client, { ReplicationGroupId: "py", NumCacheClusters: 2, AutomaticFailoverEnabled: false });
    const result = await boto3Script(
      env.emulator.url,
      "elasticache",
      `
out = {}
for name, call in [
    ("off", lambda: client.test_failover(ReplicationGroupId="py", NodeGroupId="0001")),
    ("missing", lambda: client.test_failover(ReplicationGroupId="nope", NodeGroupId="0001")),
    ("shards", lambda: client.modify_replication_group_shard_configuration(ReplicationGroupId="py", NodeGroupCount=2, ApplyImmediately=True)),
    ("noop", lambda: client.decrease_replica_count(ReplicationGroupId="py", NewReplicaCount=1, ApplyImmediately=True)),
]:
    try:
        call()
        out[name] = "no error"
    except client.exceptions.ClientError as error:
        out[name] = type(error).__name__
print(json.dumps(out))
`,
    );
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({
      off: "TestFailoverNotAvailableFault",
      missing: "ReplicationGroupNotFoundFault",
      shards: "InvalidParameterCombinationException",
      noop: "NoOperationFault",
    });
  });
});

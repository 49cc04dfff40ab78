import {
  InvalidParameterValueException,
  InvalidReplicationGroupStateFault,
  NodeGroupNotFoundFault,
  ReplicationGroupNotFoundFault,
  TestFailoverCommand,
  TestFailoverNotAvailableFault,
  CreateReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import { CloudWatchClient, GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { describe, expect, it } from "vitest";
import { replicationStatus } from "@/emulator/nodes/redis-admin";
import { waitFor } from "@/emulator/nodes/wait-for";
import { ContinuousWriter } from "@/tests/helpers/continuous-writer";
import { emulatorForFile } from "@/tests/helpers/emulator-for-file";
import { TEST_CREDENTIALS, waitForReplicationGroup } from "@/tests/helpers/emulator";
import { faultRequest } from "@/tests/helpers/faults";
import {
  cacheNodePort,
  clusterClient,
  createGroup,
  describeGroup,
  eventLog,
  everyKeyReadable,
  memberPort,
  missingKeys,
  rolesOf,
  waitForEvent,
  writeAcknowledged,
  writeClusterKeys,
} from "@/tests/helpers/replication-group";

// TestFailover against real nodes: the least-lagging replica is promoted, nothing acknowledged is lost, the old primary
// is replaced and rejoins as a replica, AWS's five events arrive in order, and every refusal has AWS's error code.

/** The bound on refused writes during a test failover documented in docs/emulator.md and docs/BENCHMARKS.md. */
const REFUSED_WRITES_BOUND_MS = 3_000;

// The CloudWatch collector samples every 200 ms here, so IsMaster's flip shows within the test.
const env = emulatorForFile({ settings: { timeScale: 0.002 }, metricsIntervalMs: 200 });

/** The latest IsMaster value of a member's node (1 on a primary), from GetMetricData over the last 2 s. */
async function isMaster(cacheClusterId: string): Promise<number | undefined> {
  const cloudwatch = new CloudWatchClient({ endpoint: env.emulator.url, region: "us-east-1", credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const dimensions = [
    { Name: "CacheClusterId", Value: cacheClusterId },
    { Name: "CacheNodeId", Value: "0001" },
  ];
  const { MetricDataResults } = await cloudwatch.send(
    new GetMetricDataCommand({
      StartTime: new Date(Date.now() - 2_000),
      EndTime: new Date(Date.now() + 1_000),
      MetricDataQueries: [{ Id: "m", MetricStat: { Metric: { Namespace: "AWS/ElastiCache", MetricName: "IsMaster", Dimensions: dimensions }, Period: 1, Stat: "Maximum" } }],
    }),
  );
  return MetricDataResults![0].Values?.[0];
}


const testFailover = (ReplicationGroupId: string, NodeGroupId: string) => env.client.send(new TestFailoverCommand({ ReplicationGroupId, NodeGroupId }));

describe("TestFailover, cluster mode disabled", () => {
  it("promotes the least-lagging replica, keeps every acknowledged write, replaces the old primary, and emits AWS's events in order", async () => {
    await createGroup(env.client, {
      ReplicationGroupId: "drill",
      NumCacheClusters: 3,
      PreferredCacheClusterAZs: ["us-east-1a", "us-east-1b", "us-east-1c"],
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
    });
    const before = await describeGroup(env.client, "drill");
    const oldPrimaryPort = rolesOf(before).primaryPort;
    const seeded = await writeAcknowledged(oldPrimaryPort, "seed", 200, 2);

    // drill-002 falls behind for real, so drill-003 is the one to promote.
    const slowed = await faultRequest<{ fault: { id: string } }>(env.emulator.url, "POST", "/slow-replication", { cacheClusterId: "drill-002", delayMs: 3_000 });
    expect(slowed.status).toBe(201);
    await withLag(oldPrimaryPort, memberPort(before, "drill-002"));

    await waitFor(async () => (await isMaster("drill-001")) === 1, { timeoutMs: 10_000, description: "IsMaster 1 on drill-001" });
    const writer = new ContinuousWriter(env.client, "drill");
    const since = new Date();
    const answer = await testFailover("drill", "1");
    expect(answer.ReplicationGroup).toMatchObject({ ReplicationGroupId: "drill", Status: "available" });

    const finished = "Finished recovery for cache nodes 0001";
    await waitForEvent(env.client, "cache-cluster", "drill-001", finished, since);
    const report = await writer.stop();

    const after = await describeGroup(env.client, "drill");
    expect(after.Status).toBe("available");
    expect(rolesOf(after).roles).toEqual({ "drill-001": "replica", "drill-002": "replica", "drill-003": "primary" });
    const newPrimaryPort = rolesOf(after).primaryPort;
    expect(newPrimaryPort).toBe(memberPort(before, "drill-003"));
    expect((await replicationStatus(newPrimaryPort)).role).toBe("master");
    await waitFor(async () => (await isMaster("drill-003")) === 1 && (await isMaster("drill-001")) === 0, {
      timeoutMs: 10_000,
      description: "IsMaster to flip in CloudWatch",
    });

    // The old primary came back (same endpoint) as a replica of the new one, with the data.
    expect(memberPort(after, "drill-001")).toBe(oldPrimaryPort);
    const rejoined = await replicationStatus(oldPrimaryPort);
    expect(rejoined).toMatchObject({ role: "slave", masterPort: newPrimaryPort, masterLinkStatus: "up" });
    expect(await missingKeys(newPrimaryPort, seeded)).toEqual([]);
    expect(await missingKeys(newPrimaryPort, report.acknowledged)).toEqual([]);
    expect(report.acknowledged.length).toBeGreaterThan(50);
    expect(report.longestRefusalMs).toBeLessThan(REFUSED_WRITES_BOUND_MS);
    console.info(`test failover: ${report.refusedWrites} refused writes, longest refusal ${report.longestRefusalMs} ms`);

    expect(await eventLog(env.client, [["replication-group", "drill"], ["cache-cluster", "drill-001"], ["cache-cluster", "drill-003"]], since)).toEqual([
      "drill: Test Failover API called for node group 0001",
      "drill-003: Failover from primary node drill-001 to replica node drill-003 completed",
      "drill: Failover from primary node drill-001 to replica node drill-003 completed",
      "drill-001: Recovering cache nodes 0001",
      "drill-001: Finished recovery for cache nodes 0001",
    ]);
    // The slowdown stays on drill-002, which now replicates (through the slowing proxy) from the new primary.
    const faults = await faultRequest<{ faults: Array<{ id: string; state: string }> }>(env.emulator.url, "GET", "");
    expect(faults.body.faults).toEqual([expect.objectContaining({ id: slowed.body.fault.id, state: "active" })]);
    await waitFor(
      async () => (await replicationStatus(newPrimaryPort)).replicas.some((r) => r.port === memberPort(before, "drill-002") && r.state === "online"),
      { timeoutMs: 15_000, description: "drill-002 to replicate from the new primary" },
    );
    expect((await replicationStatus(memberPort(before, "drill-002"))).masterPort).not.toBe(newPrimaryPort);
  });

  it("refuses a second test failover of the group until the first one's recovery finished", async () => {
    await createGroup(env.client, { ReplicationGroupId: "twice", NumCacheClusters: 2, AutomaticFailoverEnabled: true });
    const since = new Date();
    await testFailover("twice", "0001");
    await expect(testFailover("twice", "0001")).rejects.toBeInstanceOf(TestFailoverNotAvailableFault);
    await waitForEvent(env.client, "cache-cluster", "twice-001", "Finished recovery for cache nodes 0001", since);
    await testFailover("twice", "0001");
    await waitForEvent(env.client, "cache-cluster", "twice-002", "Finished recovery for cache nodes 0001", since);
    expect(rolesOf(await describeGroup(env.client, "twice")).roles).toEqual({ "twice-001": "primary", "twice-002": "replica" });
  });

  it("still fails over when the only replica cannot catch up: forced after 10 s, as AWS promotes whatever replica it has", async () => {
    const group = await createGroup(env.client, { ReplicationGroupId: "laggard", NumCacheClusters: 2, AutomaticFailoverEnabled: true });
    await faultRequest(env.emulator.url, "POST", "/slow-replication", { cacheClusterId: "laggard-002", delayMs: 60_000 });
    await writeAcknowledged(rolesOf(group).primaryPort, "late", 10, 0);
    const since = new Date();
    await testFailover("laggard", "0001");
    await waitForEvent(env.client, "replication-group", "laggard", "Failover from primary node laggard-001 to replica node laggard-002 completed", since, 40_000);
    expect(rolesOf(await describeGroup(env.client, "laggard")).roles).toEqual({ "laggard-001": "replica", "laggard-002": "primary" });
  });

  it("refuses with AWS's error codes", async () => {
    await createGroup(env.client, { ReplicationGroupId: "manual", NumCacheClusters: 2, AutomaticFailoverEnabled: false });
    await createGroup(env.client, { ReplicationGroupId: "single", NumCacheClusters: 1 });
    await expect(testFailover("nosuch", "0001")).rejects.toBeInstanceOf(ReplicationGroupNotFoundFault);
    await expect(testFailover("manual", "0002")).rejects.toBeInstanceOf(NodeGroupNotFoundFault);
    await expect(testFailover("manual", "0001")).rejects.toThrow(/Automatic failover is not enabled/);
    await expect(testFailover("manual", "0001")).rejects.toBeInstanceOf(TestFailoverNotAvailableFault);
    await expect(testFailover("single", "0001")).rejects.toBeInstanceOf(TestFailoverNotAvailableFault);
    await expect(testFailover("manual", "x1")).rejects.toBeInstanceOf(InvalidParameterValueException);

    await env.client.send(new CreateReplicationGroupCommand({ ReplicationGroupId: "young", ReplicationGroupDescription: "t", NumCacheClusters: 2, AutomaticFailoverEnabled: true }));
    await expect(testFailover("young", "0001")).rejects.toBeInstanceOf(InvalidReplicationGroupStateFault);
    await waitForReplicationGroup(env.client, "young");
  });
});

describe("TestFailover, cluster mode enabled", () => {
  it("fails over one shard with CLUSTER FAILOVER, keeps every key, and tests the next shard only after the first finished", async () => {
    const group = await createGroup(env.client, { ReplicationGroupId: "sharded", NumNodeGroups: 2, ReplicasPerNodeGroup: 1 });
    const cluster = clusterClient(group);
    try {
      const keys = await writeClusterKeys(cluster, "k", 300, 1);

      const since = new Date();
      await testFailover("sharded", "0002");
      await expect(testFailover("sharded", "0001")).rejects.toBeInstanceOf(TestFailoverNotAvailableFault);
      await waitForEvent(env.client, "cache-cluster", "sharded-0002-001", "Finished recovery for cache nodes 0001", since);
      expect(await eventLog(env.client, [["replication-group", "sharded"], ["cache-cluster", "sharded-0002-001"], ["cache-cluster", "sharded-0002-002"]], since)).toEqual([
        "sharded: Test Failover API called for node group 0002",
        "sharded-0002-002: Failover from primary node sharded-0002-001 to replica node sharded-0002-002 completed",
        "sharded: Failover from primary node sharded-0002-001 to replica node sharded-0002-002 completed",
        "sharded-0002-001: Recovering cache nodes 0001",
        "sharded-0002-001: Finished recovery for cache nodes 0001",
      ]);
      const promotedPort = await cacheNodePort(env.client, "sharded-0002-002");
      expect((await replicationStatus(promotedPort)).role).toBe("master");
      expect((await replicationStatus(await cacheNodePort(env.client, "sharded-0002-001"))).masterPort).toBe(promotedPort);

      await testFailover("sharded", "0001");
      expect((await describeGroup(env.client, "sharded")).Status).toBe("available");
      await everyKeyReadable(cluster, keys);
      await waitForEvent(env.client, "cache-cluster", "sharded-0001-001", "Finished recovery for cache nodes 0001", since);
    } finally {
      cluster.disconnect();
    }
  });
});

/** Waits until the primary reports the replica on `replicaPort` behind (its acknowledged offset lagging). */
async function withLag(primaryPort: number, replicaPort: number): Promise<void> {
  await writeAcknowledged(primaryPort, "lagging", 50, 1);
  await waitFor(
    async () => {
      const status = await replicationStatus(primaryPort);
      const replica = status.replicas.find((r) => r.port === replicaPort);
      return replica !== undefined && replica.lagBytes > 0;
    },
    { timeoutMs: 10_000, description: `replica ${replicaPort} to lag behind` },
  );
}

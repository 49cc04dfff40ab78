import {
  CreateCacheClusterCommand,
  CreateServerlessCacheCommand,
  DescribeCacheClustersCommand,
  DescribeServerlessCachesCommand,
} from "@aws-sdk/client-elasticache";
import { describe, expect, it } from "vitest";
import { ping as memcachedPing } from "@/emulator/nodes/memcached-admin";
import { ping, replicationStatus } from "@/emulator/nodes/redis-admin";
import { waitFor } from "@/emulator/nodes/wait-for";
import { emulatorForFile } from "@/tests/helpers/emulator-for-file";
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
  withRedis,
  writeAcknowledged,
  writeClusterKeys,
} from "@/tests/helpers/replication-group";

// Node deaths the emulator was not asked for: kill -9 of a primary (automatic failover, then the dead node replaced as
// a replica), a primary without failover (restarted empty), and an Availability Zone losing power for a while.

/** "Noticed within a few seconds": from kill -9 to the new primary in DescribeReplicationGroups. */
const FAILOVER_BOUND_MS = 5_000;

const env = emulatorForFile({ settings: { timeScale: 0.002 } });


function pidOf(cacheClusterId: string): number {
  return env.emulator.controlPlane.nodeProcess(env.emulator.controlPlane.nodeKey("us-east-1", cacheClusterId, "0001"))!.pid;
}

describe("automatic failover", () => {
  it("promotes the least-lagging replica within seconds of a kill -9 of the primary, then replaces the dead node as a replica", async () => {
    const before = await createGroup(env.client, { ReplicationGroupId: "auto", NumCacheClusters: 3, AutomaticFailoverEnabled: true, MultiAZEnabled: true });
    const oldPrimaryPort = rolesOf(before).primaryPort;
    const keys = await writeAcknowledged(oldPrimaryPort, "auto", 200, 2);
    const since = new Date();

    const killedAt = Date.now();
    process.kill(pidOf("auto-001"), "SIGKILL");
    const promoted = await waitFor(
      async () => {
        const { roles } = rolesOf(await describeGroup(env.client, "auto"));
        return roles["auto-001"] === "replica" && Object.keys(roles).find((id) => roles[id] === "primary");
      },
      { timeoutMs: 30_000, intervalMs: 50, description: "a replica to be promoted" },
    );
    const failoverMs = Date.now() - killedAt;
    console.info(`automatic failover: kill -9 → new primary in DescribeReplicationGroups after ${failoverMs} ms`);
    expect(failoverMs).toBeLessThan(FAILOVER_BOUND_MS);

    await waitForEvent(env.client, "cache-cluster", "auto-001", "Finished recovery for cache nodes 0001", since);
    const after = await describeGroup(env.client, "auto");
    const newPrimaryPort = rolesOf(after).primaryPort;
    expect(newPrimaryPort).toBe(memberPort(before, promoted));
    expect(await missingKeys(newPrimaryPort, keys)).toEqual([]);
    expect(memberPort(after, "auto-001")).toBe(oldPrimaryPort);
    expect(await replicationStatus(oldPrimaryPort)).toMatchObject({ role: "slave", masterPort: newPrimaryPort, masterLinkStatus: "up" });
    expect(await missingKeys(oldPrimaryPort, keys)).toEqual([]);
    expect(after.Status).toBe("available");

    expect(await eventLog(env.client, [["replication-group", "auto"], ["cache-cluster", "auto-001"], ["cache-cluster", promoted]], since)).toEqual([
      `${promoted}: Failover from primary node auto-001 to replica node ${promoted} completed`,
      `auto: Failover from primary node auto-001 to replica node ${promoted} completed`,
      "auto-001: Recovering cache nodes 0001",
      "auto-001: Finished recovery for cache nodes 0001",
    ]);
  });

  it("restarts a primary empty, on its endpoint, when automatic failover is off", async () => {
    const group = await createGroup(env.client, { ReplicationGroupId: "manual", NumCacheClusters: 2, AutomaticFailoverEnabled: false });
    const primaryPort = rolesOf(group).primaryPort;
    const keys = await writeAcknowledged(primaryPort, "lost", 20, 1);
    const since = new Date();
    process.kill(pidOf("manual-001"), "SIGKILL");
    await waitForEvent(env.client, "cache-cluster", "manual-001", "Finished recovery for cache nodes 0001", since);

    expect(rolesOf(await describeGroup(env.client, "manual")).roles).toEqual({ "manual-001": "primary", "manual-002": "replica" });
    expect((await replicationStatus(primaryPort)).role).toBe("master");
    expect(await withRedis(primaryPort, (r) => r.dbsize())).toBe(0);
    // The replica resynchronised from the empty primary: the data is gone, as on AWS without a failover.
    const replicaPort = memberPort(group, "manual-002");
    await waitFor(async () => (await missingKeys(replicaPort, keys)).length === keys.length, { description: "the replica to resync" });
  });
});

describe("nodes outside replication groups", () => {
  it("are replaced empty on their endpoint: a Memcached node with AWS's recovery events, a serverless cache's process at once", async () => {
    await env.client.send(new CreateCacheClusterCommand({ CacheClusterId: "lookups", Engine: "memcached", NumCacheNodes: 1 }));
    await env.client.send(new CreateServerlessCacheCommand({ ServerlessCacheName: "profiles", Engine: "valkey" }));
    const memcachedPort = await waitFor(
      async () => {
        const { CacheClusters } = await env.client.send(new DescribeCacheClustersCommand({ CacheClusterId: "lookups", ShowCacheNodeInfo: true }));
        return CacheClusters![0].CacheClusterStatus === "available" && CacheClusters![0].CacheNodes![0].Endpoint!.Port!;
      },
      { description: "lookups to be available" },
    );
    const serverlessPort = await waitFor(
      async () => {
        const { ServerlessCaches } = await env.client.send(new DescribeServerlessCachesCommand({ ServerlessCacheName: "profiles" }));
        return ServerlessCaches![0].Status === "AVAILABLE" && ServerlessCaches![0].Endpoint!.Port!;
      },
      { description: "profiles to be available" },
    );
    const since = new Date();
    for (const target of [{ cacheClusterId: "lookups" }, { serverlessCacheName: "profiles" }]) {
      expect((await faultRequest(env.emulator.url, "POST", "/kill-node", target)).status).toBe(200);
    }
    await waitForEvent(env.client, "cache-cluster", "lookups", "Finished recovery for cache nodes 0001", since);
    expect(await eventLog(env.client, [["cache-cluster", "lookups"]], since)).toEqual([
      "lookups: Recovering cache nodes 0001",
      "lookups: Finished recovery for cache nodes 0001",
    ]);
    expect(await memcachedPing(memcachedPort)).toBe(true);
    await waitFor(() => ping(serverlessPort), { description: "the serverless cache to answer again" });
  });
});

describe("an Availability Zone losing power", () => {
  it("fails over the primaries in the zone and replaces its nodes only once power is back", async () => {
    await createGroup(env.client, {
      ReplicationGroupId: "zoned",
      NumCacheClusters: 3,
      PreferredCacheClusterAZs: ["us-east-1a", "us-east-1b", "us-east-1c"],
      AutomaticFailoverEnabled: true,
    });
    const sharded = await createGroup(env.client, { ReplicationGroupId: "shardz", NumNodeGroups: 2, ReplicasPerNodeGroup: 1 });
    const cluster = clusterClient(sharded);
    try {
      const keys = await writeClusterKeys(cluster, "z", 200, 1);
      const zonedKeys = await writeAcknowledged(rolesOf(await describeGroup(env.client, "zoned")).primaryPort, "zoned", 100, 2);
      const outagePorts = [memberPort(await describeGroup(env.client, "zoned"), "zoned-001"), await cacheNodePort(env.client, "shardz-0001-001")];
      const since = new Date();

      const cut = await faultRequest<{ fault: { id: string; endsAt: string; affectedNodes: Array<{ cacheClusterId: string; role: string }> } }>(
        env.emulator.url,
        "POST",
        "/interrupt-az-power",
        { availabilityZone: "us-east-1a", durationSeconds: 4, replicationGroupIds: ["zoned", "shardz"] },
      );
      expect(cut.status).toBe(201);
      expect(cut.body.fault.affectedNodes).toEqual([
        { replicationGroupId: "zoned", cacheClusterId: "zoned-001", cacheNodeId: "0001", role: "primary" },
        { replicationGroupId: "shardz", cacheClusterId: "shardz-0001-001", cacheNodeId: "0001", role: "primary" },
      ]);

      // Both primaries in us-east-1a fail over while the zone is dark; their nodes stay down.
      await waitFor(
        async () => rolesOf(await describeGroup(env.client, "zoned")).roles["zoned-001"] === "replica",
        { timeoutMs: 15_000, description: "zoned to fail over" },
      );
      await waitForEvent(env.client, "replication-group", "shardz", "Failover from primary node shardz-0001-001 to replica node shardz-0001-002 completed", since, 15_000);
      const listed = await faultRequest<{ faults: Array<{ id: string }> }>(env.emulator.url, "GET", "");
      expect(listed.body.faults.map((f) => f.id)).toEqual([cut.body.fault.id]);
      for (const port of outagePorts) expect(await ping(port)).toBe(false);

      // Power back: the two nodes are replaced as replicas, after the outage ended, and no key was lost.
      const recovered = await waitForEvent(env.client, "cache-cluster", "zoned-001", "Finished recovery for cache nodes 0001", since, 30_000);
      await waitForEvent(env.client, "cache-cluster", "shardz-0001-001", "Finished recovery for cache nodes 0001", since, 30_000);
      const recovering = await waitForEvent(env.client, "cache-cluster", "zoned-001", "Recovering cache nodes 0001", since);
      expect(recovering.getTime()).toBeGreaterThanOrEqual(new Date(cut.body.fault.endsAt).getTime() - 5);
      expect(recovered.getTime()).toBeGreaterThan(recovering.getTime() - 1);
      const zoned = await describeGroup(env.client, "zoned");
      expect(await replicationStatus(outagePorts[0])).toMatchObject({ role: "slave", masterPort: rolesOf(zoned).primaryPort, masterLinkStatus: "up" });
      expect(await missingKeys(rolesOf(zoned).primaryPort, zonedKeys)).toEqual([]);
      expect(await replicationStatus(outagePorts[1])).toMatchObject({ role: "slave", masterPort: await cacheNodePort(env.client, "shardz-0001-002") });
      await everyKeyReadable(cluster, keys);
      const ended = await faultRequest<{ fault: { state: string } }>(env.emulator.url, "GET", `/${cut.body.fault.id}`);
      expect(ended.body.fault.state).toBe("ended");
    } finally {
      cluster.disconnect();
    }
  });
});

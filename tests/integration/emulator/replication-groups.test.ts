import {
  AddTagsToResourceCommand,
  CreateReplicationGroupCommand,
  DeleteReplicationGroupCommand,
  DescribeCacheClustersCommand,
  DescribeEventsCommand,
  DescribeReplicationGroupsCommand,
  InvalidParameterCombinationException,
  InvalidParameterValueException,
  InvalidReplicationGroupStateFault,
  ListTagsForResourceCommand,
  NodeQuotaForClusterExceededFault,
  ReplicationGroupAlreadyExistsFault,
  RemoveTagsFromResourceCommand,
  ReplicationGroupNotFoundFault,
  type ElastiCacheClient,
} from "@aws-sdk/client-elasticache";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NodeExit } from "@/emulator/elasticache/control-plane";
import { clusterInfo, clusterSlots } from "@/emulator/nodes/redis-cluster";
import { info, ping } from "@/emulator/nodes/redis-admin";
import { waitFor } from "@/emulator/nodes/wait-for";
import { elasticacheClient, startTestEmulator, waitForReplicationGroup, type TestEmulator } from "@/tests/helpers/emulator";
import { withRedis } from "@/tests/helpers/replication-group";

let emulator: TestEmulator;
let client: ElastiCacheClient;

beforeAll(async () => {
  emulator = await startTestEmulator();
  client = elasticacheClient(emulator.url);
});
afterAll(() => emulator?.dispose());

describe("a cluster-mode-disabled replication group", () => {
  it("is created with AWS's shape, becomes available once real replicas replicate, and reports its events and tags", async () => {
    const created = await client.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "Orders-Sessions",
        ReplicationGroupDescription: "checkout sessions",
        CacheNodeType: "cache.r7g.large",
        NumCacheClusters: 3,
        PreferredCacheClusterAZs: ["us-east-1a", "us-east-1b", "us-east-1c"],
        AutomaticFailoverEnabled: true,
        MultiAZEnabled: true,
        Tags: [{ Key: "team", Value: "checkout" }],
      }),
    );
    expect(created.ReplicationGroup).toMatchObject({
      ReplicationGroupId: "orders-sessions",
      Status: "creating",
      MemberClusters: ["orders-sessions-001", "orders-sessions-002", "orders-sessions-003"],
      AutomaticFailover: "enabled",
      MultiAZ: "enabled",
      ClusterEnabled: false,
      ClusterMode: "disabled",
      CacheNodeType: "cache.r7g.large",
      Engine: "redis",
      ARN: "arn:aws:elasticache:us-east-1:000000000000:replicationgroup:orders-sessions",
    });

    const group = await waitForReplicationGroup(client, "orders-sessions");
    const [shard] = group.NodeGroups!;
    expect(shard.Slots).toBeUndefined();
    expect(group.ConfigurationEndpoint).toBeUndefined();
    expect(shard.NodeGroupMembers!.map((m) => [m.CacheClusterId, m.CacheNodeId, m.CurrentRole, m.PreferredAvailabilityZone])).toEqual([
      ["orders-sessions-001", "0001", "primary", "us-east-1a"],
      ["orders-sessions-002", "0001", "replica", "us-east-1b"],
      ["orders-sessions-003", "0001", "replica", "us-east-1c"],
    ]);
    const [primary, ...replicas] = shard.NodeGroupMembers!.map((m) => m.ReadEndpoint!);
    expect(shard.PrimaryEndpoint).toEqual({ Address: "127.0.0.1", Port: primary.Port });
    expect(replicas.map((r) => r.Port)).toContain(shard.ReaderEndpoint!.Port);

    // The nodes are real: a write on the primary endpoint is read back from every replica endpoint.
    await withRedis(shard.PrimaryEndpoint!.Port!, async (r) => {
      await r.set("cart:42", "3 items");
      expect(await r.wait(2, 5000)).toBe(2);
    });
    for (const replica of replicas) {
      expect(await withRedis(replica.Port!, (r) => r.get("cart:42"))).toBe("3 items");
      expect((await info(replica.Port!, "replication")).role).toBe("slave");
    }
    // cache.r7g.large has 13.07 GiB; locally a 256th of it.
    expect(Number((await info(primary.Port!, "memory")).maxmemory)).toBe(Math.round((13.07 * 1024 ** 3) / 256));

    const members = await client.send(new DescribeCacheClustersCommand({ CacheClusterId: "orders-sessions-002", ShowCacheNodeInfo: true }));
    expect(members.CacheClusters![0]).toMatchObject({
      CacheClusterStatus: "available",
      ReplicationGroupId: "orders-sessions",
      NumCacheNodes: 1,
      PreferredAvailabilityZone: "us-east-1b",
      CacheNodes: [{ CacheNodeId: "0001", CacheNodeStatus: "available", Endpoint: replicas[0], CustomerAvailabilityZone: "us-east-1b" }],
    });

    const events = await client.send(new DescribeEventsCommand({ SourceIdentifier: "orders-sessions", SourceType: "replication-group" }));
    expect(events.Events!.map((e) => e.Message)).toEqual(["Replication group orders-sessions created"]);
    const memberEvents = await client.send(new DescribeEventsCommand({ SourceIdentifier: "orders-sessions-002", SourceType: "cache-cluster" }));
    expect(memberEvents.Events!.map((e) => e.Message)).toEqual(["Added cache node 0001 in Availability Zone us-east-1b", "Cache cluster created"]);

    const tags = await client.send(new ListTagsForResourceCommand({ ResourceName: group.ARN }));
    expect(tags.TagList).toEqual([{ Key: "team", Value: "checkout" }]);

    // As on AWS, tag changes on a replication group are replicated to its member clusters.
    const memberTags = async () =>
      Promise.all(group.MemberClusters!.map(async (id) => {
        const { TagList } = await client.send(new ListTagsForResourceCommand({ ResourceName: group.ARN!.replace(":replicationgroup:orders-sessions", `:cluster:${id}`) }));
        return TagList;
      }));
    await client.send(new AddTagsToResourceCommand({ ResourceName: group.ARN, Tags: [{ Key: "env", Value: "production" }] }));
    expect(await memberTags()).toEqual(Array(3).fill([{ Key: "team", Value: "checkout" }, { Key: "env", Value: "production" }]));
    const removed = await client.send(new RemoveTagsFromResourceCommand({ ResourceName: group.ARN, TagKeys: ["team"] }));
    expect(removed.TagList).toEqual([{ Key: "env", Value: "production" }]);
    expect(await memberTags()).toEqual(Array(3).fill([{ Key: "env", Value: "production" }]));
  });

  it("refuses deletion while creating, then deletes: processes stopped, records gone, events emitted", async () => {
    await client.send(new CreateReplicationGroupCommand({ ReplicationGroupId: "scratch", ReplicationGroupDescription: "tmp", NumCacheClusters: 2 }));
    await expect(client.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "scratch" }))).rejects.toBeInstanceOf(
      InvalidReplicationGroupStateFault,
    );
    const group = await waitForReplicationGroup(client, "scratch");
    const ports = group.NodeGroups![0].NodeGroupMembers!.map((m) => m.ReadEndpoint!.Port!);

    const deleting = await client.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "scratch" }));
    expect(deleting.ReplicationGroup!.Status).toBe("deleting");
    await waitFor(
      () =>
        client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "scratch" })).then(
          () => false,
          (error) => error instanceof ReplicationGroupNotFoundFault,
        ),
      { timeoutMs: 20_000, description: "scratch to be gone" },
    );
    for (const port of ports) expect(await ping(port)).toBe(false);
    await expect(client.send(new DescribeCacheClustersCommand({ CacheClusterId: "scratch-001" }))).rejects.toThrow(/CacheCluster not found/);
    const events = await client.send(new DescribeEventsCommand({ SourceIdentifier: "scratch", SourceType: "replication-group" }));
    expect(events.Events!.map((e) => e.Message)).toEqual(["Replication group scratch deleted", "Replication group scratch created"]);
  });
});

describe("a cluster-mode-enabled replication group", () => {
  it("is a real Redis Cluster: three shards of two nodes, slots 0–16383, a configuration endpoint", async () => {
    await client.send(
      new CreateReplicationGroupCommand({
        ReplicationGroupId: "catalog-cache",
        ReplicationGroupDescription: "catalog",
        Engine: "valkey",
        NumNodeGroups: 3,
        ReplicasPerNodeGroup: 1,
      }),
    );
    const group = await waitForReplicationGroup(client, "catalog-cache");
    expect(group).toMatchObject({ ClusterEnabled: true, ClusterMode: "enabled", AutomaticFailover: "enabled", Engine: "valkey" });
    expect(group.NodeGroups!.map((ng) => [ng.NodeGroupId, ng.Slots, ng.PrimaryEndpoint, ng.NodeGroupMembers!.map((m) => m.CacheClusterId)])).toEqual([
      ["0001", "0-5460", undefined, ["catalog-cache-0001-001", "catalog-cache-0001-002"]],
      ["0002", "5461-10921", undefined, ["catalog-cache-0002-001", "catalog-cache-0002-002"]],
      ["0003", "10922-16383", undefined, ["catalog-cache-0003-001", "catalog-cache-0003-002"]],
    ]);
    for (const member of group.NodeGroups!.flatMap((ng) => ng.NodeGroupMembers!)) {
      expect(member.CurrentRole).toBeUndefined();
      expect(member.ReadEndpoint).toBeUndefined();
    }

    const port = group.ConfigurationEndpoint!.Port!;
    expect((await clusterInfo(port)).cluster_state).toBe("ok");
    const slots = await clusterSlots(port);
    expect(slots.map((s) => [s.start, s.end, s.replicas.length])).toEqual([
      [0, 5460, 1],
      [5461, 10921, 1],
      [10922, 16383, 1],
    ]);
    const cluster = new Redis.Cluster([{ host: "127.0.0.1", port }]);
    try {
      for (let i = 0; i < 30; i++) await cluster.set(`sku:${i}`, String(i));
      expect(await cluster.get("sku:17")).toBe("17");
    } finally {
      cluster.disconnect();
    }
  });
});

describe("DescribeReplicationGroups paging", () => {
  it("returns every group once across pages of MaxRecords, and validates MaxRecords and Marker", async () => {
    const ids = Array.from({ length: 21 }, (_, i) => `page-${String(i).padStart(2, "0")}`);
    await Promise.all(ids.map((id) => client.send(new CreateReplicationGroupCommand({ ReplicationGroupId: id, ReplicationGroupDescription: "p" }))));
    const seen: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new DescribeReplicationGroupsCommand({ MaxRecords: 20, Marker: marker }));
      expect(page.ReplicationGroups!.length).toBeLessThanOrEqual(20);
      seen.push(...page.ReplicationGroups!.map((g) => g.ReplicationGroupId!));
      marker = page.Marker;
      pages++;
    } while (marker);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(seen).toEqual([...new Set(seen)].sort());
    expect(seen).toEqual(expect.arrayContaining(ids));

    await expect(client.send(new DescribeReplicationGroupsCommand({ MaxRecords: 19 }))).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(client.send(new DescribeReplicationGroupsCommand({ MaxRecords: 101 }))).rejects.toThrow(/MaxRecords must be between 20 and 100/);
    await expect(client.send(new DescribeReplicationGroupsCommand({ Marker: "forged" }))).rejects.toBeInstanceOf(InvalidParameterValueException);

    await Promise.all(ids.map((id) => waitForReplicationGroup(client, id)));
    await Promise.all(ids.map((id) => client.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: id }))));
  });
});

describe("CreateReplicationGroup refusals", () => {
  const create = (input: Partial<ConstructorParameters<typeof CreateReplicationGroupCommand>[0]>) =>
    client.send(new CreateReplicationGroupCommand({ ReplicationGroupId: "refused", ReplicationGroupDescription: "r", ...input }));

  it("maps each refusal to the SDK's exception class", async () => {
    await expect(create({ ReplicationGroupId: "orders-sessions" })).rejects.toBeInstanceOf(ReplicationGroupAlreadyExistsFault);
    await expect(create({ ReplicationGroupId: "9lives" })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(create({ ReplicationGroupId: "double--hyphen" })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(create({ NumCacheClusters: 7 })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(create({ CacheNodeType: "cache.x9.huge" })).rejects.toThrow(/Invalid CacheNodeType cache\.x9\.huge/);
    await expect(create({ Engine: "memcached" })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(create({ EngineVersion: "2.8" })).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(create({ AutomaticFailoverEnabled: true, NumCacheClusters: 1 })).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(create({ MultiAZEnabled: true, NumCacheClusters: 2 })).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(create({ NumNodeGroups: 2, AutomaticFailoverEnabled: false })).rejects.toBeInstanceOf(InvalidParameterCombinationException);
    await expect(create({ PreferredCacheClusterAZs: ["eu-west-1a"] })).rejects.toBeInstanceOf(InvalidParameterValueException);
    await expect(create({ NumNodeGroups: 46, ReplicasPerNodeGroup: 1 })).rejects.toBeInstanceOf(NodeQuotaForClusterExceededFault);
    await expect(create({ ReplicationGroupDescription: undefined })).rejects.toMatchObject({
      name: "MissingParameter",
      message: "The request must contain the parameter ReplicationGroupDescription",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it("answers unknown groups with ReplicationGroupNotFoundFault (404) and keeps regions apart", async () => {
    const missing = client.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "nope" }));
    await expect(missing).rejects.toBeInstanceOf(ReplicationGroupNotFoundFault);
    await expect(missing).rejects.toMatchObject({ $metadata: { httpStatusCode: 404 }, message: "Replication group nope not found." });
    await expect(client.send(new DeleteReplicationGroupCommand({ ReplicationGroupId: "nope" }))).rejects.toBeInstanceOf(ReplicationGroupNotFoundFault);
    const europe = elasticacheClient(emulator.url, "eu-west-1");
    await expect(europe.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: "orders-sessions" }))).rejects.toBeInstanceOf(
      ReplicationGroupNotFoundFault,
    );
    expect((await europe.send(new DescribeReplicationGroupsCommand({}))).ReplicationGroups).toEqual([]);
  });
});

describe("the control-plane API other parts of the emulator build on", () => {
  it("lists running nodes for metrics, and records a node that dies unasked and tells onNodeExit handlers", async () => {
    const cp = emulator.controlPlane;
    const exits: NodeExit[] = [];
    cp.onNodeExit((exit) => void exits.push(exit));
    const nodes = cp.listNodesForMetrics().filter((n) => n.replicationGroupId === "orders-sessions");
    expect(nodes.map((n) => [n.cacheClusterId, n.cacheNodeId, n.nodeGroupId, n.role, n.availabilityZone, n.engine, n.cacheNodeType])).toEqual([
      ["orders-sessions-001", "0001", "0001", "primary", "us-east-1a", "redis", "cache.r7g.large"],
      ["orders-sessions-002", "0001", "0001", "replica", "us-east-1b", "redis", "cache.r7g.large"],
      ["orders-sessions-003", "0001", "0001", "replica", "us-east-1c", "redis", "cache.r7g.large"],
    ]);
    expect(nodes[0]).toMatchObject({ region: "us-east-1", maxmemoryBytes: Math.round((13.07 * 1024 ** 3) / 256) });
    expect(await ping(nodes[2].port)).toBe(true);

    await cp.killNode(cp.nodeKey("us-east-1", "orders-sessions-003", "0001"));
    await waitFor(() => exits.length > 0, { timeoutMs: 5_000, description: "the exit to be reported" });
    expect(exits).toEqual([{ region: "us-east-1", cacheClusterId: "orders-sessions-003", cacheNodeId: "0001", code: null, signal: "SIGKILL" }]);
    expect(cp.regionState("us-east-1").cacheClusters["orders-sessions-003"].nodes[0].exitedAt).toEqual(expect.any(String));
    expect(cp.listNodesForMetrics().map((n) => n.cacheClusterId)).not.toContain("orders-sessions-003");
  });
});

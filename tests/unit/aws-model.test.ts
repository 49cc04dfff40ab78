import { describe, expect, it } from "vitest";
import type { ReplicationGroup } from "@aws-sdk/client-elasticache";
import { primaryOf, shardNodes, type CacheEvent } from "@/lib/aws/model";
import { memberRoles, readFailover, withRoleEvidence, type IsMasterReading } from "@/lib/aws/roles";
import { fromCacheCluster, fromEvent, fromReplicationGroup, withMembers } from "@/lib/aws/translate";

const disabledGroup: ReplicationGroup = {
  ReplicationGroupId: "orders",
  Status: "available",
  ClusterEnabled: false,
  MultiAZ: "enabled",
  AutomaticFailover: "enabled",
  MemberClusters: ["orders-001", "orders-002"],
  NodeGroups: [
    {
      NodeGroupId: "0001",
      Status: "available",
      PrimaryEndpoint: { Address: "orders.example", Port: 6379 },
      NodeGroupMembers: [
        { CacheClusterId: "orders-001", CacheNodeId: "0001", CurrentRole: "replica", PreferredAvailabilityZone: "us-east-1a", ReadEndpoint: { Address: "orders-001.example", Port: 6379 } },
        { CacheClusterId: "orders-002", CacheNodeId: "0001", CurrentRole: "primary", PreferredAvailabilityZone: "us-east-1b" },
      ],
    },
  ],
  PendingModifiedValues: { PrimaryClusterId: "orders-001" },
};

const clusterGroup: ReplicationGroup = {
  ReplicationGroupId: "catalog",
  Status: "available",
  ClusterEnabled: true,
  ConfigurationEndpoint: { Address: "catalog.example", Port: 6379 },
  MemberClusters: ["catalog-0001-001", "catalog-0001-002", "catalog-0001-003"],
  NodeGroups: [
    {
      NodeGroupId: "0001",
      Status: "available",
      Slots: "0-16383",
      NodeGroupMembers: ["catalog-0001-001", "catalog-0001-002", "catalog-0001-003"].map((id) => ({ CacheClusterId: id, CacheNodeId: "0001" })),
    },
  ],
};

const members = ["catalog-0001-001", "catalog-0001-002", "catalog-0001-003"];
const failover = (at: number, from: string, to: string): CacheEvent => ({
  at,
  sourceId: "catalog",
  sourceType: "replication-group",
  message: `Failover from primary node ${from} to replica node ${to} completed`,
});
const readings = (at: number, primary: string | null) => (id: string): IsMasterReading => ({ at, value: id === primary ? 1 : 0 });

describe("translating ElastiCache's answers", () => {
  it("turns a replication group into shards and nodes with AWS's roles, zones and endpoints", () => {
    const cache = fromReplicationGroup(disabledGroup);
    expect(cache).toMatchObject({ kind: "replication-group", id: "orders", clusterMode: false, multiAz: true, automaticFailover: "enabled", nodeCount: 2 });
    expect(cache.shards).toEqual([{ id: "0001", status: "available", slots: null, primaryEndpoint: { host: "orders.example", port: 6379 }, readerEndpoint: null }]);
    expect(shardNodes(cache, "0001").map((n) => [n.cacheClusterId, n.role, n.zone, n.status])).toEqual([
      ["orders-001", "replica", "us-east-1a", null],
      ["orders-002", "primary", "us-east-1b", null],
    ]);
    expect(cache.nodes[0].endpoint).toEqual({ host: "orders-001.example", port: 6379 });
    expect(cache.pending).toMatchObject({ names: ["PrimaryClusterId"], primaryClusterId: "orders-001" });
    expect(primaryOf(cache, "0001")?.cacheClusterId).toBe("orders-002");
  });

  it("joins the members' statuses, versions and pending node types, and counts members not yet in a shard", () => {
    const group = fromReplicationGroup({ ...disabledGroup, MemberClusters: [...disabledGroup.MemberClusters!, "orders-003"] });
    const clusters = [
      fromCacheCluster({ CacheClusterId: "orders-001", ReplicationGroupId: "orders", CacheClusterStatus: "available", EngineVersion: "7.1.0", CacheNodes: [{ CacheNodeId: "0001", CacheNodeStatus: "rebooting" }] }),
      fromCacheCluster({ CacheClusterId: "orders-002", ReplicationGroupId: "orders", CacheClusterStatus: "modifying", EngineVersion: "7.0.7", CacheNodes: [{ CacheNodeId: "0001", CacheNodeStatus: "available" }], PendingModifiedValues: { CacheNodeType: "cache.r7g.large" } }),
      fromCacheCluster({ CacheClusterId: "other-001", ReplicationGroupId: "other", CacheClusterStatus: "available" }),
    ];
    const joined = withMembers(group, clusters);
    // A node's own status while it is not available, else its one-node cluster's.
    expect(joined.nodes.map((n) => [n.cacheClusterId, n.shardId, n.status])).toEqual([
      ["orders-001", "0001", "rebooting"],
      ["orders-002", "0001", "modifying"],
      ["orders-003", null, null],
    ]);
    expect(joined).toMatchObject({ engineVersion: "7.1.0 / 7.0.7", nodeCount: 3, pending: { nodeTypes: ["cache.r7g.large"] } });
  });

  it("reads a Memcached cluster's nodes by their own status and zone", () => {
    const cache = fromCacheCluster({
      CacheClusterId: "pricing", Engine: "memcached", CacheClusterStatus: "modifying", NumCacheNodes: 3, PreferredAvailabilityZone: "Multiple",
      CacheNodes: [{ CacheNodeId: "0001", CacheNodeStatus: "available", CustomerAvailabilityZone: "eu-west-1a" }, { CacheNodeId: "0002", CacheNodeStatus: "creating", CustomerAvailabilityZone: "eu-west-1b" }],
      PendingModifiedValues: { NumCacheNodes: 3 },
    });
    expect(cache.nodes.map((n) => [n.nodeId, n.role, n.status, n.zone])).toEqual([["0001", "node", "available", "eu-west-1a"], ["0002", "node", "creating", "eu-west-1b"]]);
    expect(cache).toMatchObject({ nodeCount: 3, replicationGroupId: null, pending: { nodeCount: 3, names: ["NumCacheNodes"] } });
  });

  it("turns an event into epoch milliseconds and plain strings", () => {
    expect(fromEvent({ SourceIdentifier: "orders", SourceType: "replication-group", Date: new Date(5_000), Message: "Automatic failover enabled" })).toEqual({
      at: 5_000, sourceId: "orders", sourceType: "replication-group", message: "Automatic failover enabled",
    });
  });
});

describe("the role rule", () => {
  it("cluster mode disabled: AWS's CurrentRole, whatever the metrics say", () => {
    const reported = new Map([["a", "primary"], ["b", "replica"], ["c", "bogus"]]);
    expect(memberRoles(false, ["a", "b", "c"], { reported, isMaster: readings(10, "b") })).toEqual(["primary", "replica", "unknown"]);
  });

  it("cluster mode enabled without evidence: unknown", () => {
    expect(fromReplicationGroup(clusterGroup).nodes.map((n) => n.role)).toEqual(["unknown", "unknown", "unknown"]);
    expect(memberRoles(true, members, {})).toEqual(["unknown", "unknown", "unknown"]);
  });

  it("cluster mode enabled: IsMaster names the primary, and every other member is a replica", () => {
    expect(memberRoles(true, members, { isMaster: readings(60_000, "catalog-0001-002") })).toEqual(["replica", "primary", "replica"]);
  });

  it("cluster mode enabled: a failover event newer than the IsMaster points wins", () => {
    const evidence = { isMaster: readings(60_000, "catalog-0001-001"), events: [failover(30_000, "catalog-0001-003", "catalog-0001-001"), failover(90_000, "catalog-0001-001", "catalog-0001-003")] };
    expect(memberRoles(true, members, evidence)).toEqual(["replica", "replica", "primary"]);
  });

  it("cluster mode enabled: IsMaster points newer than the last failover win", () => {
    const evidence = { isMaster: readings(120_000, "catalog-0001-002"), events: [failover(90_000, "catalog-0001-001", "catalog-0001-003")] };
    expect(memberRoles(true, members, evidence)).toEqual(["replica", "primary", "replica"]);
  });

  it("cluster mode enabled: points that straddle a failover (none or two read primary) leave the roles open", () => {
    expect(memberRoles(true, members, { isMaster: readings(60_000, null) })).toEqual(["unknown", "unknown", "unknown"]);
    const two = (id: string) => ({ at: 60_000, value: id === "catalog-0001-003" ? 0 : 1 });
    expect(memberRoles(true, members, { isMaster: two })).toEqual(["unknown", "unknown", "unknown"]);
  });

  it("ignores failovers of another shard's members", () => {
    expect(memberRoles(true, members, { events: [failover(1, "x-0002-001", "x-0002-002")] })).toEqual(["unknown", "unknown", "unknown"]);
  });

  it("applies the rule per shard of a cluster-mode cache and leaves a cluster-mode-disabled one as AWS said", () => {
    const decided = withRoleEvidence(fromReplicationGroup(clusterGroup), { events: [failover(1, "catalog-0001-001", "catalog-0001-002")] });
    expect(decided.nodes.map((n) => n.role)).toEqual(["replica", "primary", "replica"]);
    const orders = fromReplicationGroup(disabledGroup);
    expect(withRoleEvidence(orders, { isMaster: readings(1, "orders-001") })).toBe(orders);
  });

  it("reads AWS's failover wordings", () => {
    expect(readFailover("Failover from primary node a-001 to replica node a-002 completed")).toEqual({ from: "a-001", to: "a-002" });
    expect(readFailover("Failover from a-001 to a-002 completed")).toEqual({ from: "a-001", to: "a-002" });
    expect(readFailover("Test Failover API called for node group 0001")).toBeNull();
  });
});

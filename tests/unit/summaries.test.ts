import { describe, expect, it } from "vitest";
import type { CacheCluster, ReplicationGroup } from "@aws-sdk/client-elasticache";
import { fromCacheCluster, fromReplicationGroup, fromServerlessCache, withMembers } from "@/lib/aws/translate";
import { summarizeNodeCache, summarizeServerless } from "@/lib/data/summaries";
import { at } from "../helpers/place";

const summarizeReplicationGroup = (group: ReplicationGroup, members: CacheCluster[], region: string) =>
  summarizeNodeCache(withMembers(fromReplicationGroup(group), members.map(fromCacheCluster)), at(region));

const member = (id: string, zone: string, extra: Partial<CacheCluster> = {}): CacheCluster => ({
  CacheClusterId: id, ReplicationGroupId: "catalog", Engine: "valkey", EngineVersion: "8.0.1", CacheNodeType: "cache.m7g.large",
  CacheClusterStatus: "available", PreferredAvailabilityZone: zone, ...extra,
});

describe("fleet row summaries", () => {
  it("describes a resharding cluster-mode group: shape, zones, and what is under way", () => {
    const group: ReplicationGroup = {
      ReplicationGroupId: "catalog", Status: "modifying", Engine: "valkey", ClusterEnabled: true, CacheNodeType: "cache.m7g.large",
      MemberClusters: ["catalog-0001-001", "catalog-0001-002", "catalog-0002-001", "catalog-0002-002"],
      NodeGroups: [
        { NodeGroupId: "0001", Status: "available", Slots: "0-8191", NodeGroupMembers: [{ CacheClusterId: "catalog-0001-001", PreferredAvailabilityZone: "us-east-1a" }, { CacheClusterId: "catalog-0001-002", PreferredAvailabilityZone: "us-east-1b" }] },
        { NodeGroupId: "0002", Status: "modifying", Slots: "8192-16383", NodeGroupMembers: [{ CacheClusterId: "catalog-0002-001", PreferredAvailabilityZone: "us-east-1b" }, { CacheClusterId: "catalog-0002-002", PreferredAvailabilityZone: "us-east-1c" }] },
      ],
      PendingModifiedValues: { Resharding: { SlotMigration: { ProgressPercentage: 42.4 } } },
    };
    const members = [
      member("catalog-0001-001", "us-east-1a"),
      member("catalog-0001-002", "us-east-1b", { PendingModifiedValues: { CacheNodeType: "cache.r7g.large" } }),
      member("catalog-0002-001", "us-east-1b", { CacheClusterStatus: "modifying" }),
      member("catalog-0002-002", "us-east-1c"),
      member("other-001", "us-east-1a", { ReplicationGroupId: "other" }),
    ];
    const { summary, plan } = summarizeReplicationGroup(group, members, "us-east-1");
    expect(summary).toMatchObject({
      clusterMode: "enabled", shards: 2, nodes: 4, engineVersion: "8.0.1", status: "modifying", reshardingPercent: 42.4,
      zones: [{ zone: "us-east-1a", nodes: 1 }, { zone: "us-east-1b", nodes: 2 }, { zone: "us-east-1c", nodes: 1 }],
      activity: ["Resharding: 42% of slots moved", "Shard 0002 modifying", "Node type change to cache.r7g.large pending", "catalog-0002-001 modifying"],
    });
    expect(plan.sources).toHaveLength(4);
  });

  it("names an engine upgrade under way from the members still waiting for their new engine", () => {
    const group: ReplicationGroup = { ReplicationGroupId: "flags", Status: "modifying", Engine: "redis", MemberClusters: ["flags-001", "flags-002"] };
    const members = [
      member("flags-001", "us-east-1a", { ReplicationGroupId: "flags", Engine: "redis", EngineVersion: "6.2", PendingModifiedValues: { EngineVersion: "8.0" } }),
      member("flags-002", "us-east-1b", { ReplicationGroupId: "flags", Engine: "valkey", EngineVersion: "8.0" }),
    ];
    const { summary } = summarizeReplicationGroup(group, members, "us-east-1");
    expect(summary).toMatchObject({ engineVersion: "6.2 / 8.0", activity: ["Engine upgrade to 8.0 under way"] });
  });

  it("names a failover in progress by the primary it moves to", () => {
    const { summary } = summarizeReplicationGroup({ ReplicationGroupId: "orders", Status: "available", PendingModifiedValues: { PrimaryClusterId: "orders-002" } }, [], "us-east-1");
    expect(summary.activity).toEqual(["Primary moving to orders-002"]);
  });

  it("spreads a Memcached cluster's nodes over their zones and reads its health per node", () => {
    const { summary, plan } = summarizeNodeCache(fromCacheCluster({
      CacheClusterId: "pricing", Engine: "memcached", EngineVersion: "1.6.22", NumCacheNodes: 2, CacheClusterStatus: "available", PreferredAvailabilityZone: "Multiple",
      CacheNodes: [{ CacheNodeId: "0001", CustomerAvailabilityZone: "eu-west-1a", CacheNodeStatus: "available" }, { CacheNodeId: "0002", CustomerAvailabilityZone: "eu-west-1b", CacheNodeStatus: "rebooting" }],
    }), at("eu-west-1"));
    expect(summary).toMatchObject({ clusterMode: null, shards: null, nodes: 2, activity: ["Node 0002 rebooting"], zones: [{ zone: "eu-west-1a", nodes: 1 }, { zone: "eu-west-1b", nodes: 1 }] });
    expect(plan.sources.map((s) => s.dimensions)).toEqual([{ CacheClusterId: "pricing", CacheNodeId: "0001" }, { CacheClusterId: "pricing", CacheNodeId: "0002" }]);
  });

  it("reads a serverless cache's status in lower case and its data limit in bytes", () => {
    const { summary, plan } = summarizeServerless(fromServerlessCache({ ServerlessCacheName: "profiles", Status: "AVAILABLE", Engine: "valkey", MajorEngineVersion: "8", CacheUsageLimits: { DataStorage: { Maximum: 10, Unit: "GB" } } }), at("eu-west-1"));
    expect(summary).toMatchObject({ status: "available", nodeType: null, href: "/serverless/eu-west-1/profiles" });
    expect(plan.memoryLimitBytes).toBe(10e9);
  });
});

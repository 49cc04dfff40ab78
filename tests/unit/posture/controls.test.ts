import { describe, expect, it } from "vitest";
import type { CacheCluster, ReplicationGroup, ServerlessCache } from "@aws-sdk/client-elasticache";
import type { Cache } from "@/lib/aws/model";
import { fromCacheCluster, fromReplicationGroup, fromServerlessCache, withMembers } from "@/lib/aws/translate";
import { evaluateControls, findingsOf, type ControlId, type Outcome } from "@/lib/posture/controls";

// Each control judged from SDK-shaped describes through lib/aws's translation, as the watcher sees them.

function member(id: string, group: string, zone: string, extra: Partial<CacheCluster> = {}): CacheCluster {
  return {
    CacheClusterId: id, ReplicationGroupId: group, Engine: "redis", EngineVersion: "7.1.0", CacheClusterStatus: "available", NumCacheNodes: 1,
    PreferredAvailabilityZone: zone, CacheSubnetGroupName: "app-private", AutoMinorVersionUpgrade: true, ...extra,
  };
}

function group(extra: Partial<ReplicationGroup> = {}, members: CacheCluster[] = [member("g-001", "g", "us-east-1a"), member("g-002", "g", "us-east-1b")]): Cache {
  const rg: ReplicationGroup = {
    ReplicationGroupId: "g", Status: "available", Engine: "redis", MultiAZ: "enabled", AutomaticFailover: "enabled", ClusterEnabled: false,
    MemberClusters: members.map((m) => m.CacheClusterId!),
    NodeGroups: [{ NodeGroupId: "0001", Status: "available", NodeGroupMembers: members.map((m) => ({ CacheClusterId: m.CacheClusterId, CacheNodeId: "0001", PreferredAvailabilityZone: m.PreferredAvailabilityZone })) }],
    SnapshotRetentionLimit: 1, AtRestEncryptionEnabled: true, TransitEncryptionEnabled: true, AuthTokenEnabled: true, AutoMinorVersionUpgrade: true,
    ...extra,
  };
  return withMembers(fromReplicationGroup(rg), members.map(fromCacheCluster));
}

const outcomes = (cache: Cache) => Object.fromEntries(evaluateControls(cache).map((r) => [r.id, r.outcome])) as Record<ControlId, Outcome>;

describe("controls on a replication group", () => {
  it("a well-configured group passes every control that applies (ElastiCache.6 only applies before Redis OSS 6)", () => {
    expect(outcomes(group())).toEqual({
      "ElastiCache.1": "pass", "ElastiCache.2": "pass", "ElastiCache.3": "pass", "ElastiCache.4": "pass", "ElastiCache.5": "pass",
      "ElastiCache.6": "not-applicable", "ElastiCache.7": "pass", "WA.multi-az": "pass", "WA.two-azs": "pass",
    });
    expect(findingsOf(evaluateControls(group()))).toEqual([]);
  });

  it("each setting off fails its own control, with high severity first among the findings", () => {
    const bare = group(
      { SnapshotRetentionLimit: 0, AtRestEncryptionEnabled: false, TransitEncryptionEnabled: false, AuthTokenEnabled: false, AutomaticFailover: "disabled", MultiAZ: "disabled", AutoMinorVersionUpgrade: undefined },
      [member("g-001", "g", "us-east-1a", { CacheSubnetGroupName: "default", AutoMinorVersionUpgrade: false }), member("g-002", "g", "us-east-1a", { CacheSubnetGroupName: "default", AutoMinorVersionUpgrade: false })],
    );
    expect(outcomes(bare)).toEqual({
      "ElastiCache.1": "fail", "ElastiCache.2": "fail", "ElastiCache.3": "fail", "ElastiCache.4": "fail", "ElastiCache.5": "fail",
      "ElastiCache.6": "not-applicable", "ElastiCache.7": "fail", "WA.multi-az": "fail", "WA.two-azs": "fail",
    });
    const findings = findingsOf(evaluateControls(bare));
    expect(findings.map((f) => f.severity)).toEqual(["high", "high", "high", "medium", "medium", "medium", "medium", "medium"]);
    expect(findings.slice(0, 3).map((f) => f.id)).toEqual(["ElastiCache.1", "ElastiCache.2", "ElastiCache.7"]);
  });

  it("ElastiCache.6: Redis OSS 5 without AUTH fails, with a token passes; Valkey is not judged", () => {
    const old = (auth: boolean) => group({ AuthTokenEnabled: auth }, [member("g-001", "g", "us-east-1a", { EngineVersion: "5.0.6" }), member("g-002", "g", "us-east-1b", { EngineVersion: "5.0.6" })]);
    expect(outcomes(old(false))["ElastiCache.6"]).toBe("fail");
    expect(outcomes(old(true))["ElastiCache.6"]).toBe("pass");
    expect(outcomes(group({ Engine: "valkey" }))["ElastiCache.6"]).toBe("not-applicable");
  });

  it("the subnet group comes from the members; one member in the default group fails ElastiCache.7", () => {
    const mixed = group({}, [member("g-001", "g", "us-east-1a"), member("g-002", "g", "us-east-1b", { CacheSubnetGroupName: "default" })]);
    expect(mixed.settings.subnetGroups).toEqual(["app-private", "default"]);
    expect(outcomes(mixed)["ElastiCache.7"]).toBe("fail");
  });

  it("what AWS did not report is 'unknown', never a pass or a finding", () => {
    const unread = withMembers(fromReplicationGroup({ ReplicationGroupId: "g", Status: "available", Engine: "redis", NodeGroups: [] }), []);
    const o = outcomes(unread);
    expect([o["ElastiCache.1"], o["ElastiCache.2"], o["ElastiCache.3"], o["ElastiCache.7"], o["WA.two-azs"]]).toEqual(["unknown", "unknown", "unknown", "unknown", "unknown"]);
  });
});

describe("controls on cache clusters and serverless caches", () => {
  it("a standalone Redis OSS cluster: backups, minor upgrades and subnet group apply; group-only controls do not; one node fails Multi-AZ", () => {
    const standalone = fromCacheCluster({
      CacheClusterId: "flags", Engine: "redis", EngineVersion: "6.2.6", NumCacheNodes: 1, PreferredAvailabilityZone: "eu-west-1b", CacheSubnetGroupName: "default",
      SnapshotRetentionLimit: 0, AutoMinorVersionUpgrade: true, CacheNodes: [{ CacheNodeId: "0001", CustomerAvailabilityZone: "eu-west-1b" }],
    });
    expect(outcomes(standalone)).toEqual({
      "ElastiCache.1": "fail", "ElastiCache.2": "pass", "ElastiCache.3": "not-applicable", "ElastiCache.4": "not-applicable", "ElastiCache.5": "not-applicable",
      "ElastiCache.6": "not-applicable", "ElastiCache.7": "fail", "WA.multi-az": "fail", "WA.two-azs": "fail",
    });
  });

  it("Memcached: no backups to judge, no replication; its nodes' spread over AZs is", () => {
    const memcached = (zones: string[]) =>
      fromCacheCluster({
        CacheClusterId: "prices", Engine: "memcached", EngineVersion: "1.6.22", NumCacheNodes: zones.length, CacheSubnetGroupName: "app-private", AutoMinorVersionUpgrade: true,
        CacheNodes: zones.map((z, i) => ({ CacheNodeId: `000${i + 1}`, CustomerAvailabilityZone: z })),
      });
    expect(outcomes(memcached(["eu-west-1a", "eu-west-1b"]))).toEqual({
      "ElastiCache.1": "not-applicable", "ElastiCache.2": "pass", "ElastiCache.3": "not-applicable", "ElastiCache.4": "not-applicable", "ElastiCache.5": "not-applicable",
      "ElastiCache.6": "not-applicable", "ElastiCache.7": "pass", "WA.multi-az": "not-applicable", "WA.two-azs": "pass",
    });
    expect(outcomes(memcached(["eu-west-1a", "eu-west-1a"]))["WA.two-azs"]).toBe("fail");
  });

  it("a serverless cache: every control not applicable, with the reason", () => {
    const serverless = fromServerlessCache({ ServerlessCacheName: "profiles", Engine: "valkey", MajorEngineVersion: "8", Status: "available" } satisfies ServerlessCache);
    const results = evaluateControls(serverless);
    expect(new Set(results.map((r) => r.outcome))).toEqual(new Set(["not-applicable"]));
    expect(results[0].detail).toMatch(/encrypted at rest and in transit/);
  });
});

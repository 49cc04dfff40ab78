import { describe, expect, it } from "vitest";
import { ApiError } from "@/emulator/server/api-error";
import { planClusterModeDisabled, planClusterModeEnabled, wantsClusterMode } from "@/emulator/elasticache/api/topology";

const base = { region: "eu-west-1", replicationGroupId: "orders" };

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("expected an ApiError");
}

describe("cluster mode disabled layout", () => {
  it("names members <rg>-001… with the primary first, spread over the region's zones", () => {
    const shard = planClusterModeDisabled({ ...base, numCacheClusters: 4 });
    expect(shard.nodeGroupId).toBe("0001");
    expect(shard.members).toEqual([
      { cacheClusterId: "orders-001", role: "primary", availabilityZone: "eu-west-1a" },
      { cacheClusterId: "orders-002", role: "replica", availabilityZone: "eu-west-1b" },
      { cacheClusterId: "orders-003", role: "replica", availabilityZone: "eu-west-1c" },
      { cacheClusterId: "orders-004", role: "replica", availabilityZone: "eu-west-1a" },
    ]);
  });

  it("takes the count from PreferredCacheClusterAZs, ReplicasPerNodeGroup or NodeGroupConfiguration", () => {
    expect(planClusterModeDisabled({ ...base, preferredCacheClusterAZs: ["eu-west-1c", "eu-west-1a"] }).members.map((m) => m.availabilityZone)).toEqual([
      "eu-west-1c",
      "eu-west-1a",
    ]);
    expect(planClusterModeDisabled({ ...base, replicasPerNodeGroup: 2 }).members).toHaveLength(3);
    const shard = planClusterModeDisabled({
      ...base,
      nodeGroupConfiguration: [{ ReplicaCount: 1, PrimaryAvailabilityZone: "eu-west-1b", ReplicaAvailabilityZones: ["eu-west-1c"] }],
    });
    expect(shard.members.map((m) => [m.role, m.availabilityZone])).toEqual([
      ["primary", "eu-west-1b"],
      ["replica", "eu-west-1c"],
    ]);
    expect(planClusterModeDisabled(base).members).toHaveLength(1);
  });

  it("refuses counts, zones and combinations AWS refuses", () => {
    expect(codeOf(() => planClusterModeDisabled({ ...base, numCacheClusters: 7 }))).toMatch(/^InvalidParameterValue: NumCacheClusters must be between 1 and 6/);
    expect(codeOf(() => planClusterModeDisabled({ ...base, numCacheClusters: 2, preferredCacheClusterAZs: ["eu-west-1a"] }))).toMatch(
      /^InvalidParameterCombination: PreferredCacheClusterAZs lists 1 zones/,
    );
    expect(codeOf(() => planClusterModeDisabled({ ...base, numCacheClusters: 1, preferredCacheClusterAZs: ["us-east-1a"] }))).toMatch(
      /^InvalidParameterValue: Invalid availability zone us-east-1a for region eu-west-1/,
    );
    expect(codeOf(() => planClusterModeDisabled({ ...base, numCacheClusters: 2, replicasPerNodeGroup: 1 }))).toMatch(/^InvalidParameterCombination/);
  });
});

describe("cluster mode enabled layout", () => {
  it("names members <rg>-<shard>-<n>, spreads slots evenly and staggers zones so primaries differ", () => {
    const shards = planClusterModeEnabled({ ...base, numNodeGroups: 3, replicasPerNodeGroup: 1 });
    expect(shards.map((s) => [s.nodeGroupId, s.slots])).toEqual([
      ["0001", "0-5460"],
      ["0002", "5461-10921"],
      ["0003", "10922-16383"],
    ]);
    expect(shards.map((s) => s.members.map((m) => `${m.cacheClusterId}:${m.role}:${m.availabilityZone}`))).toEqual([
      ["orders-0001-001:primary:eu-west-1a", "orders-0001-002:replica:eu-west-1b"],
      ["orders-0002-001:primary:eu-west-1b", "orders-0002-002:replica:eu-west-1c"],
      ["orders-0003-001:primary:eu-west-1c", "orders-0003-002:replica:eu-west-1a"],
    ]);
  });

  it("follows NodeGroupConfiguration: ids, replica counts, zones and the even slot split", () => {
    const shards = planClusterModeEnabled({
      ...base,
      nodeGroupConfiguration: [
        { NodeGroupId: "7", ReplicaCount: 0, Slots: "0-8191" },
        { NodeGroupId: "0009", ReplicaCount: 2, Slots: "8192-16383", PrimaryAvailabilityZone: "eu-west-1c" },
      ],
    });
    expect(shards.map((s) => [s.nodeGroupId, s.members.length, s.members[0].availabilityZone])).toEqual([
      ["0007", 1, "eu-west-1a"],
      ["0009", 3, "eu-west-1c"],
    ]);
    expect(codeOf(() => planClusterModeEnabled({ ...base, nodeGroupConfiguration: [{ Slots: "0-100" }, { Slots: "101-16383" }] }))).toMatch(
      /^InvalidParameterValue: Invalid Slots "0-100"/,
    );
  });

  it("enforces the replica range and the node quotas", () => {
    expect(codeOf(() => planClusterModeEnabled({ ...base, numNodeGroups: 2, replicasPerNodeGroup: 6 }))).toMatch(/^InvalidParameterValue: ReplicasPerNodeGroup/);
    expect(codeOf(() => planClusterModeEnabled({ ...base, numNodeGroups: 46, replicasPerNodeGroup: 1 }))).toMatch(/^NodeQuotaForClusterExceeded/);
    expect(codeOf(() => planClusterModeEnabled({ ...base, numNodeGroups: 501 }))).toMatch(/^NodeGroupsPerReplicationGroupQuotaExceeded/);
    expect(codeOf(() => planClusterModeEnabled({ ...base, numNodeGroups: 2, nodeGroupConfiguration: [{}] }))).toMatch(/^InvalidParameterCombination/);
  });

  it("is chosen by ClusterMode, a cluster parameter group, or more than one shard", () => {
    expect(wantsClusterMode({ ...base, numNodeGroups: 1 })).toBe(false);
    expect(wantsClusterMode({ ...base, numNodeGroups: 2 })).toBe(true);
    expect(wantsClusterMode(base, "enabled")).toBe(true);
    expect(wantsClusterMode(base, undefined, true)).toBe(true);
  });
});

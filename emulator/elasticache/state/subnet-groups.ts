import { createHash } from "node:crypto";
import { DEFAULT_SUBNET_GROUP, settingsOf } from "./cache-settings";
import type { CacheSubnetGroupRecord, RegionState } from "./model";
import { availabilityZones } from "./zones";

// Cache subnet groups are state: no network is made. As on AWS every region has a "default" group (the default VPC's
// subnets, one per zone); created groups name subnets the emulator cannot look up, so each subnet is placed in one
// of the region's simulated zones by a hash of its id — the same subnet always lands in the same zone.

/** A stable hex id of `length` digits for a name, so fake VPC and subnet ids look like AWS's and never change. */
function hexId(seed: string, length: number): string {
  return createHash("sha1").update(seed).digest("hex").slice(0, length);
}

export function defaultVpcId(region: string): string {
  return `vpc-${hexId(`default-vpc/${region}`, 17)}`;
}

export function defaultSubnetGroup(region: string): CacheSubnetGroupRecord {
  return {
    cacheSubnetGroupName: DEFAULT_SUBNET_GROUP,
    description: "default",
    vpcId: defaultVpcId(region),
    subnetIds: availabilityZones(region).map((zone) => `subnet-${hexId(`default-subnet/${zone}`, 17)}`),
  };
}

/** The zone of a subnet: for the default group its own zone, for any other subnet one chosen by its id. */
export function subnetZone(region: string, subnetId: string): string {
  const zones = availabilityZones(region);
  const own = defaultSubnetGroup(region).subnetIds.indexOf(subnetId);
  if (own >= 0) return zones[own];
  return zones[parseInt(hexId(subnetId, 8), 16) % zones.length];
}

export function findSubnetGroup(state: RegionState, region: string, name: string): CacheSubnetGroupRecord | undefined {
  if (name === DEFAULT_SUBNET_GROUP) return defaultSubnetGroup(region);
  return Object.hasOwn(state.cacheSubnetGroups, name) ? state.cacheSubnetGroups[name] : undefined;
}

/** Every subnet group of the region, the default one included, by name. */
export function allSubnetGroups(state: RegionState, region: string): CacheSubnetGroupRecord[] {
  return [defaultSubnetGroup(region), ...Object.values(state.cacheSubnetGroups)].sort((a, b) =>
    a.cacheSubnetGroupName < b.cacheSubnetGroupName ? -1 : 1,
  );
}

/** The caches (cluster ids) placed in the subnet group; a group in use cannot be deleted. */
export function subnetGroupUsers(state: RegionState, name: string): string[] {
  return Object.values(state.cacheClusters)
    .filter((c) => settingsOf(c).cacheSubnetGroupName === name)
    .map((c) => c.cacheClusterId);
}

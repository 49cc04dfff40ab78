import type { CacheSubnetGroupRecord } from "../state/model";
import { subnetZone } from "../state/subnet-groups";

export function renderCacheSubnetGroup(account: string, region: string, group: CacheSubnetGroupRecord): Record<string, unknown> {
  return {
    CacheSubnetGroupName: group.cacheSubnetGroupName,
    CacheSubnetGroupDescription: group.description,
    VpcId: group.vpcId,
    Subnets: group.subnetIds.map((id) => ({
      SubnetIdentifier: id,
      SubnetAvailabilityZone: { Name: subnetZone(region, id) },
      SupportedNetworkTypes: ["ipv4"],
    })),
    ARN: `arn:aws:elasticache:${region}:${account}:subnetgroup:${group.cacheSubnetGroupName}`,
    SupportedNetworkTypes: ["ipv4"],
  };
}

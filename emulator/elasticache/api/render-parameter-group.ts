import type { CacheParameterGroupRecord } from "../state/model";

export function renderCacheParameterGroup(account: string, region: string, group: CacheParameterGroupRecord): Record<string, unknown> {
  return {
    CacheParameterGroupName: group.cacheParameterGroupName,
    CacheParameterGroupFamily: group.family,
    Description: group.description,
    IsGlobal: false,
    ARN: `arn:aws:elasticache:${region}:${account}:parametergroup:${group.cacheParameterGroupName}`,
  };
}

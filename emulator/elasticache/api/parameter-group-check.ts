import type { EngineVersion } from "../state/engines";
import type { CacheParameterGroupRecord, RegionState } from "../state/model";
import { findParameterGroup, isClusterModeGroup } from "../state/parameter-groups";
import { cacheParameterGroupNotFound, invalidCombination } from "./errors";

// The parameter group a create or an engine upgrade names: it must exist, be of the engine version's family, and
// (for Redis OSS / Valkey) say cluster-enabled as the cache is — AWS's checks, with its fault codes.

export function requireParameterGroup(state: RegionState, requested: string, version: EngineVersion): CacheParameterGroupRecord {
  const name = requested.toLowerCase();
  const group = findParameterGroup(state, name);
  if (!group) throw cacheParameterGroupNotFound(name);
  if (group.family !== version.family) {
    throw invalidCombination(`Parameter group ${name} is of family ${group.family}, but ${version.engine} ${version.version} needs family ${version.family}`);
  }
  return group;
}

export function requireClusterModeMatch(group: CacheParameterGroupRecord, clusterEnabled: boolean, cacheId: string): void {
  if (isClusterModeGroup(group) === clusterEnabled) return;
  throw invalidCombination(
    `Parameter group ${group.cacheParameterGroupName} has cluster-enabled=${isClusterModeGroup(group) ? "yes" : "no"}, which does not match ${cacheId} (cluster mode ${clusterEnabled ? "enabled" : "disabled"})`,
  );
}

import type { RegionState, ReplicationGroupRecord } from "../state/model";
import { findEngineVersion, type EngineVersion } from "../state/engines";
import { findParameterGroup, isDefaultParameterGroup } from "../state/parameter-groups";
import { invalidCombination, invalidValue } from "./errors";
import { requireClusterModeMatch, requireParameterGroup } from "./parameter-group-check";

// ModifyReplicationGroup's Engine / EngineVersion / CacheParameterGroupName, checked as AWS checks them: a version
// DescribeCacheEngineVersions offers for the engine, never a downgrade (nor Valkey back to Redis OSS), a parameter
// group of the target version's family that matches the group's cluster mode.

export interface EngineUpgradeInput {
  Engine?: string;
  EngineVersion?: string;
  CacheParameterGroupName?: string;
  ApplyImmediately?: boolean;
}

export interface EngineTarget {
  version: EngineVersion;
  parameterGroup: string;
  /** A new engine or version: the nodes are replaced; otherwise only the parameter group changes. */
  replacesNodes: boolean;
}

/** "6.2" < "7.0" < "7.1" < "7.2" (Valkey 7.2 is the successor of Redis OSS 7.1, so one scale serves both engines). */
function compareVersions(a: string, b: string): number {
  const [aMajor, aMinor = 0] = a.split(".").map(Number);
  const [bMajor, bMinor = 0] = b.split(".").map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

export function engineTarget(state: RegionState, rg: ReplicationGroupRecord, input: EngineUpgradeInput): EngineTarget | undefined {
  if (input.Engine === undefined && input.EngineVersion === undefined && input.CacheParameterGroupName === undefined) return undefined;
  const engine = input.Engine?.toLowerCase() ?? rg.engine;
  if (engine !== "redis" && engine !== "valkey") throw invalidValue(`Engine ${input.Engine} cannot be used for a replication group; use valkey or redis`);
  if (rg.engine === "valkey" && engine === "redis") {
    throw invalidCombination(`Replication group ${rg.replicationGroupId} runs valkey; a cross-engine change goes from redis to valkey only`);
  }
  if (engine !== rg.engine && input.EngineVersion === undefined) {
    throw invalidCombination(`EngineVersion is required when changing the engine from ${rg.engine} to ${engine}`);
  }
  const versionName = input.EngineVersion ?? rg.engineVersion;
  const version = findEngineVersion(engine, versionName);
  if (!version) throw invalidValue(`Cannot find version ${versionName} for ${engine}; see DescribeCacheEngineVersions`);
  if (compareVersions(version.version, rg.engineVersion) < 0) {
    throw invalidCombination(
      `Cannot downgrade ${rg.replicationGroupId} from ${rg.engine} ${rg.engineVersion} to ${engine} ${version.version}; create a new replication group to use an earlier version`,
    );
  }
  const replacesNodes = engine !== rg.engine || version.version !== rg.engineVersion;
  const parameterGroup = targetParameterGroup(state, rg, version, input.CacheParameterGroupName);
  if (!replacesNodes && parameterGroup === rg.cacheParameterGroupName) {
    throw invalidCombination(`Replication group ${rg.replicationGroupId} already runs ${engine} ${version.version} with parameter group ${parameterGroup}`);
  }
  if (replacesNodes && input.ApplyImmediately !== true) {
    throw invalidCombination("The emulator has no maintenance window: set ApplyImmediately to true to change the engine or its version");
  }
  return { version, parameterGroup, replacesNodes };
}

function targetParameterGroup(state: RegionState, rg: ReplicationGroupRecord, version: EngineVersion, requested: string | undefined): string {
  const current = findParameterGroup(state, rg.cacheParameterGroupName);
  if (requested === undefined) {
    if (current?.family === version.family) return rg.cacheParameterGroupName;
    // AWS moves a group on a default parameter group to the new family's default; a custom one must be named.
    if (isDefaultParameterGroup(rg.cacheParameterGroupName)) return `default.${version.family}${rg.clusterEnabled ? ".cluster.on" : ""}`;
    throw invalidCombination(
      `Parameter group ${rg.cacheParameterGroupName} is of family ${current?.family ?? "unknown"}; name a CacheParameterGroupName of family ${version.family} for ${version.engine} ${version.version}`,
    );
  }
  const group = requireParameterGroup(state, requested, version);
  requireClusterModeMatch(group, rg.clusterEnabled, `replication group ${rg.replicationGroupId}`);
  return group.cacheParameterGroupName;
}

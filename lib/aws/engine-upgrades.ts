import "server-only";
import {
  CreateCacheParameterGroupCommand,
  DescribeCacheClustersCommand,
  DescribeCacheEngineVersionsCommand,
  DescribeCacheParameterGroupsCommand,
  DescribeCacheParametersCommand,
  ModifyCacheParameterGroupCommand,
  ModifyReplicationGroupCommand,
} from "@aws-sdk/client-elasticache";
import type { Place } from "@/lib/place";
import { elastiCacheClient } from "./clients";
import type { ChangeResult } from "./elasticache-changes";
import { callAws } from "./errors";
import { drainPages } from "./paging";

// What an engine upgrade needs from ElastiCache: the versions AWS offers, parameter groups and their changed values,
// and the calls that create a parameter group of the new family and start the upgrade (admins only, lib/actions).

function context(place: Place, operation: string) {
  return { service: "elasticache" as const, ...place, operation };
}

export interface EngineVersionOffer {
  engine: string;
  version: string;
  family: string;
}

export interface ParameterGroupSummary {
  name: string;
  family: string;
}

/** What a group's member reports: the engine, version and parameter group the group runs. */
export interface EngineSetting {
  engine: string;
  version: string;
  parameterGroup: string;
}

export function describeEngineVersions(place: Place, engine?: string): Promise<EngineVersionOffer[]> {
  const client = elastiCacheClient(place);
  return callAws(context(place, "DescribeCacheEngineVersions"), async () => {
    const versions = await drainPages(async (Marker) => {
      const out = await client.send(new DescribeCacheEngineVersionsCommand({ Engine: engine, MaxRecords: 100, Marker }));
      return { items: out.CacheEngineVersions, next: out.Marker };
    });
    return versions.map((v) => ({ engine: v.Engine ?? engine ?? "", version: v.EngineVersion ?? "", family: v.CacheParameterGroupFamily ?? "" }));
  });
}

export function describeParameterGroups(place: Place): Promise<ParameterGroupSummary[]> {
  const client = elastiCacheClient(place);
  return callAws(context(place, "DescribeCacheParameterGroups"), async () => {
    const groups = await drainPages(async (Marker) => {
      const out = await client.send(new DescribeCacheParameterGroupsCommand({ MaxRecords: 100, Marker }));
      return { items: out.CacheParameterGroups, next: out.Marker };
    });
    return groups.map((g) => ({ name: g.CacheParameterGroupName ?? "", family: g.CacheParameterGroupFamily ?? "" }));
  });
}

/** The values someone set on the group (Source=user): what a group of the new family must carry over. */
export function describeChangedParameters(place: Place, name: string): Promise<Record<string, string>> {
  const client = elastiCacheClient(place);
  return callAws(context(place, "DescribeCacheParameters"), async () => {
    const parameters = await drainPages(async (Marker) => {
      const out = await client.send(new DescribeCacheParametersCommand({ CacheParameterGroupName: name, Source: "user", MaxRecords: 100, Marker }));
      return { items: out.Parameters, next: out.Marker };
    });
    return Object.fromEntries(parameters.filter((p) => p.ParameterName && p.IsModifiable !== false).map((p) => [p.ParameterName!, p.ParameterValue ?? ""]));
  });
}

/** One member's engine setting (a replication group's own answer carries neither version nor parameter group). */
export function describeEngineSetting(place: Place, cacheClusterId: string): Promise<EngineSetting> {
  return callAws(context(place, "DescribeCacheClusters"), async () => {
    const out = await elastiCacheClient(place).send(new DescribeCacheClustersCommand({ CacheClusterId: cacheClusterId }));
    const cluster = out.CacheClusters?.[0];
    return {
      engine: cluster?.Engine ?? "redis",
      version: cluster?.EngineVersion ?? "",
      parameterGroup: cluster?.CacheParameterGroup?.CacheParameterGroupName ?? "",
    };
  });
}

/** A new parameter group of `family` holding `values` (AWS takes at most 20 per ModifyCacheParameterGroup). */
export async function createParameterGroup(
  place: Place,
  group: { name: string; family: string; description: string; values: Record<string, string> },
  signal?: AbortSignal,
): Promise<void> {
  const client = elastiCacheClient(place);
  await callAws(context(place, "CreateCacheParameterGroup"), () =>
    client.send(
      new CreateCacheParameterGroupCommand({ CacheParameterGroupName: group.name, CacheParameterGroupFamily: group.family, Description: group.description }),
      { abortSignal: signal },
    ),
  );
  const entries = Object.entries(group.values);
  for (let i = 0; i < entries.length; i += 20) {
    const ParameterNameValues = entries.slice(i, i + 20).map(([ParameterName, ParameterValue]) => ({ ParameterName, ParameterValue }));
    await callAws(context(place, "ModifyCacheParameterGroup"), () =>
      client.send(new ModifyCacheParameterGroupCommand({ CacheParameterGroupName: group.name, ParameterNameValues }), { abortSignal: signal }),
    );
  }
}

export function upgradeEngine(
  place: Place,
  replicationGroupId: string,
  target: { engine: string; version: string; parameterGroup: string },
  signal?: AbortSignal,
): Promise<ChangeResult> {
  return callAws(context(place, "ModifyReplicationGroup"), async () => {
    const output = await elastiCacheClient(place).send(
      new ModifyReplicationGroupCommand({
        ReplicationGroupId: replicationGroupId,
        Engine: target.engine,
        EngineVersion: target.version,
        CacheParameterGroupName: target.parameterGroup,
        ApplyImmediately: true,
      }),
      { abortSignal: signal },
    );
    return { requestId: output.$metadata.requestId };
  });
}

import { ENGINE_VERSIONS } from "./engines";
import type { CacheParameterGroupRecord, RegionState } from "./model";

// Cache parameter groups are state: the nodes keep the emulator's own configuration whatever a group says. Each
// family has AWS's default groups ("default.redis7", and "default.redis7.cluster.on" for Redis OSS and Valkey), which
// cannot be modified; created groups record the values set on them. The parameters are a small, real subset of
// AWS's (those an engine upgrade has to carry over), with AWS's defaults and allowed values.

export interface ParameterDefinition {
  name: string;
  defaultValue: string;
  dataType: "string" | "integer";
  /** AWS's AllowedValues text: a comma-separated list, or a range such as "0-". */
  allowedValues: string;
  modifiable: boolean;
  description: string;
}

const EVICTION_POLICIES = "volatile-lru,allkeys-lru,volatile-lfu,allkeys-lfu,volatile-random,allkeys-random,volatile-ttl,noeviction";

const REDIS_PARAMETERS: ParameterDefinition[] = [
  { name: "maxmemory-policy", defaultValue: "volatile-lru", dataType: "string", allowedValues: EVICTION_POLICIES, modifiable: true, description: "Max memory policy." },
  { name: "maxmemory-samples", defaultValue: "3", dataType: "integer", allowedValues: "1-", modifiable: true, description: "Max memory samples." },
  { name: "timeout", defaultValue: "0", dataType: "integer", allowedValues: "0,20-", modifiable: true, description: "Close connection if client is idle for a given number of seconds, or never if 0." },
  { name: "notify-keyspace-events", defaultValue: "", dataType: "string", allowedValues: "", modifiable: true, description: "The keyspace events for Redis to notify Pub/Sub clients about. By default all notifications are disabled" },
  { name: "cluster-enabled", defaultValue: "no", dataType: "string", allowedValues: "yes,no", modifiable: true, description: "Enable cluster mode" },
];

const MEMCACHED_PARAMETERS: ParameterDefinition[] = [
  { name: "max_item_size", defaultValue: "1048576", dataType: "integer", allowedValues: "1024-134217728", modifiable: true, description: "The size of the largest item storable in the cache, in bytes." },
  { name: "chunk_size", defaultValue: "48", dataType: "integer", allowedValues: "1-", modifiable: true, description: "The minimum amount, in bytes, of space to allocate for the smallest item's key, value, and flags." },
];

/** Every family of the engine catalog, e.g. "redis6.x", "redis7", "valkey7", "valkey8", "memcached1.6". */
export function parameterGroupFamilies(): string[] {
  return [...new Set(ENGINE_VERSIONS.map((v) => v.family))];
}

export function isMemcachedFamily(family: string): boolean {
  return family.startsWith("memcached");
}

export function parameterDefinitions(family: string): ParameterDefinition[] {
  return isMemcachedFamily(family) ? MEMCACHED_PARAMETERS : REDIS_PARAMETERS;
}

function defaultGroups(): CacheParameterGroupRecord[] {
  return parameterGroupFamilies().flatMap((family) => {
    const base = { family, description: `Default parameter group for ${family}`, values: {} };
    if (isMemcachedFamily(family)) return [{ ...base, cacheParameterGroupName: `default.${family}` }];
    return [
      { ...base, cacheParameterGroupName: `default.${family}` },
      { ...base, cacheParameterGroupName: `default.${family}.cluster.on`, values: { "cluster-enabled": "yes" } },
    ];
  });
}

export function isDefaultParameterGroup(name: string): boolean {
  return name.startsWith("default.");
}

export function findParameterGroup(state: RegionState, name: string): CacheParameterGroupRecord | undefined {
  if (isDefaultParameterGroup(name)) return defaultGroups().find((g) => g.cacheParameterGroupName === name);
  return Object.hasOwn(state.cacheParameterGroups, name) ? state.cacheParameterGroups[name] : undefined;
}

/** Every parameter group of the region, the default ones included, by name. */
export function allParameterGroups(state: RegionState): CacheParameterGroupRecord[] {
  return [...defaultGroups(), ...Object.values(state.cacheParameterGroups)].sort((a, b) =>
    a.cacheParameterGroupName < b.cacheParameterGroupName ? -1 : 1,
  );
}

/** A group for a cluster-mode-enabled replication group has cluster-enabled=yes, and only such a group does. */
export function isClusterModeGroup(group: CacheParameterGroupRecord): boolean {
  return group.values["cluster-enabled"] === "yes";
}

/** The parameters of a group with their values and where each comes from ("system" default or "user" set). */
export function parametersOf(group: CacheParameterGroupRecord) {
  return parameterDefinitions(group.family).map((p) => ({
    ...p,
    value: group.values[p.name] ?? p.defaultValue,
    source: Object.hasOwn(group.values, p.name) && !isDefaultParameterGroup(group.cacheParameterGroupName) ? "user" : "system",
  }));
}

/** Why `value` is not allowed for `p`, or undefined when it is (AWS's AllowedValues: a list or integer ranges). */
export function invalidParameterValue(p: ParameterDefinition, value: string): string | undefined {
  if (p.allowedValues === "") return undefined;
  const options = p.allowedValues.split(",");
  if (p.dataType === "string") return options.includes(value) ? undefined : `allowed values are ${p.allowedValues}`;
  if (!/^\d+$/.test(value)) return "it must be an integer";
  const n = Number(value);
  const fits = options.some((option) => {
    const [lo, hi] = option.split("-");
    return hi === undefined ? n === Number(lo) : n >= Number(lo) && (hi === "" || n <= Number(hi));
  });
  return fits ? undefined : `allowed values are ${p.allowedValues}`;
}

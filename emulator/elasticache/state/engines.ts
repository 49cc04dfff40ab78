import type { Engine } from "./model";

// The engine versions the emulator offers. Every Redis OSS and Valkey version runs on the local redis-server and every
// Memcached version on the local memcached: the version is metadata the API reports, not the binary's own.
export interface EngineVersion {
  engine: Engine;
  version: string;
  family: string;
  description: string;
}

const catalog: EngineVersion[] = [
  { engine: "memcached", version: "1.6.17", family: "memcached1.6", description: "memcached version 1.6.17" },
  { engine: "memcached", version: "1.6.22", family: "memcached1.6", description: "memcached version 1.6.22" },
  { engine: "redis", version: "6.2", family: "redis6.x", description: "redis version 6.2.6" },
  { engine: "redis", version: "7.0", family: "redis7", description: "redis version 7.0.7" },
  { engine: "redis", version: "7.1", family: "redis7", description: "redis version 7.1.0" },
  { engine: "valkey", version: "7.2", family: "valkey7", description: "valkey version 7.2.6" },
  { engine: "valkey", version: "8.0", family: "valkey8", description: "valkey version 8.0.1" },
];

export const ENGINE_VERSIONS: readonly EngineVersion[] = catalog;

const DEFAULT_VERSION: Record<Engine, string> = { redis: "7.1", valkey: "8.0", memcached: "1.6.22" };

export const ENGINE_DESCRIPTIONS: Record<Engine, string> = { redis: "Redis", valkey: "Valkey", memcached: "memcached" };

/** The catalog entry for `engine` at `version` (the engine's default when omitted); undefined when not offered. */
export function findEngineVersion(engine: Engine, version: string | undefined): EngineVersion | undefined {
  const wanted = version ?? DEFAULT_VERSION[engine];
  return catalog.find((v) => v.engine === engine && v.version === wanted);
}

/** AWS's default parameter group for the version, e.g. "default.redis7" or "default.redis7.cluster.on". */
export function defaultParameterGroup(version: EngineVersion, clusterEnabled: boolean): string {
  return `default.${version.family}${clusterEnabled ? ".cluster.on" : ""}`;
}

/** Serverless caches are versioned by major version: "7" for Redis OSS 7.1, "8" for Valkey 8.0, "1.6" for Memcached. */
export function serverlessVersion(engine: Engine, major: string | undefined): { major: string; full: string } | undefined {
  const offered = catalog.filter((v) => v.engine === engine);
  const majorOf = (v: EngineVersion) => (engine === "memcached" ? v.version.split(".").slice(0, 2).join(".") : v.version.split(".")[0]);
  const match = major
    ? offered.filter((v) => majorOf(v) === major).at(-1)
    : offered.find((v) => v.version === DEFAULT_VERSION[engine]);
  return match && { major: majorOf(match), full: match.version };
}

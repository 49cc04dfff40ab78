import { writeFileSync } from "node:fs";
import path from "node:path";

/**
 * Writes a fleet file with one Redis replication group in us-east-1 (a primary and a replica, automatic failover and
 * Multi-AZ on) into `dir`, for tests that need one small real group; returns the file's path.
 */
export function smallFleetFile(dir: string, replicationGroupId: string, overrides: Record<string, unknown> = {}): string {
  const file = path.join(dir, "fleet.json");
  writeFileSync(file, JSON.stringify({ regions: { "us-east-1": { replicationGroups: [smallGroup(replicationGroupId, overrides)] } } }));
  return file;
}

/** The small group itself (a primary and a replica, automatic failover and Multi-AZ on), for fleets of several. */
export function smallGroup(replicationGroupId: string, overrides: Record<string, unknown> = {}) {
  return {
    ReplicationGroupId: replicationGroupId,
    ReplicationGroupDescription: `test group ${replicationGroupId}`,
    Engine: "redis",
    CacheNodeType: "cache.t4g.small",
    NumCacheClusters: 2,
    AutomaticFailoverEnabled: true,
    MultiAZEnabled: true,
    ...overrides,
  };
}

/**
 * A fleet file with two small groups in us-east-1: `disabled` (cluster mode disabled, a primary and `replicas`) and
 * `enabled` (cluster mode enabled, two shards of a primary and a replica), for failover tests of both modes.
 */
export function twoModesFleetFile(dir: string, disabled: string, enabled: string, disabledOverrides: Record<string, unknown> = {}): string {
  const file = path.join(dir, "fleet.json");
  const groups = [smallGroup(disabled, disabledOverrides), smallGroup(enabled, { NumCacheClusters: undefined, NumNodeGroups: 2, ReplicasPerNodeGroup: 1 })];
  writeFileSync(file, JSON.stringify({ regions: { "us-east-1": { replicationGroups: groups } } }));
  return file;
}

import "server-only";
import { describeCacheClusters, describeReplicationGroups, listAllowedNodeTypeModifications, primaryOf, shardNodes } from "@/lib/aws";
import { describeEngineSetting, describeEngineVersions, describeParameterGroups } from "@/lib/aws/engine-upgrades";
import { upgradeTargets } from "@/lib/actions/engine-upgrade-plan";
import type { Place } from "@/lib/place";
import { orNull } from "./cluster-extras";
import { validId } from "./route-params";

// What the operations page needs of a replication group: its state, its shards (the primary where AWS reports it),
// and, for people who may scale, the node types and engine upgrades AWS offers.

export interface OperationShard {
  nodeGroupId: string;
  /** Null with cluster mode enabled: DescribeReplicationGroups reports no roles there. */
  primary: string | null;
  replicas: number;
}

export interface OperationsTarget {
  account: string;
  region: string;
  id: string;
  status: string;
  automaticFailover: string | null;
  clusterMode: boolean;
  nodeType: string | null;
  shards: OperationShard[];
  /** Null unless asked for (ListAllowedNodeTypeModifications costs a call). */
  nodeTypes: { scaleUp: string[]; scaleDown: string[] } | null;
  /** Null unless asked for (three calls: a member's engine, the versions offered, the parameter groups). */
  upgrade: UpgradeOptions | null;
}

export interface UpgradeOptions {
  current: { engine: string; version: string; parameterGroup: string };
  targets: { engine: string; version: string; family: string }[];
  parameterGroups: { name: string; family: string }[];
}

async function loadUpgradeOptions(place: Place, memberId: string): Promise<UpgradeOptions> {
  const [current, offers, parameterGroups] = await Promise.all([describeEngineSetting(place, memberId), describeEngineVersions(place), describeParameterGroups(place)]);
  return { current, targets: upgradeTargets(current, offers), parameterGroups };
}

/** The group by id in a place the route resolved (lib/data/route-params.ts), or null when it has no such group. */
export async function loadOperationsTarget(place: Place, id: string, options: { nodeTypes: boolean; upgrade: boolean }): Promise<OperationsTarget | null> {
  if (!validId(id)) return null;
  const group = (await orNull(describeReplicationGroups(place, id)))?.[0];
  if (!group) return null;
  const member = group.nodes[0]?.cacheClusterId;
  return {
    ...place,
    id: group.id,
    status: group.status,
    automaticFailover: group.automaticFailover,
    clusterMode: group.clusterMode,
    nodeType: group.nodeType,
    shards: group.shards.map((s) => ({
      nodeGroupId: s.id,
      primary: primaryOf(group, s.id)?.cacheClusterId ?? null,
      replicas: Math.max(shardNodes(group, s.id).length - 1, 0),
    })),
    nodeTypes: options.nodeTypes ? await listAllowedNodeTypeModifications(place, id) : null,
    upgrade: options.upgrade && member ? await loadUpgradeOptions(place, member) : null,
  };
}

/**
 * A standalone Redis OSS cluster by that id (one DescribeCacheClusters call, made only when no replication group has
 * the id and the engine upgrade was asked for), so the page can say what to do instead of answering "not found".
 */
export async function isStandaloneRedis(place: Place, id: string): Promise<boolean> {
  if (!validId(id)) return false;
  const cluster = (await orNull(describeCacheClusters(place, { id })))?.[0];
  return cluster?.kind === "cache-cluster" && cluster.replicationGroupId === null && cluster.engine === "redis";
}

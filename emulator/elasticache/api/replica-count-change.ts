import { z } from "zod";
import { parseInput, qBool, qInt, qList } from "@/emulator/server/input";
import type { RequestContext } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import type { ReplicationGroupRecord } from "../state/model";
import { availabilityZones, isAvailabilityZoneOf } from "../state/zones";
import { startGroupChange } from "../workflows/group-change";
import { addMember, forgetMember } from "../workflows/members";
import { applyReplicaPlans, type ReplicaPlan } from "../workflows/replica-changes";
import { shardsOf, type Shard } from "../workflows/shards";
import { fault, invalidCombination, invalidValue } from "./errors";
import { resourceId } from "./input-schemas";
import { checkNodeQuota, requireAvailableGroup, requireNodeGroup, requireRunningMembers, requireZonesPowered } from "./lookups";
import { renderReplicationGroup } from "./render";
import { MAX_NODES_PER_CLUSTER_MODE_GROUP, MAX_REPLICAS_PER_SHARD } from "./topology";

const configureShard = z.object({
  NodeGroupId: z.string().regex(/^\d{1,4}$/, "NodeGroupId is 1 to 4 digits, e.g. 0001"),
  NewReplicaCount: qInt,
  PreferredAvailabilityZones: qList(z.string()).optional(),
  PreferredOutpostArns: qList(z.string()).optional(),
});

const replicaCountSchema = z.object({
  ReplicationGroupId: resourceId("ReplicationGroupId", 40),
  ApplyImmediately: qBool,
  NewReplicaCount: qInt.optional(),
  ReplicaConfiguration: qList(configureShard).optional(),
  ReplicasToRemove: qList(z.string().transform((s) => s.toLowerCase())).optional(),
});
type ReplicaCountInput = z.output<typeof replicaCountSchema>;

type Direction = "increase" | "decrease";

interface ShardTarget {
  shard: Shard;
  to: number;
  zones?: string[];
  remove?: string[];
}

function firstRepeated(values: string[]): string | undefined {
  return values.find((value, index) => values.indexOf(value) !== index);
}

/** The replica count each shard should end with, from whichever of the three ways the request used. */
function targets(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, input: ReplicaCountInput, direction: Direction): ShardTarget[] {
  const shards = shardsOf(cp, region, rg);
  const ways = [input.NewReplicaCount !== undefined, input.ReplicaConfiguration !== undefined, (input.ReplicasToRemove?.length ?? 0) > 0];
  if (ways.filter(Boolean).length !== 1) {
    const options = direction === "increase" ? "NewReplicaCount or ReplicaConfiguration" : "NewReplicaCount, ReplicaConfiguration or ReplicasToRemove";
    throw invalidCombination(`Specify exactly one of ${options}`);
  }
  if (input.NewReplicaCount !== undefined) return shards.map((shard) => ({ shard, to: input.NewReplicaCount as number }));
  // A node group named twice would get two plans, and both would add (or remove) replicas.
  const repeated = firstRepeated(input.ReplicaConfiguration?.map((c) => c.NodeGroupId.padStart(4, "0")) ?? input.ReplicasToRemove ?? []);
  if (repeated) throw invalidValue(`${input.ReplicaConfiguration ? "ReplicaConfiguration names node group" : "ReplicasToRemove names"} ${repeated} more than once`);
  if (input.ReplicaConfiguration) {
    return input.ReplicaConfiguration.map((config) => {
      if (config.PreferredOutpostArns?.length) throw invalidCombination("PreferredOutpostArns is not supported by the emulator; leave it out");
      const nodeGroup = requireNodeGroup(rg, config.NodeGroupId);
      return { shard: shards.find((s) => s.nodeGroup === nodeGroup) as Shard, to: config.NewReplicaCount, zones: config.PreferredAvailabilityZones };
    });
  }
  const byShard = new Map<Shard, string[]>();
  for (const id of input.ReplicasToRemove ?? []) {
    const shard = shards.find((s) => s.members.some((m) => m.cluster.cacheClusterId === id));
    if (!shard) throw invalidValue(`ReplicasToRemove: ${id} is not a member of replication group ${rg.replicationGroupId}`);
    if (shard.primary?.cluster.cacheClusterId === id) throw invalidValue(`ReplicasToRemove: ${id} is the primary of node group ${shard.nodeGroup.nodeGroupId}; only replicas can be removed`);
    byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
  }
  return [...byShard].map(([shard, remove]) => ({ shard, to: shard.replicas.length - remove.length, remove }));
}

function checkTarget(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, target: ShardTarget, direction: Direction): void {
  const { shard, to } = target;
  const id = shard.nodeGroup.nodeGroupId;
  if (to < 0 || to > MAX_REPLICAS_PER_SHARD) throw invalidValue(`NewReplicaCount must be between 0 and ${MAX_REPLICAS_PER_SHARD}; got ${to} for node group ${id}`);
  if (direction === "increase" && to < shard.replicas.length) {
    throw invalidValue(`Node group ${id} has ${shard.replicas.length} replicas; IncreaseReplicaCount cannot lower it to ${to} (use DecreaseReplicaCount)`);
  }
  if (direction === "decrease" && to > shard.replicas.length) {
    throw invalidValue(`Node group ${id} has ${shard.replicas.length} replicas; DecreaseReplicaCount cannot raise it to ${to} (use IncreaseReplicaCount)`);
  }
  if (to === 0 && rg.multiAZ === "enabled") {
    throw invalidCombination(`Multi-AZ is enabled for ${rg.replicationGroupId}: node group ${id} must keep at least 1 replica`);
  }
  if (to === 0 && !rg.clusterEnabled && rg.automaticFailover === "enabled") {
    throw invalidCombination(`Automatic failover is enabled for ${rg.replicationGroupId}: it must keep at least 1 replica`);
  }
  if (target.zones) {
    if (target.zones.length !== to + 1) {
      throw invalidValue(`PreferredAvailabilityZones for node group ${id} lists ${target.zones.length} zones; it needs ${to + 1} (the primary's, then one per replica)`);
    }
    const wrong = target.zones.find((zone) => !isAvailabilityZoneOf(region, zone));
    if (wrong) throw invalidValue(`Invalid availability zone ${wrong} for region ${region}; valid zones: ${availabilityZones(region).join(", ")}`);
  }
}

/** Zones for the new replicas: those asked for, else the zones after the primary's in turn. */
function newReplicaZones(region: string, target: ShardTarget): string[] {
  const { shard, to } = target;
  const count = to - shard.replicas.length;
  if (target.zones) return target.zones.slice(shard.replicas.length + 1, to + 1);
  const zones = availabilityZones(region);
  const start = zones.indexOf(shard.primary?.node.availabilityZone ?? zones[0]);
  return Array.from({ length: count }, (_, i) => zones[(start + shard.replicas.length + 1 + i) % zones.length]);
}

/** IncreaseReplicaCount / DecreaseReplicaCount, which differ only in direction: real processes added or removed. */
export async function changeReplicaCount(cp: ElastiCacheControlPlane, raw: Record<string, unknown>, ctx: RequestContext, direction: Direction) {
  const input = parseInput(replicaCountSchema, raw);
  if (direction === "increase" && input.ReplicasToRemove !== undefined) throw invalidCombination("ReplicasToRemove applies to DecreaseReplicaCount only");
  if (!input.ApplyImmediately) throw invalidValue("ApplyImmediately=false is not supported: replica counts change immediately");
  const state = cp.regionState(ctx.region);
  const rg = requireAvailableGroup(state, input.ReplicationGroupId, "modified");
  const wanted = targets(cp, ctx.region, rg, input, direction);
  for (const target of wanted) checkTarget(cp, ctx.region, rg, target, direction);
  const changing = wanted.filter((t) => t.to !== t.shard.replicas.length);
  if (changing.length === 0) throw fault("NoOperationFault", `Every node group of ${rg.replicationGroupId} already has the requested number of replicas`);
  requireRunningMembers(changing.map((t) => t.shard));

  const adding = changing.reduce((sum, t) => sum + Math.max(0, t.to - t.shard.replicas.length), 0);
  checkNodeQuota(state, adding, cp.settings.nodeQuotaPerRegion);
  const groupNodes = shardsOf(cp, ctx.region, rg).reduce((sum, s) => sum + s.members.length, 0);
  if (rg.clusterEnabled && groupNodes + adding > MAX_NODES_PER_CLUSTER_MODE_GROUP) {
    throw fault("NodeQuotaForClusterExceededFault", `The group would have ${groupNodes + adding} nodes; the quota is ${MAX_NODES_PER_CLUSTER_MODE_GROUP} nodes per cluster`);
  }
  const zonesFor = new Map(changing.map((t) => [t, direction === "increase" ? newReplicaZones(ctx.region, t) : []]));
  requireZonesPowered(cp, ctx.region, [...zonesFor.values()].flat(), rg.cacheNodeType);

  const plans: ReplicaPlan[] = changing.map((target) => {
    const { shard, to } = target;
    const removed = direction === "decrease" ? (target.remove ?? shard.replicas.slice(to).map((r) => r.cluster.cacheClusterId)) : [];
    return {
      nodeGroupId: shard.nodeGroup.nodeGroupId,
      from: shard.replicas.length,
      to,
      added: (zonesFor.get(target) ?? []).map((zone) => addMember(cp, ctx.region, rg, shard.nodeGroup, "replica", zone, ctx.receivedAt)),
      removed,
    };
  });
  startGroupChange(cp, ctx.region, rg, {
    description: `${direction === "increase" ? "increasing" : "decreasing"} the replica count of ${rg.replicationGroupId} in ${ctx.region}`,
    work: () => applyReplicaPlans(cp, ctx.region, rg, plans),
    failed: () => discardUnfinished(cp, ctx.region, rg, plans),
  });
  for (const plan of plans) {
    for (const cluster of plan.added) cluster.status = cluster.nodes[0].status = "creating";
    for (const id of plan.removed) state.cacheClusters[id].status = state.cacheClusters[id].nodes[0].status = "deleting";
  }
  cp.save();
  return { ReplicationGroup: renderReplicationGroup(cp.accountId, ctx.region, state, rg) };
}

/** After a failed increase, the replicas that never became available go away again (process and record). */
async function discardUnfinished(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, plans: ReplicaPlan[]): Promise<void> {
  for (const plan of plans) {
    const nodeGroup = rg.nodeGroups.find((ng) => ng.nodeGroupId === plan.nodeGroupId);
    for (const cluster of plan.added.filter((c) => c.status !== "available")) {
      await cp.removeNode(region, cluster.cacheClusterId, cluster.nodes[0].cacheNodeId);
      if (nodeGroup) forgetMember(cp, region, nodeGroup, cluster.cacheClusterId);
    }
  }
}

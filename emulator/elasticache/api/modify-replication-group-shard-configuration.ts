import { z } from "zod";
import { parseInput, qBool, qInt, qList } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { fault, invalidCombination, invalidValue } from "./errors";
import { eventMessages } from "../state/events";
import { startGroupChange } from "../workflows/group-change";
import { resourceId } from "./input-schemas";
import { checkNodeQuota, requireAvailableGroup, requireRunningMembers, requireZonesPowered } from "./lookups";
import { addMember } from "../workflows/members";
import type { NodeGroupRecord, ReplicationGroupRecord } from "../state/model";
import { renderReplicationGroup } from "./render";
import { addShards, removeShards, undoAddedShards } from "../workflows/resharding";
import { shardsOf } from "../workflows/shards";
import { formatNodeGroupId, MAX_NODES_PER_CLUSTER_MODE_GROUP, MAX_SHARDS } from "./topology";
import { availabilityZones, isAvailabilityZoneOf } from "../state/zones";

const nodeGroupId = z.string().regex(/^\d{1,4}$/, "node group ids are 1 to 4 digits, e.g. 0001").transform((id) => id.padStart(4, "0"));

const shardConfigurationSchema = z.object({
  ReplicationGroupId: resourceId("ReplicationGroupId", 40),
  NodeGroupCount: qInt,
  ApplyImmediately: qBool,
  ReshardingConfiguration: qList(z.object({ NodeGroupId: nodeGroupId.optional(), PreferredAvailabilityZones: qList(z.string()).optional() })).optional(),
  NodeGroupsToRemove: qList(nodeGroupId).optional(),
  NodeGroupsToRetain: qList(nodeGroupId).optional(),
});
type ShardConfigurationInput = z.output<typeof shardConfigurationSchema>;

function nextNodeGroupIds(rg: ReplicationGroupRecord, count: number): string[] {
  const taken = new Set(rg.nodeGroups.map((ng) => ng.nodeGroupId));
  const ids: string[] = [];
  for (let n = 1; ids.length < count; n++) if (!taken.has(formatNodeGroupId(n))) ids.push(formatNodeGroupId(n));
  return ids;
}

/**
 * The zones of each new shard's nodes (primary first): from ReshardingConfiguration when given — one entry per shard
 * of the resulting group, or one per new shard — else spread like CreateReplicationGroup spreads them.
 */
function newShardZones(region: string, rg: ReplicationGroupRecord, input: ShardConfigurationInput, added: number, nodesPerShard: number): string[][] {
  const zones = availabilityZones(region);
  const config = input.ReshardingConfiguration;
  if (config && config.length !== input.NodeGroupCount && config.length !== added) {
    throw invalidValue(`ReshardingConfiguration has ${config.length} entries; give one per node group of the result (${input.NodeGroupCount}) or one per new node group (${added})`);
  }
  const forNew = config ? config.slice(config.length - added) : [];
  return Array.from({ length: added }, (_, i) => {
    const asked = forNew[i]?.PreferredAvailabilityZones;
    if (asked && asked.length !== nodesPerShard) {
      throw invalidValue(`PreferredAvailabilityZones lists ${asked.length} zones; each node group has ${nodesPerShard} nodes`);
    }
    const wrong = asked?.find((zone) => !isAvailabilityZoneOf(region, zone));
    if (wrong) throw invalidValue(`Invalid availability zone ${wrong} for region ${region}; valid zones: ${zones.join(", ")}`);
    const shardIndex = rg.nodeGroups.length + i;
    return asked ?? Array.from({ length: nodesPerShard }, (_, m) => zones[(shardIndex + m) % zones.length]);
  });
}

/** The node groups to remove, from NodeGroupsToRemove or NodeGroupsToRetain (exactly one of them). */
function leavingNodeGroups(rg: ReplicationGroupRecord, input: ShardConfigurationInput): NodeGroupRecord[] {
  const removeGiven = (input.NodeGroupsToRemove?.length ?? 0) > 0;
  const retainGiven = (input.NodeGroupsToRetain?.length ?? 0) > 0;
  if (removeGiven === retainGiven) throw invalidCombination("To remove node groups, specify exactly one of NodeGroupsToRemove and NodeGroupsToRetain");
  const known = new Set(rg.nodeGroups.map((ng) => ng.nodeGroupId));
  const named = (removeGiven ? input.NodeGroupsToRemove : input.NodeGroupsToRetain) ?? [];
  const unknown = named.find((id) => !known.has(id));
  if (unknown) throw invalidValue(`Node group ${unknown} is not part of replication group ${rg.replicationGroupId}`);
  const leaving = rg.nodeGroups.filter((ng) => named.includes(ng.nodeGroupId) === removeGiven);
  if (rg.nodeGroups.length - leaving.length !== input.NodeGroupCount) {
    throw invalidCombination(`Removing ${leaving.length} of ${rg.nodeGroups.length} node groups leaves ${rg.nodeGroups.length - leaving.length}, but NodeGroupCount is ${input.NodeGroupCount}`);
  }
  return leaving;
}

/** ModifyReplicationGroupShardConfiguration: online resharding with real slot migration. */
export function modifyReplicationGroupShardConfiguration(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(shardConfigurationSchema, raw);
    if (!input.ApplyImmediately) throw invalidValue("ApplyImmediately must be true: resharding is always applied immediately");
    const state = cp.regionState(ctx.region);
    const rg = requireAvailableGroup(state, input.ReplicationGroupId, "resharded");
    if (!rg.clusterEnabled) throw invalidCombination(`Replication group ${rg.replicationGroupId} has cluster mode disabled: it has a single node group`);
    const current = rg.nodeGroups.length;
    if (input.NodeGroupCount < 1 || input.NodeGroupCount > MAX_SHARDS) throw invalidValue(`NodeGroupCount must be between 1 and ${MAX_SHARDS}`);
    if (input.NodeGroupCount === current) throw invalidValue(`Replication group ${rg.replicationGroupId} already has ${current} node groups`);
    const shards = shardsOf(cp, ctx.region, rg);
    requireRunningMembers(shards);

    if (input.NodeGroupCount < current) {
      if (input.ReshardingConfiguration?.length) throw invalidCombination("ReshardingConfiguration applies when adding node groups");
      const leaving = leavingNodeGroups(rg, input);
      startGroupChange(cp, ctx.region, rg, {
        description: `resharding ${rg.replicationGroupId} in ${ctx.region}`,
        work: () => removeShards(cp, ctx.region, rg, leaving),
        failed: (why) => cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.reshardingFailed(why)),
      });
      for (const ng of leaving) ng.status = "deleting";
      cp.save();
      return { ReplicationGroup: renderReplicationGroup(cp.accountId, ctx.region, state, rg) };
    }

    if (input.NodeGroupsToRemove?.length || input.NodeGroupsToRetain?.length) {
      throw invalidCombination("NodeGroupsToRemove and NodeGroupsToRetain apply when removing node groups");
    }
    const added = input.NodeGroupCount - current;
    const nodesPerShard = shards[0].members.length;
    const groupNodes = shards.reduce((sum, s) => sum + s.members.length, 0);
    if (groupNodes + added * nodesPerShard > MAX_NODES_PER_CLUSTER_MODE_GROUP) {
      throw fault("NodeQuotaForClusterExceededFault", `The group would have ${groupNodes + added * nodesPerShard} nodes; the quota is ${MAX_NODES_PER_CLUSTER_MODE_GROUP} nodes per cluster`);
    }
    checkNodeQuota(state, added * nodesPerShard, cp.settings.nodeQuotaPerRegion);
    const zones = newShardZones(ctx.region, rg, input, added, nodesPerShard);
    requireZonesPowered(cp, ctx.region, zones.flat(), rg.cacheNodeType);

    const newGroups = nextNodeGroupIds(rg, added).map((id, i) => {
      const nodeGroup: NodeGroupRecord = { nodeGroupId: id, status: "creating", memberClusterIds: [] };
      rg.nodeGroups.push(nodeGroup);
      zones[i].forEach((zone, m) => addMember(cp, ctx.region, rg, nodeGroup, m === 0 ? "primary" : "replica", zone, ctx.receivedAt));
      return nodeGroup;
    });
    startGroupChange(cp, ctx.region, rg, {
      description: `resharding ${rg.replicationGroupId} in ${ctx.region}`,
      work: () => addShards(cp, ctx.region, rg, newGroups),
      failed: async (why) => {
        cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.reshardingFailed(why));
        await undoAddedShards(cp, ctx.region, rg, newGroups);
      },
    });
    for (const ng of newGroups) {
      ng.status = "creating";
      for (const id of ng.memberClusterIds) state.cacheClusters[id].status = state.cacheClusters[id].nodes[0].status = "creating";
    }
    cp.save();
    return { ReplicationGroup: renderReplicationGroup(cp.accountId, ctx.region, state, rg) };
  };
}

import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { GroupActivity } from "../state/activity";
import { eventMessages } from "../state/events";
import { recoverMembers } from "../workflows/node-replacement";
import { pace } from "../workflows/pacing";
import { promoteReplica } from "../workflows/shard-failover";
import { shardOf } from "../workflows/shards";
import { fault } from "./errors";
import { resourceId } from "./input-schemas";
import { requireAvailableGroup, requireNodeGroup, requireRunningMembers } from "./lookups";
import { renderReplicationGroup } from "./render";
import { TestFailoverQuota } from "./test-failover-quota";

const testFailoverSchema = z.object({
  ReplicationGroupId: resourceId("ReplicationGroupId", 40),
  NodeGroupId: z.string().regex(/^\d{1,4}$/, "NodeGroupId is 1 to 4 digits, e.g. 0001"),
});

/**
 * TestFailover: the shard's least-lagging replica is really promoted, then the old primary is replaced by a fresh node
 * that syncs from it, with AWS's five events. The call answers at once; the group stays `available` throughout, as
 * on AWS (its console too keeps showing available — follow a drill by its events).
 */
export function testFailover(cp: ElastiCacheControlPlane): Operation {
  const quota = new TestFailoverQuota(cp.dataDir, () => cp.settings.testFailoverShardsPer24Hours, () => cp.settings.now());
  return async (raw, ctx) => {
    const input = parseInput(testFailoverSchema, raw);
    const state = cp.regionState(ctx.region);
    const rg = requireAvailableGroup(state, input.ReplicationGroupId, "tested");
    const nodeGroup = requireNodeGroup(rg, input.NodeGroupId);
    const shard = shardOf(cp, ctx.region, nodeGroup);
    if (rg.automaticFailover !== "enabled") {
      throw fault("TestFailoverNotAvailableFault", `Automatic failover is not enabled for replication group ${rg.replicationGroupId}; enable it with ModifyReplicationGroup before testing failover.`);
    }
    if (shard.replicas.length === 0) {
      throw fault("TestFailoverNotAvailableFault", `Node group ${nodeGroup.nodeGroupId} of replication group ${rg.replicationGroupId} has no replica to fail over to.`);
    }
    const key = GroupActivity.key(ctx.region, rg.replicationGroupId);
    const underway = cp.activity.failoverInProgress(key);
    if (underway) {
      throw fault(
        "TestFailoverNotAvailableFault",
        `A failover of node group ${underway} of replication group ${rg.replicationGroupId} is still in progress; wait for its "Finished recovery" event before testing again.`,
      );
    }
    requireRunningMembers([shard]);
    quota.consume(ctx.region, rg.replicationGroupId, nodeGroup.nodeGroupId);

    cp.emit(ctx.region, "replication-group", rg.replicationGroupId, eventMessages.testFailoverCalled(nodeGroup.nodeGroupId), ctx.receivedAt);
    cp.save();
    const drill = cp.activity.exclusive(key, async () => {
      await pace(cp, "failoverDetection");
      const { from } = await promoteReplica(cp, ctx.region, rg, shardOf(cp, ctx.region, nodeGroup));
      await recoverMembers(cp, ctx.region, rg, [from]);
    });
    cp.activity.trackFailover(key, nodeGroup.nodeGroupId, drill);
    cp.run(`test failover of ${rg.replicationGroupId} node group ${nodeGroup.nodeGroupId}`, () => drill);
    return { ReplicationGroup: renderReplicationGroup(cp.accountId, ctx.region, state, rg) };
  };
}

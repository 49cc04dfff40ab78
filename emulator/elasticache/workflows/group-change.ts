import { ShuttingDown, type ElastiCacheControlPlane } from "../control-plane";
import { GroupActivity } from "../state/activity";
import type { ReplicationGroupRecord } from "../state/model";

// The frame every scaling change runs in: the group turns `modifying` when the call is accepted, the work runs in the
// background under the group's lock (never alongside a failover or another change), and the group is `available`
// again when it ends — with a failure event if it failed. A restart in the middle ends the change (see lifecycle).

export interface GroupChange {
  description: string;
  work: () => Promise<void>;
  /** Records the failure (event, rolled-back records and processes); the frame restores the statuses. */
  failed: (why: string) => void | Promise<void>;
}

export function setGroupStatus(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, status: string): void {
  const state = cp.regionState(region);
  rg.status = status;
  for (const ng of rg.nodeGroups) {
    ng.status = status;
    for (const id of ng.memberClusterIds) {
      const cluster = state.cacheClusters[id];
      if (!cluster) continue;
      cluster.status = status;
      for (const node of cluster.nodes) node.status = status;
    }
  }
}

/** Turns the group `modifying` now and runs the change in the background. */
export function startGroupChange(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord, change: GroupChange): void {
  setGroupStatus(cp, region, rg, "modifying");
  cp.save();
  const key = GroupActivity.key(region, rg.replicationGroupId);
  cp.run(change.description, () =>
    cp.activity.exclusive(key, async () => {
      try {
        await change.work();
      } catch (error) {
        if (error instanceof ShuttingDown || cp.shuttingDown) throw error;
        const why = error instanceof Error ? error.message.split("\n")[0] : String(error);
        cp.log(`${change.description} failed: ${why}`);
        await change.failed(why);
      }
      cp.checkNotClosing();
      rg.pendingModifiedValues = {};
      for (const ng of rg.nodeGroups) {
        for (const id of ng.memberClusterIds) {
          const cluster = cp.regionState(region).cacheClusters[id];
          if (cluster) cluster.pendingModifiedValues = {};
        }
      }
      setGroupStatus(cp, region, rg, "available");
      cp.save();
    }),
  );
}

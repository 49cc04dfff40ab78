import type { ElastiCacheControlPlane, NodeExit } from "../control-plane";
import { GroupActivity } from "../state/activity";
import { eventMessages } from "../state/events";
import type { CacheClusterRecord } from "../state/model";
import { recoverMembers } from "./node-replacement";
import { pace } from "./pacing";
import { promoteReplica } from "./shard-failover";
import { shardOf, shardsOf } from "./shards";

// What the control plane does when a node dies unasked (kill -9, a cut AZ): the same as AWS. A dead primary with
// automatic failover on and a running replica is failed over to the least-lagging replica; every dead node is then
// replaced by a fresh process that syncs from its shard's primary, or, with nothing to sync from, comes back empty.
// Replacements wait for their Availability Zone to have power. Statuses stay `available`, as AWS's console shows.

/** Groups whose processes the lifecycle owns (being created or deleted): recovery leaves them alone. */
const NOT_RECOVERED = new Set(["creating", "deleting", "create-failed"]);

export class NodeRecovery {
  private readonly pending = new Set<string>();

  constructor(private readonly cp: ElastiCacheControlPlane) {
    cp.onNodeExit((exit) => this.nodeExited(exit));
  }

  private nodeExited(exit: NodeExit): void {
    const { cp } = this;
    if (exit.serverlessCacheName !== undefined) return this.restartServerless(exit.region, exit.serverlessCacheName);
    const cluster = cp.regionState(exit.region).cacheClusters[exit.cacheClusterId as string];
    if (!cluster) return;
    if (cluster.replicationGroupId) this.reconcileGroup(exit.region, cluster.replicationGroupId);
    else this.restartStandalone(exit.region, cluster);
  }

  /** Brings the group back in line with its records; at most one pass queued per group (it looks at every node). */
  reconcileGroup(region: string, replicationGroupId: string): void {
    const key = GroupActivity.key(region, replicationGroupId);
    if (this.pending.has(key)) return;
    this.pending.add(key);
    this.cp.run(`recovering replication group ${replicationGroupId} in ${region}`, () =>
      this.cp.activity.exclusive(key, async () => {
        this.pending.delete(key);
        await this.reconcile(region, replicationGroupId);
      }),
    );
  }

  private async reconcile(region: string, replicationGroupId: string): Promise<void> {
    const { cp } = this;
    const rg = cp.regionState(region).replicationGroups[replicationGroupId];
    if (!rg || NOT_RECOVERED.has(rg.status)) return;
    for (const shard of shardsOf(cp, region, rg)) {
      const canFailOver =
        rg.automaticFailover === "enabled" && shard.replicas.some((r) => r.running && cp.zonePower.isPowered(region, r.node.availabilityZone));
      if (!shard.primary || shard.primary.running || !canFailOver) continue;
      await pace(cp, "failoverDetection");
      await promoteReplica(cp, region, rg, shardOf(cp, region, shard.nodeGroup));
    }
    const dead = shardsOf(cp, region, rg).flatMap((s) => s.members.filter((m) => !m.running));
    const unpowered = dead.filter((m) => !cp.zonePower.isPowered(region, m.node.availabilityZone));
    for (const zone of new Set(unpowered.map((m) => m.node.availabilityZone))) {
      void cp.zonePower.whenPowered(region, zone).then(() => this.reconcileGroup(region, replicationGroupId));
    }
    await recoverMembers(cp, region, rg, dead.filter((m) => !unpowered.includes(m)));
  }

  /** A standalone cluster's node (Redis OSS / Valkey without replicas, or Memcached) comes back empty. */
  private restartStandalone(region: string, cluster: CacheClusterRecord): void {
    const { cp } = this;
    cp.run(`recovering cache cluster ${cluster.cacheClusterId} in ${region}`, async () => {
      const dead = cluster.nodes.filter((n) => n.exitedAt && !cp.isRunning(cp.nodeKey(region, cluster.cacheClusterId, n.cacheNodeId)));
      for (const node of dead) {
        await cp.zonePower.whenPowered(region, node.availabilityZone);
        cp.checkNotClosing();
        if (cluster.status !== "available" || !node.exitedAt) continue;
        cp.emit(region, "cache-cluster", cluster.cacheClusterId, eventMessages.recoveringCacheNodes([node.cacheNodeId]));
        cp.save();
        await pace(cp, "nodeReplacement");
        await cp.startNode(region, cluster, node, { clusterEnabled: false });
        cp.emit(region, "cache-cluster", cluster.cacheClusterId, eventMessages.finishedRecovery([node.cacheNodeId]));
        cp.save();
      }
    });
  }

  /** AWS hides a serverless cache's nodes; its endpoint just answers again, empty. */
  private restartServerless(region: string, name: string): void {
    const { cp } = this;
    cp.run(`recovering serverless cache ${name} in ${region}`, async () => {
      const cache = cp.regionState(region).serverlessCaches[name];
      if (!cache || cache.status !== "AVAILABLE" || cp.isRunning(cp.serverlessKey(region, name))) return;
      await cp.startServerlessNode(region, cache);
      cp.save();
    });
  }
}

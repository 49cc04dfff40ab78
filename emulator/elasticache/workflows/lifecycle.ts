import { ping as memcachedPing } from "@/emulator/nodes/memcached-admin";
import { ping as redisPing, replicaOf, replicationStatus } from "@/emulator/nodes/redis-admin";
import { clusterInfo, formCluster } from "@/emulator/nodes/redis-cluster";
import { ShuttingDown, type ElastiCacheControlPlane } from "../control-plane";
import { eventMessages } from "../state/events";
import type { CacheClusterRecord, CacheNodeRecord, ReplicationGroupRecord, ServerlessCacheRecord } from "../state/model";
import { spreadSlotsEvenly } from "../state/simulated-nodes";

// What happens to the real processes when a resource is created, deleted or brought back after a restart, and the
// status changes and events that go with it. A status moves to available only after a health check against the
// processes passes: every node answers, every replica's link to the right primary is up, a cluster reports ok.

interface Member {
  cluster: CacheClusterRecord;
  node: CacheNodeRecord;
}

/** The steps every kind of resource goes through; the flows below combine them. */
interface Lifecycle {
  description: string;
  /** Starts the processes, wires them together and returns once the health check passes. */
  bringUp(): Promise<void>;
  /** Creation finished: statuses available, creation events. */
  created(): void;
  /** Creation failed: statuses create-failed, an event saying why. */
  failed(why: string): void;
  markDeleting(): void;
  /** Back after a restart: whatever change was under way is over, the resource is available. */
  recovered(): void;
  /** Stops the processes for good. */
  tearDown(): Promise<void>;
  /** Deletion finished: records, tags and deletion events. */
  forget(): void;
  /** The node-based clusters to name in recovery events. */
  clusters(): CacheClusterRecord[];
}

const reason = (error: unknown) => (error instanceof Error ? error.message.split("\n")[0] : String(error));

async function allNodesAnswer(cp: ElastiCacheControlPlane, members: Member[]): Promise<void> {
  await Promise.all(
    members.map(({ cluster, node }) =>
      cp.waitUntil(
        () => (cluster.engine === "memcached" ? memcachedPing(node.port) : redisPing(node.port)),
        `${cluster.cacheClusterId}/${node.cacheNodeId} on port ${node.port} to answer`,
      ),
    ),
  );
}

async function replicaLinkUp(cp: ElastiCacheControlPlane, replica: Member, primaryPort: number): Promise<void> {
  await cp.waitUntil(async () => {
    const status = await replicationStatus(replica.node.port);
    return status.role === "slave" && status.masterPort === primaryPort && status.masterLinkStatus === "up" && !status.masterSyncInProgress;
  }, `${replica.cluster.cacheClusterId} on port ${replica.node.port} to replicate from port ${primaryPort}`);
}

function shardsOf(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord) {
  const state = cp.regionState(region);
  return rg.nodeGroups.map((ng) => {
    const members = ng.memberClusterIds.map((id) => ({ cluster: state.cacheClusters[id], node: state.cacheClusters[id].nodes[0] }));
    const primary = members.find((m) => m.node.role === "primary");
    if (!primary) throw new Error(`node group ${ng.nodeGroupId} of ${rg.replicationGroupId} has no primary`);
    return { nodeGroup: ng, members, primary, replicas: members.filter((m) => m !== primary) };
  });
}

export function replicationGroupLifecycle(cp: ElastiCacheControlPlane, region: string, rg: ReplicationGroupRecord): Lifecycle {
  const state = cp.regionState(region);
  const id = rg.replicationGroupId;
  const members = () => shardsOf(cp, region, rg).flatMap((s) => s.members);
  const setStatus = (status: string) => {
    rg.status = status;
    for (const ng of rg.nodeGroups) ng.status = status;
    for (const { cluster, node } of members()) cluster.status = node.status = status;
  };
  return {
    description: `replication group ${id} in ${region}`,
    async bringUp() {
      const shards = shardsOf(cp, region, rg);
      const everyone = shards.flatMap((s) => s.members);
      await Promise.all(everyone.map((m) => cp.startNode(region, m.cluster, m.node, { clusterEnabled: rg.clusterEnabled })));
      cp.checkNotClosing();
      if (rg.simulated) return;
      if (rg.clusterEnabled) {
        await formCluster(shards.map((s) => ({ primaryPort: s.primary.node.port, replicaPorts: s.replicas.map((r) => r.node.port) })));
      } else {
        await Promise.all(shards.flatMap((s) => s.replicas.map((r) => replicaOf(r.node.port, s.primary.node.port))));
      }
      await allNodesAnswer(cp, everyone);
      await Promise.all(shards.flatMap((s) => s.replicas.map((r) => replicaLinkUp(cp, r, s.primary.node.port))));
      if (rg.clusterEnabled) {
        await Promise.all(
          everyone.map((m) => cp.waitUntil(async () => (await clusterInfo(m.node.port)).cluster_state === "ok", `${m.cluster.cacheClusterId} to report cluster_state:ok`)),
        );
      }
    },
    created() {
      setStatus("available");
      for (const { cluster, node } of members()) {
        cp.emit(region, "cache-cluster", cluster.cacheClusterId, eventMessages.cacheClusterCreated());
        cp.emit(region, "cache-cluster", cluster.cacheClusterId, eventMessages.cacheNodeAdded(node.cacheNodeId, node.availabilityZone));
      }
      cp.emit(region, "replication-group", id, eventMessages.replicationGroupCreated(id));
    },
    failed(why) {
      setStatus("create-failed");
      cp.emit(region, "replication-group", id, eventMessages.replicationGroupCreateFailed(id, why));
    },
    markDeleting: () => setStatus("deleting"),
    recovered() {
      setStatus("available");
      // A scaling change the restart cut short is over; the cluster was formed again with slots spread evenly.
      rg.pendingModifiedValues = {};
      for (const { cluster } of members()) cluster.pendingModifiedValues = {};
      if (rg.clusterEnabled) spreadSlotsEvenly(rg);
    },
    async tearDown() {
      await Promise.all(members().map(({ cluster, node }) => cp.removeNode(region, cluster.cacheClusterId, node.cacheNodeId)));
    },
    forget() {
      for (const { cluster } of members()) {
        delete state.cacheClusters[cluster.cacheClusterId];
        delete state.tags[cp.arn(region, "cluster", cluster.cacheClusterId)];
        cp.emit(region, "cache-cluster", cluster.cacheClusterId, eventMessages.cacheClusterDeleted());
      }
      delete state.replicationGroups[id];
      delete state.tags[cp.arn(region, "replicationgroup", id)];
      cp.emit(region, "replication-group", id, eventMessages.replicationGroupDeleted(id));
    },
    clusters: () => members().map((m) => m.cluster),
  };
}

export function cacheClusterLifecycle(cp: ElastiCacheControlPlane, region: string, cluster: CacheClusterRecord): Lifecycle {
  const state = cp.regionState(region);
  const id = cluster.cacheClusterId;
  const members = () => cluster.nodes.map((node) => ({ cluster, node }));
  const setStatus = (status: string) => {
    cluster.status = status;
    for (const node of cluster.nodes) node.status = status;
  };
  return {
    description: `cache cluster ${id} in ${region}`,
    async bringUp() {
      await Promise.all(cluster.nodes.map((node) => cp.startNode(region, cluster, node, { clusterEnabled: false })));
      if (!cluster.simulated) await allNodesAnswer(cp, members());
    },
    created() {
      setStatus("available");
      cp.emit(region, "cache-cluster", id, eventMessages.cacheClusterCreated());
      for (const node of cluster.nodes) cp.emit(region, "cache-cluster", id, eventMessages.cacheNodeAdded(node.cacheNodeId, node.availabilityZone));
    },
    failed(why) {
      setStatus("create-failed");
      cp.emit(region, "cache-cluster", id, eventMessages.cacheClusterCreateFailed(why));
    },
    markDeleting: () => setStatus("deleting"),
    recovered: () => setStatus("available"),
    async tearDown() {
      await Promise.all(cluster.nodes.map((node) => cp.removeNode(region, id, node.cacheNodeId)));
    },
    forget() {
      delete state.cacheClusters[id];
      delete state.tags[cp.arn(region, "cluster", id)];
      cp.emit(region, "cache-cluster", id, eventMessages.cacheClusterDeleted());
    },
    clusters: () => [cluster],
  };
}

export function serverlessCacheLifecycle(cp: ElastiCacheControlPlane, region: string, cache: ServerlessCacheRecord): Lifecycle {
  const state = cp.regionState(region);
  const name = cache.serverlessCacheName;
  return {
    description: `serverless cache ${name} in ${region}`,
    async bringUp() {
      await cp.startServerlessNode(region, cache);
      await cp.waitUntil(() => (cache.engine === "memcached" ? memcachedPing(cache.port) : redisPing(cache.port)), `${name} on port ${cache.port} to answer`);
    },
    created() {
      cache.status = "AVAILABLE";
      cp.emit(region, "serverless-cache", name, eventMessages.serverlessCacheCreated(name));
    },
    failed(why) {
      cache.status = "CREATE-FAILED";
      cp.emit(region, "serverless-cache", name, eventMessages.serverlessCacheCreateFailed(name, why));
    },
    markDeleting: () => {
      cache.status = "DELETING";
    },
    recovered: () => {
      cache.status = "AVAILABLE";
    },
    tearDown: () => cp.removeServerlessNode(region, name),
    forget() {
      delete state.serverlessCaches[name];
      delete state.tags[cp.arn(region, "serverlesscache", name)];
      cp.emit(region, "serverless-cache", name, eventMessages.serverlessCacheDeleted(name));
    },
    clusters: () => [],
  };
}

/** Creation in the background: the API has already answered with status creating. */
export function launch(cp: ElastiCacheControlPlane, lifecycle: Lifecycle): void {
  cp.run(`creating ${lifecycle.description}`, async () => {
    try {
      await lifecycle.bringUp();
    } catch (error) {
      if (cp.shuttingDown) throw new ShuttingDown();
      cp.log(`creating ${lifecycle.description} failed: ${reason(error)}`);
      await lifecycle.tearDown();
      lifecycle.failed(reason(error));
      cp.save();
      return;
    }
    cp.checkNotClosing();
    lifecycle.created();
    cp.save();
  });
}

/** Deletion: the status turns deleting at once, the processes stop in the background, then the records go. */
export function retire(cp: ElastiCacheControlPlane, lifecycle: Lifecycle): void {
  lifecycle.markDeleting();
  cp.save();
  cp.run(`deleting ${lifecycle.description}`, async () => {
    await lifecycle.tearDown();
    cp.checkNotClosing();
    lifecycle.forget();
    cp.save();
  });
}

/**
 * After an emulator restart: the nodes come back empty (as after a node replacement on AWS), on their old ports when
 * free, with replication and cluster membership formed again from the records. Work interrupted by the restart
 * resumes: a resource still creating finishes creating, one being deleted finishes deleting.
 */
export async function restore(cp: ElastiCacheControlPlane, region: string, status: string, lifecycle: Lifecycle): Promise<void> {
  const normalised = status.toLowerCase();
  if (normalised === "create-failed") return;
  if (normalised === "creating") return launch(cp, lifecycle);
  if (normalised === "deleting") return retire(cp, lifecycle);
  const clusters = lifecycle.clusters();
  const nodeIds = (cluster: CacheClusterRecord) => cluster.nodes.map((n) => n.cacheNodeId);
  for (const cluster of clusters) cp.emit(region, "cache-cluster", cluster.cacheClusterId, eventMessages.recoveringCacheNodes(nodeIds(cluster)));
  try {
    await lifecycle.bringUp();
  } catch (error) {
    if (cp.shuttingDown) throw new ShuttingDown();
    cp.log(`restoring ${lifecycle.description} failed: ${reason(error)}`);
    return;
  }
  lifecycle.recovered();
  for (const cluster of clusters) cp.emit(region, "cache-cluster", cluster.cacheClusterId, eventMessages.finishedRecovery(nodeIds(cluster)));
}

/** Brings back every resource of every region after a restart, a few at a time (the machine may be small). */
export async function restoreFleet(cp: ElastiCacheControlPlane, concurrency = 8): Promise<void> {
  const jobs: Array<() => Promise<void>> = [];
  for (const region of cp.store.regionNames()) {
    const state = cp.regionState(region);
    for (const rg of Object.values(state.replicationGroups)) {
      jobs.push(() => restore(cp, region, rg.status, replicationGroupLifecycle(cp, region, rg)));
    }
    for (const cluster of Object.values(state.cacheClusters).filter((c) => !c.replicationGroupId)) {
      jobs.push(() => restore(cp, region, cluster.status, cacheClusterLifecycle(cp, region, cluster)));
    }
    for (const cache of Object.values(state.serverlessCaches)) {
      jobs.push(() => restore(cp, region, cache.status, serverlessCacheLifecycle(cp, region, cache)));
    }
  }
  const next = async (): Promise<void> => {
    for (let job = jobs.shift(); job; job = jobs.shift()) await job();
  };
  await Promise.all(Array.from({ length: concurrency }, next));
  cp.save();
}

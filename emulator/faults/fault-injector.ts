import { randomUUID } from "node:crypto";
import { GroupActivity } from "@/emulator/elasticache/state/activity";
import type { ElastiCacheControlPlane } from "@/emulator/elasticache/control-plane";
import { shardsOf, type ShardMember } from "@/emulator/elasticache/workflows/shards";
import { availabilityZones, isAvailabilityZoneOf } from "@/emulator/elasticache/state/zones";
import { replicationStatus } from "@/emulator/nodes/redis-admin";
import { ReplicationThrottle } from "@/emulator/nodes/replication-throttle";

// Faults for drills, outside the AWS API: kill a node, cut an Availability Zone's power for a while (as AWS FIS's
// aws:elasticache:replicationgroup-interrupt-az-power does), slow one replica's replication. The control plane reacts
// to them as AWS would (automatic failover, node replacement once the zone has power again); see docs/emulator-faults.md.

export class FaultError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface AffectedNode {
  replicationGroupId: string;
  cacheClusterId: string;
  cacheNodeId: string;
  role: "primary" | "replica";
}

interface FaultBase {
  id: string;
  state: "active" | "ended";
  region: string;
  startedAt: string;
  endedAt?: string;
}

export interface AzPowerInterruption extends FaultBase {
  type: "interrupt-az-power";
  availabilityZone: string;
  durationSeconds: number;
  endsAt: string;
  replicationGroupIds: string[];
  affectedNodes: AffectedNode[];
}

export interface ReplicationSlowdown extends FaultBase {
  type: "slow-replication";
  replicationGroupId: string;
  cacheClusterId: string;
  cacheNodeId: string;
  delayMs: number;
  bytesPerSecond?: number;
}

export type Fault = AzPowerInterruption | ReplicationSlowdown;

export interface KilledNode {
  region: string;
  cacheClusterId?: string;
  cacheNodeId?: string;
  replicationGroupId?: string;
  role?: "primary" | "replica";
  serverlessCacheName?: string;
  port: number;
  pid: number;
  killedAt: string;
}

const ENDED_KEPT = 100;
const FOLLOW_INTERVAL_MS = 1_000;

export class FaultInjector {
  private readonly faults = new Map<string, Fault>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly throttles = new Map<string, ReplicationThrottle>();
  private watcher?: NodeJS.Timeout;
  private following?: Promise<void>;

  constructor(private readonly cp: ElastiCacheControlPlane) {}

  /** SIGKILL, as `kill -9` would: the control plane notices through the process supervisor. */
  async killNode(target: { region: string; cacheClusterId?: string; cacheNodeId?: string; serverlessCacheName?: string }): Promise<KilledNode> {
    const state = this.cp.regionState(target.region);
    let key: string;
    let described: Omit<KilledNode, "port" | "pid" | "killedAt">;
    if (target.serverlessCacheName !== undefined) {
      if (!state.serverlessCaches[target.serverlessCacheName]) throw new FaultError(404, `No serverless cache ${target.serverlessCacheName} in ${target.region}`);
      key = this.cp.serverlessKey(target.region, target.serverlessCacheName);
      described = { region: target.region, serverlessCacheName: target.serverlessCacheName };
    } else {
      const cluster = state.cacheClusters[target.cacheClusterId ?? ""];
      if (!cluster) throw new FaultError(404, `No cache cluster ${target.cacheClusterId} in ${target.region}`);
      const node = cluster.nodes.find((n) => n.cacheNodeId === (target.cacheNodeId ?? cluster.nodes[0]?.cacheNodeId));
      if (!node) throw new FaultError(404, `Cache cluster ${cluster.cacheClusterId} has no node ${target.cacheNodeId}`);
      key = this.cp.nodeKey(target.region, cluster.cacheClusterId, node.cacheNodeId);
      described = {
        region: target.region,
        cacheClusterId: cluster.cacheClusterId,
        cacheNodeId: node.cacheNodeId,
        replicationGroupId: cluster.replicationGroupId,
        role: node.role,
      };
    }
    const running = this.cp.nodeProcess(key);
    if (!running) throw new FaultError(409, `The node behind ${key} is not running (it is starting, being replaced or already dead)`);
    await this.cp.killNode(key);
    return { ...described, port: running.port, pid: running.pid, killedAt: new Date().toISOString() };
  }

  /**
   * Cuts an Availability Zone's power for `durationSeconds`: every running node of the target replication groups (all
   * of the region's when none are named) in that zone dies at once, and no node starts in the zone until it ends.
   */
  async interruptAzPower(request: { region: string; availabilityZone: string; durationSeconds: number; replicationGroupIds?: string[] }): Promise<AzPowerInterruption> {
    const { region, availabilityZone: zone, durationSeconds } = request;
    if (!isAvailabilityZoneOf(region, zone)) {
      throw new FaultError(400, `${zone} is not an Availability Zone of ${region}; its zones are ${availabilityZones(region).join(", ")}`);
    }
    const active = this.list().find((f) => f.type === "interrupt-az-power" && f.region === region && f.availabilityZone === zone);
    if (active) throw new FaultError(409, `${zone} already has its power interrupted (fault ${active.id}); end it first`);
    const state = this.cp.regionState(region);
    for (const id of request.replicationGroupIds ?? []) {
      if (!state.replicationGroups[id]) throw new FaultError(404, `No replication group ${id} in ${region}`);
    }
    const groups = request.replicationGroupIds ?? Object.keys(state.replicationGroups).sort();
    const victims: Array<ShardMember & { replicationGroupId: string }> = groups.flatMap((id) =>
      shardsOf(this.cp, region, state.replicationGroups[id])
        .flatMap((s) => s.members)
        .filter((m) => m.running && m.node.availabilityZone === zone)
        .map((m) => ({ ...m, replicationGroupId: id })),
    );
    const startedAt = new Date();
    const fault: AzPowerInterruption = {
      id: newFaultId(),
      type: "interrupt-az-power",
      state: "active",
      region,
      availabilityZone: zone,
      durationSeconds,
      startedAt: startedAt.toISOString(),
      endsAt: new Date(startedAt.getTime() + durationSeconds * 1000).toISOString(),
      replicationGroupIds: groups,
      affectedNodes: victims.map((m) => ({
        replicationGroupId: m.replicationGroupId,
        cacheClusterId: m.cluster.cacheClusterId,
        cacheNodeId: m.node.cacheNodeId,
        role: m.node.role ?? "primary",
      })),
    };
    // Power goes before the nodes die, so recovery already sees the zone dark when their deaths are reported.
    this.cp.zonePower.cut(region, zone);
    this.faults.set(fault.id, fault);
    this.timers.set(
      fault.id,
      setTimeout(() => this.end(fault.id).catch((error) => this.cp.log(`ending fault ${fault.id} failed: ${(error as Error).message}`)), durationSeconds * 1000),
    );
    await Promise.all(victims.map((m) => this.cp.killNode(m.key).catch(() => undefined)));
    this.cp.log(`fault ${fault.id}: power cut in ${zone} for ${durationSeconds} s, ${victims.length} node(s) down`);
    return fault;
  }

  /** Routes a replica's replication through a proxy that delays and/or rate-limits it, so its lag really grows. */
  async slowReplication(request: { region: string; cacheClusterId: string; delayMs: number; bytesPerSecond?: number }): Promise<ReplicationSlowdown> {
    const state = this.cp.regionState(request.region);
    const cluster = state.cacheClusters[request.cacheClusterId];
    if (!cluster) throw new FaultError(404, `No cache cluster ${request.cacheClusterId} in ${request.region}`);
    const rg = cluster.replicationGroupId ? state.replicationGroups[cluster.replicationGroupId] : undefined;
    if (!rg) throw new FaultError(400, `${cluster.cacheClusterId} is not a member of a replication group; only replicas replicate`);
    if (rg.clusterEnabled) throw new FaultError(400, `${cluster.cacheClusterId} belongs to a cluster-mode-enabled group; replication can be slowed only with cluster mode disabled`);
    const shard = shardsOf(this.cp, request.region, rg).find((s) => s.members.some((m) => m.cluster === cluster));
    const replica = shard?.members.find((m) => m.cluster === cluster);
    if (!shard?.primary || !replica || replica.node.role !== "replica") throw new FaultError(400, `${cluster.cacheClusterId} is not a replica (it is the primary)`);
    if (!replica.running || !shard.primary.running) throw new FaultError(409, `${cluster.cacheClusterId} or its primary is not running`);
    if (this.list().some((f) => f.type === "slow-replication" && f.region === request.region && f.cacheClusterId === cluster.cacheClusterId)) {
      throw new FaultError(409, `${cluster.cacheClusterId}'s replication is already slowed; end that fault first`);
    }
    const throttle = await ReplicationThrottle.start({
      replicaPort: replica.node.port,
      primaryPort: shard.primary.node.port,
      delayMs: request.delayMs,
      bytesPerSecond: request.bytesPerSecond,
    });
    const fault: ReplicationSlowdown = {
      id: newFaultId(),
      type: "slow-replication",
      state: "active",
      region: request.region,
      replicationGroupId: rg.replicationGroupId,
      cacheClusterId: cluster.cacheClusterId,
      cacheNodeId: replica.node.cacheNodeId,
      delayMs: request.delayMs,
      bytesPerSecond: request.bytesPerSecond,
      startedAt: new Date().toISOString(),
    };
    this.faults.set(fault.id, fault);
    this.throttles.set(fault.id, throttle);
    this.watchSlowdowns();
    return fault;
  }

  /** Active faults, oldest first; with `includeEnded`, the last ended ones too. */
  list(includeEnded = false): Fault[] {
    return [...this.faults.values()].filter((f) => includeEnded || f.state === "active");
  }

  /**
   * Keeps each slowdown on its replica through failovers and node replacements: once the group is available again,
   * the proxy forwards to the shard's current primary and the replica replicates through it once more. Runs under the
   * group's lock, so it never re-points a replica in the middle of a failover or a scale. A slowdown ends by itself
   * when its replica is gone, has moved to another port, or has become the primary.
   */
  private async followTopology(): Promise<void> {
    for (const [id, throttle] of [...this.throttles]) {
      const fault = this.faults.get(id) as ReplicationSlowdown;
      await this.cp.activity.exclusive(GroupActivity.key(fault.region, fault.replicationGroupId), async () => {
        if (!this.throttles.has(id)) return;
        const state = this.cp.regionState(fault.region);
        const rg = state.replicationGroups[fault.replicationGroupId];
        const cluster = state.cacheClusters[fault.cacheClusterId];
        if (!rg || !cluster) return this.finish(id, () => throttle.close());
        if (rg.status !== "available") return;
        const shard = shardsOf(this.cp, fault.region, rg).find((s) => s.members.some((m) => m.cluster === cluster));
        const replica = shard?.members.find((m) => m.cluster === cluster);
        if (!shard?.primary?.running || !replica?.running) return;
        if (replica.node.role !== "replica" || replica.node.port !== throttle.replicaPort) return this.finish(id, () => throttle.close());
        const through = await replicationStatus(replica.node.port).then((status) => status.masterPort, () => undefined);
        if (through === throttle.proxyPort && throttle.primaryPort === shard.primary.node.port) return;
        await throttle.retarget(shard.primary.node.port);
        this.cp.log(`fault ${id}: ${fault.cacheClusterId} slowed again, now from ${shard.primary.cluster.cacheClusterId}`);
      });
    }
  }

  /** Polls followTopology every second while slowdowns exist (never two passes at once). */
  private watchSlowdowns(): void {
    if (this.watcher) return;
    this.watcher = setInterval(() => {
      if (this.following) return;
      this.following = this.followTopology()
        .catch((error) => this.cp.log(`following slowed replicas failed: ${(error as Error).message}`))
        .finally(() => (this.following = undefined));
    }, FOLLOW_INTERVAL_MS);
  }

  get(id: string): Fault {
    const fault = this.faults.get(id);
    if (!fault) throw new FaultError(404, `No fault ${id}`);
    return fault;
  }

  /** Ends a fault now: power comes back (replacements start), or the replica replicates directly again. */
  async end(id: string): Promise<Fault> {
    const fault = this.get(id);
    if (fault.state === "ended") return fault;
    if (fault.type === "interrupt-az-power") {
      await this.finish(id, async () => this.cp.zonePower.restore(fault.region, fault.availabilityZone));
      this.cp.log(`fault ${id}: power back in ${fault.availabilityZone}`);
    } else {
      // Under the group's lock, so it never races a failover, a scale or a pass of followTopology.
      await this.cp.activity.exclusive(GroupActivity.key(fault.region, fault.replicationGroupId), () => this.endSlowdown(id));
    }
    return fault;
  }

  private async endSlowdown(id: string): Promise<void> {
    const throttle = this.throttles.get(id);
    await this.finish(id, async () => {
      // If the replica has moved on meanwhile (a failover not followed yet), re-pointing it would undo the failover;
      // if it is dying or being replaced, closing the proxy is all there is to do.
      const through = throttle && (await replicationStatus(throttle.replicaPort).then((s) => s.masterPort, () => undefined));
      if (throttle && through === throttle.proxyPort) await throttle.remove().catch(() => throttle.close());
      else await throttle?.close();
    });
  }

  private async finish(id: string, undo: () => Promise<void>): Promise<void> {
    const fault = this.faults.get(id);
    if (!fault || fault.state === "ended") return;
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
    this.throttles.delete(id);
    if (this.throttles.size === 0) {
      clearInterval(this.watcher);
      this.watcher = undefined;
    }
    fault.state = "ended";
    fault.endedAt = new Date().toISOString();
    await undo();
    const ended = [...this.faults.values()].filter((f) => f.state === "ended");
    for (const old of ended.slice(0, Math.max(0, ended.length - ENDED_KEPT))) this.faults.delete(old.id);
  }

  /** At shutdown: timers cleared, proxies closed; the nodes are being stopped anyway. */
  async stop(): Promise<void> {
    clearInterval(this.watcher);
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.throttles.values()].map((t) => t.close()));
    this.throttles.clear();
  }
}

function newFaultId(): string {
  return `fault-${randomUUID().slice(0, 8)}`;
}

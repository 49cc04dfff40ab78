import type { NodeSecurity } from "@/emulator/nodes/node-access";
import { NodeSupervisor, type NodeHandle } from "@/emulator/nodes/supervisor";
import { waitFor } from "@/emulator/nodes/wait-for";
import { DEFAULT_ACCOUNT_ID } from "@/emulator/accounts";
import { GroupActivity } from "./state/activity";
import { arnFor, type ArnResourceType } from "./state/arns";
import { nodeSecurity, settingsOf } from "./state/cache-settings";
import { recordEvent } from "./state/events";
import type { CacheClusterRecord, CacheNodeRecord, RegionState, ServerlessCacheRecord, SourceType } from "./state/model";
import { localMaxmemoryBytes, nodeType } from "./state/node-types";
import { DEFAULT_SETTINGS, type ControlPlaneSettings } from "./state/settings";
import { startSimulatedNode } from "./state/simulated-nodes";
import { MetadataStore } from "./state/store";
import { ZonePower } from "./state/zone-power";

/** Thrown inside background work once the emulator is shutting down: the work stops without touching the state. */
export class ShuttingDown extends Error {
  constructor() {
    super("the emulator is shutting down");
  }
}

const CLOSING = Symbol("closing");

/** A node process that died without being asked to, as the supervisor reports it. */
export interface NodeExit {
  region: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set for nodes of cache clusters (standalone or replication group members). */
  cacheClusterId?: string;
  cacheNodeId?: string;
  /** Set for the process behind a serverless cache. */
  serverlessCacheName?: string;
}

export type NodeExitHandler = (exit: NodeExit) => void | Promise<void>;

/** One running node, as the CloudWatch collector and the workload generator need it. */
export interface MetricsNode {
  region: string;
  engine: "redis" | "valkey" | "memcached";
  port: number;
  availabilityZone?: string;
  /** Node-based clusters: the {CacheClusterId, CacheNodeId} dimensions. */
  cacheClusterId?: string;
  cacheNodeId?: string;
  replicationGroupId?: string;
  nodeGroupId?: string;
  role?: "primary" | "replica";
  cacheNodeType?: string;
  /** Serverless caches: the {clusterId} dimension. */
  serverlessCacheName?: string;
  /** maxmemory of the local process, bytes (redis; memcached's -m in bytes). */
  maxmemoryBytes: number;
}

type NodeKey =
  | { region: string; cacheClusterId: string; cacheNodeId: string; serverlessCacheName?: undefined }
  | { region: string; serverlessCacheName: string; cacheClusterId?: undefined; cacheNodeId?: undefined };

/**
 * The ElastiCache control plane: the metadata store (./state) plus the node processes behind it. The API (./api)
 * validates, changes records and starts workflows (./workflows); they and the fault injector build on these methods
 * only: regionState + save + emit for metadata; startNode, stopNode, killNode, removeNode, isRunning for processes
 * (nothing else reaches the process supervisor); run for background work; onNodeExit for deaths nobody asked for.
 */
export class ElastiCacheControlPlane {
  /** The AWS account whose caches these are: each account of a fleet has its own control plane (see emulator.ts). */
  readonly accountId: string;
  readonly store: MetadataStore;
  private readonly supervisor: NodeSupervisor;
  readonly dataDir: string;
  readonly settings: ControlPlaneSettings;
  /** One change at a time per replication group (failover, recovery, scaling); see ./state/activity. */
  readonly activity = new GroupActivity();
  /** Availability Zones whose power is cut (a fault): no node is started there until it is back. */
  readonly zonePower = new ZonePower();
  readonly log: (message: string) => void;
  private closing = false;
  private readonly starting = new Set<Promise<unknown>>();
  private readonly exitHandlers: NodeExitHandler[] = [];

  constructor(options: { dataDir: string; accountId?: string; log?: (message: string) => void; settings?: Partial<ControlPlaneSettings> }) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.store = MetadataStore.open(options.dataDir);
    this.dataDir = options.dataDir;
    this.settings = { ...DEFAULT_SETTINGS, ...options.settings };
    this.log = options.log ?? (() => {});
    this.supervisor = new NodeSupervisor({ dataDir: options.dataDir, log: this.log });
    this.supervisor.on("exit", (key: string, code: number | null, signal: NodeJS.Signals | null) => this.nodeExited(key, code, signal));
  }

  get shuttingDown(): boolean {
    return this.closing;
  }

  regionState(region: string): RegionState {
    return this.store.region(region);
  }

  /** The ARN of one of this account's resources in `region`. */
  arn(region: string, type: ArnResourceType, id: string): string {
    return arnFor(this.accountId, region, type, id);
  }

  save(): void {
    if (!this.closing) this.store.save();
  }

  /** Records an event with AWS's wording (see eventMessages); the caller saves. */
  emit(region: string, sourceType: SourceType, sourceIdentifier: string, message: string, date?: Date): void {
    recordEvent(this.regionState(region), sourceType, sourceIdentifier, message, date);
  }

  /**
   * Runs background work; a failure is logged, never thrown at a client. Shutdown does not wait for it: the work
   * notices (checkNotClosing, waitUntil) and stops without touching the state.
   */
  run(description: string, work: () => Promise<void>): void {
    work().catch((error) => {
      if (!(error instanceof ShuttingDown)) this.log(`${description} failed: ${(error as Error).stack ?? error}`);
    });
  }

  /** Throws ShuttingDown once shutdown has begun, so background work stops between steps. */
  checkNotClosing(): void {
    if (this.closing) throw new ShuttingDown();
  }

  /** waitFor that gives up as soon as shutdown begins instead of polling stopped nodes until its deadline. */
  async waitUntil<T>(condition: () => Promise<T | false>, description: string, timeoutMs = 30_000): Promise<T> {
    const result = await waitFor(async () => (this.closing ? CLOSING : condition()), { timeoutMs, intervalMs: 50, description });
    if (result === CLOSING) throw new ShuttingDown();
    return result as T;
  }

  nodeKey(region: string, cacheClusterId: string, cacheNodeId: string): string {
    return `${region}/cluster/${cacheClusterId}/${cacheNodeId}`;
  }

  serverlessKey(region: string, name: string): string {
    return `${region}/serverless/${name}`;
  }

  private parseKey(key: string): NodeKey | undefined {
    const parts = key.split("/");
    if (parts.length === 4 && parts[1] === "cluster") return { region: parts[0], cacheClusterId: parts[2], cacheNodeId: parts[3] };
    if (parts.length === 3 && parts[1] === "serverless") return { region: parts[0], serverlessCacheName: parts[2] };
    return undefined;
  }

  /**
   * Starts the process behind a node of `cluster` on its recorded port when that port is free (another otherwise)
   * and records the port. Resolves once the process answers PING / version. A simulated node has no process (undefined).
   */
  async startNode(
    region: string,
    cluster: CacheClusterRecord,
    node: CacheNodeRecord,
    options: { clusterEnabled: boolean; replicaOfPort?: number },
  ): Promise<NodeHandle | undefined> {
    if (cluster.simulated) {
      this.checkNotClosing();
      startSimulatedNode(cluster, node);
      return undefined;
    }
    const key = this.nodeKey(region, cluster.cacheClusterId, node.cacheNodeId);
    const maxmemoryBytes = nodeMaxmemoryBytes(cluster.cacheNodeType);
    const handle = await this.guardedStart(() =>
      cluster.engine === "memcached"
        ? this.supervisor.startMemcached({ key, port: node.port || undefined, memoryMB: Math.max(1, Math.round(maxmemoryBytes / 2 ** 20)) })
        : this.supervisor.startRedis({
            key,
            port: node.port || undefined,
            maxmemoryBytes,
            clusterEnabled: options.clusterEnabled,
            resetData: true,
            security: nodeSecurity(settingsOf(cluster)),
            replicaOfPort: options.replicaOfPort,
          }),
    );
    node.port = handle.port;
    delete node.exitedAt;
    return handle;
  }

  async startServerlessNode(region: string, cache: ServerlessCacheRecord): Promise<NodeHandle> {
    const key = this.serverlessKey(region, cache.serverlessCacheName);
    const handle = await this.guardedStart(() =>
      cache.engine === "memcached"
        ? this.supervisor.startMemcached({ key, port: cache.port || undefined, memoryMB: Math.max(1, Math.round(cache.maxmemoryBytes / 2 ** 20)) })
        : this.supervisor.startRedis({ key, port: cache.port || undefined, maxmemoryBytes: cache.maxmemoryBytes, clusterEnabled: false, resetData: true }),
    );
    cache.port = handle.port;
    delete cache.exitedAt;
    return handle;
  }

  /**
   * A Redis process outside the records, under its own key (e.g. the stand-in primary of a vertical scale): started
   * like any node and stopped at shutdown, but never reported to onNodeExit.
   */
  async startAuxiliaryNode(key: string, options: { maxmemoryBytes: number; clusterEnabled: boolean; security?: NodeSecurity }): Promise<NodeHandle> {
    return this.guardedStart(() => this.supervisor.startRedis({ key, ...options, resetData: true }));
  }

  /** Starts are awaited at shutdown, so a process spawned at that moment is stopped rather than orphaned. */
  private async guardedStart(start: () => Promise<NodeHandle>): Promise<NodeHandle> {
    this.checkNotClosing();
    const starting = start();
    this.starting.add(starting);
    try {
      const handle = await starting;
      if (this.closing) {
        await this.supervisor.stop(handle.key);
        throw new ShuttingDown();
      }
      return handle;
    } finally {
      this.starting.delete(starting);
    }
  }

  /** Whether the process behind a node key (nodeKey, serverlessKey or an auxiliary node's) runs now. */
  isRunning(key: string): boolean {
    return this.supervisor.get(key) !== undefined;
  }

  /** The running process behind a node key: its port and pid (undefined while it is down). */
  nodeProcess(key: string): Pick<NodeHandle, "engine" | "port" | "pid"> | undefined {
    const handle = this.supervisor.get(key);
    return handle && { engine: handle.engine, port: handle.port, pid: handle.pid };
  }

  /** Every running process, nodes and auxiliary ones (what the emulator costs the machine). */
  listProcesses(): Array<Pick<NodeHandle, "key" | "engine" | "port" | "pid">> {
    return this.supervisor.list().map(({ key, engine, port, pid }) => ({ key, engine, port, pid }));
  }

  /**
   * Stops a node's process on purpose (SIGTERM), keeping its directory, e.g. to start it again as a fresh replica.
   * Not reported to onNodeExit.
   */
  async stopNode(key: string): Promise<void> {
    await this.supervisor.stop(key);
  }

  /** SIGKILL, as a crash or a power cut would: the death is reported to onNodeExit like any other. */
  async killNode(key: string): Promise<void> {
    await this.supervisor.kill(key);
  }

  /** Stops processes an earlier emulator on this data dir left running when it was killed; returns how many. */
  reapStaleNodes(): Promise<number> {
    return this.supervisor.reapStale();
  }

  /** Stops a node's process and forgets its directory (the node is gone for good). */
  async removeNode(region: string, cacheClusterId: string, cacheNodeId: string): Promise<void> {
    await this.supervisor.remove(this.nodeKey(region, cacheClusterId, cacheNodeId));
  }

  async removeServerlessNode(region: string, name: string): Promise<void> {
    await this.supervisor.remove(this.serverlessKey(region, name));
  }

  async removeAuxiliaryNode(key: string): Promise<void> {
    await this.supervisor.remove(key);
  }

  /** Registers a reaction to node deaths (issue 4: automatic failover, node replacement). */
  onNodeExit(handler: NodeExitHandler): void {
    this.exitHandlers.push(handler);
  }

  private nodeExited(key: string, code: number | null, signal: NodeJS.Signals | null): void {
    const parsed = this.parseKey(key);
    if (!parsed || this.closing) return;
    const state = this.regionState(parsed.region);
    const at = new Date().toISOString();
    if (parsed.serverlessCacheName !== undefined) {
      const cache = state.serverlessCaches[parsed.serverlessCacheName];
      if (cache) cache.exitedAt = at;
    } else {
      const node = state.cacheClusters[parsed.cacheClusterId]?.nodes.find((n) => n.cacheNodeId === parsed.cacheNodeId);
      if (node) node.exitedAt = at;
    }
    this.save();
    for (const handler of this.exitHandlers) {
      Promise.resolve(handler({ ...parsed, code, signal })).catch((error) => this.log(`node exit handler failed: ${(error as Error).stack ?? error}`));
    }
  }

  /** Every node process that should be running now, with what a metrics collector needs to name and size it. */
  listNodesForMetrics(): MetricsNode[] {
    const nodes: MetricsNode[] = [];
    for (const region of this.store.regionNames()) {
      const state = this.regionState(region);
      for (const cluster of Object.values(state.cacheClusters)) {
        for (const node of cluster.nodes) {
          if (node.port === 0 || node.exitedAt || !this.supervisor.get(this.nodeKey(region, cluster.cacheClusterId, node.cacheNodeId))) continue;
          nodes.push({
            region,
            engine: cluster.engine,
            port: node.port,
            availabilityZone: node.availabilityZone,
            cacheClusterId: cluster.cacheClusterId,
            cacheNodeId: node.cacheNodeId,
            replicationGroupId: cluster.replicationGroupId,
            nodeGroupId: cluster.nodeGroupId,
            role: node.role,
            cacheNodeType: cluster.cacheNodeType,
            maxmemoryBytes: nodeMaxmemoryBytes(cluster.cacheNodeType),
          });
        }
      }
      for (const cache of Object.values(state.serverlessCaches)) {
        if (cache.port === 0 || cache.exitedAt || !this.supervisor.get(this.serverlessKey(region, cache.serverlessCacheName))) continue;
        nodes.push({ region, engine: cache.engine, port: cache.port, serverlessCacheName: cache.serverlessCacheName, maxmemoryBytes: cache.maxmemoryBytes });
      }
    }
    return nodes;
  }

  /** Stops every node process and leaves the metadata as it was, so the next start brings the same fleet back. */
  async shutdown(): Promise<void> {
    if (this.closing) return;
    this.store.save();
    this.closing = true;
    await Promise.allSettled([...this.starting]);
    await this.supervisor.stopAll();
  }
}

export function nodeMaxmemoryBytes(cacheNodeType: string): number {
  const type = nodeType(cacheNodeType);
  if (!type) throw new Error(`unknown node type ${cacheNodeType}`);
  return localMaxmemoryBytes(type);
}

import type { ElastiCacheControlPlane } from "../elasticache/control-plane";
import { KeyChooser } from "./key-chooser";
import { connect, type KvClient } from "./kv-client";
import { ReplicaLinks } from "./replica-links";
import { replicaLinks, resolveTarget, type ResourceRef, type Target } from "./targets";
import type { WorkloadConfig } from "./workload-config";

const TICK_MS = 100;
const TOPOLOGY_EVERY_MS = 2_000;
const PREFILL_BATCH = 500;
/** Operations waiting for a reply past this many ticks' worth are not added to (a slow node is not buried). */
const MAX_IN_FLIGHT_TICKS = 20;
const ERROR_LOG_EVERY_MS = 60_000;

/** The traffic one fleet entry's `workload` section describes, driven at the real nodes behind it. */
export class CacheWorkload {
  private readonly keys: KeyChooser;
  private readonly value: Buffer;
  private readonly burstValue: Buffer;
  private readonly links: ReplicaLinks | undefined;
  private client: KvClient | undefined;
  private target = "";
  private timer: NodeJS.Timeout | undefined;
  private lastTick = 0;
  private lastTopology = 0;
  private carry = 0;
  private burstCarry = 0;
  private inFlight = 0;
  private prefilled: Generator<string> | undefined;
  private errors = 0;
  private lastErrorLog = 0;
  private readonly startedAt = Date.now();

  constructor(
    readonly ref: ResourceRef,
    private readonly config: WorkloadConfig,
    private readonly cp: ElastiCacheControlPlane,
    private readonly log: (message: string) => void,
  ) {
    this.keys = new KeyChooser(ref.id.toLowerCase(), config);
    this.value = Buffer.alloc(config.valueBytes, "v");
    this.burstValue = Buffer.alloc(config.bursts?.valueBytes ?? config.valueBytes, "b");
    this.links = config.replicaLinkBytesPerSecond ? new ReplicaLinks(config.replicaLinkBytesPerSecond, log) : undefined;
    this.prefilled = config.prefill ? this.keys.all() : undefined;
  }

  start(): void {
    this.lastTick = Date.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.client?.close();
    this.client = undefined;
    await this.links?.close();
  }

  private tick(): void {
    const now = Date.now();
    const seconds = (now - this.lastTick) / 1000;
    this.lastTick = now;
    if (now - this.lastTopology >= TOPOLOGY_EVERY_MS || !this.client) {
      this.lastTopology = now;
      this.follow(resolveTarget(this.cp, this.ref));
      void this.links?.update(replicaLinks(this.cp, this.ref));
    }
    const client = this.client;
    if (!client) return;
    if (this.prefilled) return this.prefill(client);

    const budget = this.config.opsPerSecond * seconds * MAX_IN_FLIGHT_TICKS;
    this.carry += this.config.opsPerSecond * seconds;
    const burst = this.config.bursts;
    const inBurst = burst !== undefined && ((now - this.startedAt) / 1000) % burst.everySeconds < burst.durationSeconds;
    this.burstCarry += inBurst ? burst.writesPerSecond * seconds : 0;
    if (this.inFlight > budget) return;
    for (; this.carry >= 1; this.carry--) this.operation(client);
    for (; this.burstCarry >= 1; this.burstCarry--) this.write(client, this.keys.burstKey(burst!.keys), this.burstValue);
  }

  /** Connects to where the resource is now; stays idle while it is unavailable; stops when it is deleted. */
  private follow(target: Target): void {
    if (target.kind === "gone") {
      void this.stop();
      return;
    }
    const description = JSON.stringify(target);
    if (description === this.target) return;
    this.client?.close();
    this.client = target.kind === "unavailable" ? undefined : connect(target);
    this.target = description;
  }

  private prefill(client: KvClient): void {
    if (this.inFlight > 0) return;
    for (let i = 0; i < PREFILL_BATCH; i++) {
      const next = this.prefilled!.next();
      if (next.done) {
        this.prefilled = undefined;
        this.log(`workload: ${this.ref.region}/${this.ref.id} prefilled ${this.config.keySpace} keys`);
        return;
      }
      this.write(client, next.value, this.value);
    }
  }

  private operation(client: KvClient): void {
    const key = this.keys.next();
    if (Math.random() >= this.config.readRatio) return this.write(client, key, this.value);
    this.track(
      client.get(key).then((hit) => {
        if (!hit && this.config.fillOnMiss) this.write(client, key, this.value);
      }),
    );
  }

  private write(client: KvClient, key: string, value: Buffer): void {
    const ttl = this.config.ttlSeconds > 0 ? Math.max(1, Math.round(this.config.ttlSeconds * (0.9 + 0.2 * Math.random()))) : 0;
    this.track(client.set(key, value, ttl));
  }

  private track(operation: Promise<unknown>): void {
    this.inFlight++;
    operation
      .catch((error: Error) => {
        this.errors++;
        const now = Date.now();
        if (now - this.lastErrorLog >= ERROR_LOG_EVERY_MS) {
          this.lastErrorLog = now;
          this.log(`workload: ${this.ref.region}/${this.ref.id}: ${error.message} (${this.errors} errors so far)`);
        }
      })
      .finally(() => this.inFlight--);
  }
}

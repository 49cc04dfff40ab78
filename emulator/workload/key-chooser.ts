import type { WorkloadConfig } from "./workload-config";

/** Picks keys for a cache's traffic: uniform over the key space, except the share that goes to the hot keys. */
export class KeyChooser {
  constructor(
    private readonly prefix: string,
    private readonly config: WorkloadConfig,
    private readonly random: () => number = Math.random,
  ) {}

  /** Every key of the key space, for a prefill. */
  *all(): Generator<string> {
    for (let i = 0; i < this.config.keySpace; i++) yield this.key(i);
  }

  next(): string {
    const hot = this.config.hotKeys;
    if (hot && this.random() < hot.share) return this.hotKey(Math.floor(this.random() * hot.count));
    return this.key(Math.floor(this.random() * this.config.keySpace));
  }

  /** A key among `count` burst keys: the hot keys when the workload has some. */
  burstKey(count: number): string {
    const hot = this.config.hotKeys;
    if (hot) return this.hotKey(Math.floor(this.random() * hot.count));
    return `${this.prefix}:burst:${Math.floor(this.random() * count)}`;
  }

  private key(i: number): string {
    return `${this.prefix}:${i}`;
  }

  /** A hash tag (`{...}`) puts every hot key in one slot, so in cluster mode one shard takes their traffic. */
  private hotKey(i: number): string {
    return this.config.hotKeys?.sameSlot ? `{${this.prefix}:hot}:${i}` : `${this.prefix}:hot:${i}`;
  }
}

import type { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import Redis from "ioredis";
import { describeGroup, rolesOf } from "./replication-group";

// A client that keeps writing to a cluster-mode-disabled group's primary endpoint, as an application would: on a
// refused write it asks DescribeReplicationGroups for the primary endpoint again (AWS re-points a DNS name; the
// emulator's endpoint is the primary's own port) and retries. It measures how long writes were refused.

export interface WriterReport {
  /** Keys whose SET was acknowledged by a primary (each once). */
  acknowledged: string[];
  refusedWrites: number;
  /** The longest stretch from a refused write to the next acknowledged one, ms. */
  longestRefusalMs: number;
  /** Every refusal stretch, ms. */
  refusalWindowsMs: number[];
}

export class ContinuousWriter {
  private stopping = false;
  private readonly done: Promise<WriterReport>;

  constructor(
    private readonly client: ElastiCacheClient,
    private readonly replicationGroupId: string,
    private readonly prefix = "writer",
    /** The writer cycles over this many keys, so a small node's memory does not fill up (writes would get OOM). */
    private readonly keyCount = 1000,
  ) {
    this.done = this.run();
  }

  stop(): Promise<WriterReport> {
    this.stopping = true;
    return this.done;
  }

  private async connect(): Promise<Redis> {
    const { primaryPort } = rolesOf(await describeGroup(this.client, this.replicationGroupId));
    const redis = new Redis({
      host: "127.0.0.1",
      port: primaryPort,
      lazyConnect: true,
      connectTimeout: 500,
      commandTimeout: 500,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    redis.on("error", () => {});
    await redis.connect().catch(() => undefined);
    return redis;
  }

  private async run(): Promise<WriterReport> {
    const report: WriterReport = { acknowledged: [], refusedWrites: 0, longestRefusalMs: 0, refusalWindowsMs: [] };
    const acknowledged = new Set<string>();
    let redis = await this.connect();
    let refusedSince: number | undefined;
    for (let i = 0; !this.stopping; i++) {
      const key = `${this.prefix}:${i % this.keyCount}`;
      try {
        await redis.set(key, `value of ${key}`);
        acknowledged.add(key);
        if (refusedSince !== undefined) {
          const window = Date.now() - refusedSince;
          report.refusalWindowsMs.push(window);
          report.longestRefusalMs = Math.max(report.longestRefusalMs, window);
          refusedSince = undefined;
        }
      } catch {
        report.refusedWrites++;
        refusedSince ??= Date.now();
        redis.disconnect();
        redis = await this.connect();
      }
    }
    redis.disconnect();
    report.acknowledged = [...acknowledged];
    return report;
  }
}

import "server-only";
import { describeEvents } from "@/lib/aws";
import type { AuditLog } from "@/lib/audit/audit-log";
import { placeLabel, type Place } from "@/lib/place";

// TestFailover's quota counts shards per rolling 24 hours per account and region. AWS does not say how much is left, so it is
// estimated from what CacheDeck recorded and from the region's "Test Failover API called" events (which also count
// failovers started elsewhere); the larger of the two is the better guess.

export interface FailoverQuotaUse {
  limit: number;
  usedByOurRecords: number;
  /** Null when the events could not be read (then only CacheDeck's own records count). */
  usedByEvents: number | null;
}

const DAY_MS = 24 * 3600 * 1000;

export async function failoverQuotaUse(
  place: Place,
  audit: AuditLog,
  limit: number,
  now: Date,
  log: (message: string, error?: unknown) => void,
): Promise<FailoverQuotaUse> {
  const since = new Date(now.getTime() - DAY_MS);
  const [ours, events] = await Promise.all([
    audit.list({ action: "cluster.test-failover", status: "succeeded", from: since, limit: 10_000 }),
    describeEvents(place, { start: since, end: now, sourceType: "replication-group" }).catch((error) => {
      log(`events of ${placeLabel(place)} not read; the test failover quota counts CacheDeck's records only`, error);
      return null;
    }),
  ]);
  return {
    limit,
    usedByOurRecords: ours.filter((r) => r.account === place.account && r.region === place.region).length,
    usedByEvents: events === null ? null : events.filter((e) => /^Test Failover API called for node group/i.test(e.message)).length,
  };
}

export function quotaLeft(use: FailoverQuotaUse): number {
  return use.limit - Math.max(use.usedByOurRecords, use.usedByEvents ?? 0);
}

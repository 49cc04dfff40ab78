import "server-only";
import { awsCallsPerMinute, metricsRequestedToday } from "@/lib/aws";
import { watcherConfig } from "@/lib/env";
import { watcherStatuses, type WatcherStatus } from "@/lib/watcher";
import { metricsCostUsd } from "@/lib/watcher/schedule";

export interface CostReport {
  /** Averaged over the last five whole minutes, busiest first. */
  callsPerMinute: { service: string; operation: string; perMinute: number }[];
  metricsToday: number;
  spentTodayUsd: number;
  budgetUsdPerDay: number;
  pricePer1000Metrics: number;
  projectedUsdPerDay: number;
  watchers: WatcherStatus[];
}

/** What this app instance asks of AWS: the admin cost page. */
export function costReport(now: number): CostReport {
  const config = watcherConfig();
  const metricsToday = metricsRequestedToday(now);
  const watchers = watcherStatuses(now).sort((a, b) => `${a.key.account}/${a.key.region}`.localeCompare(`${b.key.account}/${b.key.region}`));
  return {
    callsPerMinute: Object.entries(awsCallsPerMinute(5, now))
      .map(([key, perMinute]) => {
        const [service, operation] = key.split(":");
        return { service, operation, perMinute };
      })
      .sort((a, b) => b.perMinute - a.perMinute),
    metricsToday,
    spentTodayUsd: metricsCostUsd(metricsToday, config.pricePer1000Metrics),
    budgetUsdPerDay: config.budgetUsdPerDay,
    pricePer1000Metrics: config.pricePer1000Metrics,
    // A follower's schedule is its leader's: the leader's instance pays for it.
    projectedUsdPerDay: watchers.filter((w) => w.state !== "idle" && w.lease !== "follower").reduce((sum, w) => sum + w.projectedUsdPerDay, 0),
    watchers,
  };
}

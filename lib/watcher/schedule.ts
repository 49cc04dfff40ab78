// When a watcher asks AWS for what. Pure arithmetic, so the budget can be checked in unit tests: CloudWatch bills
// GetMetricData per metric requested (whatever the number of points), so the spend is metrics per read × reads per
// day, and the only lever is how often the fleet-wide read runs.

/** ElastiCache publishes its metrics once a minute: reading more often returns nothing new. */
export const metricGranularityMs = 60_000;
/** Share of the daily budget the fleet-wide health read may use; the rest pays for closer reads. */
export const fleetShareOfBudget = 0.75;
/** Describe* runs on events; this timer only catches what no event announced. */
export const fullDescribeEveryMs = 10 * 60_000;
/**
 * Between two pages of that timer's describe: a region of 1,000 caches (36 DescribeCacheClusters and 11
 * DescribeReplicationGroups pages, the two lists side by side) is re-read in about 70 s, not in one burst of 47 calls.
 */
export const fullDescribePageGapMs = 2_000;
/**
 * Between two pairs of GetMetricData calls of a scheduled fleet-wide read: at 1,000 caches (18,400 metrics, about 40
 * calls) the read takes about 40 s instead of one burst of 40 calls. The first read is not paced: pages wait for it.
 */
export const fleetReadPairGapMs = 2_000;
/** Tags rarely change; one paged GetResources per region this often, each region at its own moment. */
export const tagsEveryMs = 15 * 60_000;
/**
 * Between two GetResources pages of one tags refresh: the last round's pages spread over half the period (a region
 * of 1,000 caches, 46 pages, reads one every 9.8 s), never closer than a second.
 */
export function tagPageGapMs(periodMs: number, pagesPerRound: number): number {
  return Math.max(1_000, Math.floor(periodMs / 2 / Math.max(1, pagesPerRound)));
}

/**
 * Alarms: one paged DescribeAlarms per account × region this often (free of GetMetricData's per-metric price; the
 * history only when a state moved). An alarm is judged once a minute, so reading more often shows nothing new.
 */
export const alarmsEveryMs = 60_000;
/** After an event or an operation, the watcher polls busy until this long has passed without one. */
export const busyForMs = 2 * 60_000;
const dayMs = 86_400_000;

export function metricsCostUsd(metrics: number, pricePer1000Metrics: number): number {
  return (metrics / 1000) * pricePer1000Metrics;
}

export interface Budget {
  usdPerDay: number;
  pricePer1000Metrics: number;
}

/** Time between reads of `metricsPerRead` metrics that spends at most `usdPerDay`, never under the granularity. */
export function readIntervalMs(metricsPerRead: number, usdPerDay: number, pricePer1000Metrics: number): number {
  if (metricsPerRead <= 0) return metricGranularityMs;
  const readsPerDay = usdPerDay / metricsCostUsd(metricsPerRead, pricePer1000Metrics);
  return Math.max(metricGranularityMs, Math.ceil(dayMs / readsPerDay));
}

/** The fleet-wide health read: every cache's health metrics, within the fleet's share of the budget. */
export function fleetReadIntervalMs(metricsPerRead: number, budget: Budget): number {
  return readIntervalMs(metricsPerRead, budget.usdPerDay * fleetShareOfBudget, budget.pricePer1000Metrics);
}

/** Closer reads of the caches someone looks at, that are unhealthy or changing, within the rest of the budget. */
export function closeReadIntervalMs(metricsPerRead: number, budget: Budget): number {
  return readIntervalMs(metricsPerRead, budget.usdPerDay * (1 - fleetShareOfBudget), budget.pricePer1000Metrics);
}

/** What a schedule costs a day if it runs unchanged: the figure the admin page compares with the budget. */
export function dailyCostUsd(metricsPerRead: number, intervalMs: number, pricePer1000Metrics: number): number {
  return metricsCostUsd(metricsPerRead, pricePer1000Metrics) * (dayMs / intervalMs);
}

/** Once today's spend reaches the budget, metric reads wait for the next UTC day. */
export function nextMetricReadAt(wanted: number, spentTodayUsd: number, budget: Budget): number {
  if (spentTodayUsd < budget.usdPerDay) return wanted;
  return Math.max(wanted, (Math.floor(wanted / dayMs) + 1) * dayMs);
}

/** The fastest event polling: twice a second, while someone watches a cache change. */
export const fastestEventPollMs = 250;

/**
 * Event polling: calm; busy while an operation, drill or change is under way or someone has a cache page open; and
 * twice as fast while both hold, so a failover someone watches reaches their page within 2 s of AWS reporting it
 * (DescribeEvents is not billed, and this lasts only as long as the change).
 */
export function eventPollIntervalMs(busy: boolean, looked: boolean, calmMs: number, busyMs: number): number {
  if (busy && looked) return Math.max(fastestEventPollMs, Math.round(busyMs / 2));
  return busy || looked ? busyMs : calmMs;
}

/**
 * Where a watcher's first tags read and full describe fall inside their period, from its key: regions and accounts
 * started together do not all call at once, and a restart keeps each one's slot.
 */
export function spreadOffsetMs(key: string, periodMs: number): number {
  let hash = 0;
  for (const char of key) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return hash % periodMs;
}

/**
 * The first moment at or after `earliest` that lies `phase` (0–1) of the way into a cycle of `periodMs`. Every
 * region's fleet-wide read has the same period (the budget's parts follow the metrics) and every full describe the
 * same 10 minutes: watchers at different phases take turns instead of reading together. Callers ask from half a
 * period after the last run, so a run that started a little late keeps its slot instead of skipping one.
 */
export function nextSlotMs(earliest: number, periodMs: number, phase: number): number {
  const offset = Math.floor(phase * periodMs);
  return earliest + ((((offset - earliest) % periodMs) + periodMs) % periodMs);
}

import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

export type AwsService = "elasticache" | "cloudwatch" | "tagging" | "fis" | "sts" | "pricing";

export interface AwsCall {
  service: AwsService;
  region: string;
  operation: string;
}

const scope = new AsyncLocalStorage<AwsCall[]>();
const totals = new Map<string, number>();

/** Per-minute call counts by `service:Operation`, kept for the last hour: what the admin cost page shows. */
const minuteMs = 60_000;
const minutesKept = 60;
const perMinute = new Map<number, Map<string, number>>();

/** CloudWatch bills GetMetricData per metric requested; counted per UTC day. */
let metricsDay = "";
let metricsToday = 0;

function forget(now: number): void {
  const oldest = Math.floor(now / minuteMs) - minutesKept;
  for (const minute of perMinute.keys()) if (minute < oldest) perMinute.delete(minute);
}

/** Called by the clients' middleware once per API operation sent (retries of the same operation are not counted). */
export function recordAwsCall(call: AwsCall, now = Date.now()): void {
  scope.getStore()?.push(call);
  const key = `${call.service}:${call.operation}`;
  totals.set(key, (totals.get(key) ?? 0) + 1);
  const minute = Math.floor(now / minuteMs);
  const counts = perMinute.get(minute) ?? new Map<string, number>();
  counts.set(key, (counts.get(key) ?? 0) + 1);
  perMinute.set(minute, counts);
  forget(now);
}

/** Called once per GetMetricData request sent (every attempt: retries are billed too), with its metric queries. */
export function recordMetricsRequested(count: number, now = Date.now()): void {
  const day = new Date(now).toISOString().slice(0, 10);
  if (day !== metricsDay) {
    metricsDay = day;
    metricsToday = 0;
  }
  metricsToday += count;
}

/** Metrics requested from CloudWatch since 00:00 UTC. */
export function metricsRequestedToday(now = Date.now()): number {
  return new Date(now).toISOString().slice(0, 10) === metricsDay ? metricsToday : 0;
}

/**
 * Runs `work` and returns the AWS calls it made, including those of concurrent promises it started. Scopes nest:
 * an inner scope's calls are not seen by the outer one, so wrap exactly what you want to measure.
 */
export async function countAwsCalls<T>(work: () => Promise<T>): Promise<{ result: T; calls: AwsCall[] }> {
  const calls: AwsCall[] = [];
  const result = await scope.run(calls, work);
  return { result, calls };
}

/**
 * Runs `work` outside any counting scope: a read that serves every viewer (started by whichever page came first)
 * is not that page's call.
 */
export function outsideCallScope<T>(work: () => T): T {
  return scope.exit(work);
}

/** Process-wide totals per `service:Operation` since start, for diagnostics. */
export function awsCallTotals(): Record<string, number> {
  return Object.fromEntries(totals);
}

/** Calls per minute by `service:Operation`, averaged over the last `minutes` whole minutes. */
export function awsCallsPerMinute(minutes = 5, now = Date.now()): Record<string, number> {
  const current = Math.floor(now / minuteMs);
  const sums = new Map<string, number>();
  for (let m = current - minutes; m < current; m += 1) {
    for (const [key, count] of perMinute.get(m) ?? []) sums.set(key, (sums.get(key) ?? 0) + count);
  }
  return Object.fromEntries([...sums].map(([key, sum]) => [key, sum / minutes]));
}

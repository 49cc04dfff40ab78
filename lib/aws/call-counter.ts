import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";

export type AwsService = "elasticache" | "cloudwatch";

export interface AwsCall {
  service: AwsService;
  region: string;
  operation: string;
}

const scope = new AsyncLocalStorage<AwsCall[]>();
const totals = new Map<string, number>();

/** Called by the clients' middleware once per API operation sent (retries of the same operation are not counted). */
export function recordAwsCall(call: AwsCall): void {
  scope.getStore()?.push(call);
  const key = `${call.service}:${call.operation}`;
  totals.set(key, (totals.get(key) ?? 0) + 1);
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

/** Process-wide totals per `service:Operation` since start, for diagnostics. */
export function awsCallTotals(): Record<string, number> {
  return Object.fromEntries(totals);
}

import "server-only";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { FisClient } from "@aws-sdk/client-fis";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { awsCallConfig, type AwsCallConfig } from "@/lib/env";
import { recordAwsCall, type AwsService } from "./call-counter";

/** An API call used up its whole budget (attempts, retries and back-off) without an answer. */
export class CallBudgetExceededError extends Error {
  constructor(readonly budgetMs: number) {
    super(`no answer within the call budget of ${budgetMs} ms`);
    this.name = "CallBudgetExceededError";
  }
}

type SendOptions = { abortSignal?: AbortSignal };
type Send = (command: unknown, options?: SendOptions) => Promise<unknown>;

/** Rejects once `signal` aborts, so a caller gets its answer on time even from a step that ignores the signal. */
function abortion(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason), { once: true }));
}

/**
 * Every `send` of the client runs within one budget: the SDK's own abortSignal (which its retry loop and HTTP handler
 * honour) aborts whatever attempt or back-off is under way when the budget ends, together with any signal the
 * caller passed (an action's deadline). The race also covers steps that do not look at the signal, such as
 * resolving credentials.
 */
function sendWithinBudget(client: { send: unknown }, budgetMs: number): void {
  const send = (client.send as Send).bind(client);
  const budgeted: Send = async (command, options) => {
    const budget = new AbortController();
    const timer = setTimeout(() => budget.abort(new CallBudgetExceededError(budgetMs)), budgetMs);
    const signal = options?.abortSignal ? AbortSignal.any([options.abortSignal, budget.signal]) : budget.signal;
    try {
      return await Promise.race([send(command, { ...options, abortSignal: signal }), abortion(signal)]);
    } catch (error) {
      // The SDK reports an aborted call as a bare AbortError; say it was the budget, unless the caller aborted first.
      if (budget.signal.aborted && !options?.abortSignal?.aborted) throw budget.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  };
  client.send = budgeted;
}

function sdkOptions(config: AwsCallConfig) {
  return {
    maxAttempts: config.maxAttempts,
    // Options for the SDK's NodeHttpHandler. throwOnRequestTimeout: without it the handler only logs a warning when
    // an attempt's time is up, and keeps waiting.
    requestHandler: {
      connectionTimeout: config.connectTimeoutMs,
      requestTimeout: config.attemptTimeoutMs,
      throwOnRequestTimeout: true,
    },
  };
}

type Client = ElastiCacheClient | CloudWatchClient | ResourceGroupsTaggingAPIClient | FisClient;
const clients = new Map<string, Client>();

function cachedClient<C extends Client>(service: AwsService, region: string, create: (options: ReturnType<typeof sdkOptions>) => C): C {
  const key = `${service}:${region}`;
  const existing = clients.get(key);
  if (existing) return existing as C;
  const config = awsCallConfig();
  const client = create(sdkOptions(config));
  (client.middlewareStack as ElastiCacheClient["middlewareStack"]).add(
    (next, context) => async (args) => {
      recordAwsCall({ service, region, operation: context.commandName?.replace(/Command$/, "") ?? "unknown" });
      return next(args);
    },
    { step: "initialize", name: "cachedeckAwsCallCounter" },
  );
  sendWithinBudget(client, config.budgetMs);
  clients.set(key, client);
  return client;
}

/**
 * One client per service and region, kept for the life of the process, each call within the budget of
 * `awsCallConfig()`. Credentials and endpoint come from the SDK's default chain, which also honours AWS_ENDPOINT_URL
 * and AWS_ENDPOINT_URL_ELASTICACHE / _CLOUDWATCH / _RESOURCE_GROUPS_TAGGING_API / _FIS. A client for another AWS service belongs here too, built the same way.
 */
export function elastiCacheClient(region: string): ElastiCacheClient {
  return cachedClient("elasticache", region, (options) => new ElastiCacheClient({ region, ...options }));
}

export function cloudWatchClient(region: string): CloudWatchClient {
  return cachedClient("cloudwatch", region, (options) => new CloudWatchClient({ region, ...options }));
}

/** Tags of a whole region in one paged GetResources, instead of one ListTagsForResource per cache. */
export function taggingClient(region: string): ResourceGroupsTaggingAPIClient {
  return cachedClient("tagging", region, (options) => new ResourceGroupsTaggingAPIClient({ region, ...options }));
}

/** AWS Fault Injection Service, which runs the AZ power interruption drills. */
export function fisClient(region: string): FisClient {
  return cachedClient("fis", region, (options) => new FisClient({ region, ...options }));
}

import "server-only";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { FisClient } from "@aws-sdk/client-fis";
import { PricingClient } from "@aws-sdk/client-pricing";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { accountsConfig, findAccount, placeKey, type Account, type Place } from "@/lib/accounts";
import { awsCallConfig, type AwsCallConfig } from "@/lib/env";
import { recordAwsCall, recordMetricsRequested, type AwsService } from "./call-counter";
import { markSharedReader } from "./shared-reader";

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

/** CacheDeck could not assume an account's role: every call to that account fails with this as its cause. */
export class AssumeRoleError extends Error {
  constructor(
    readonly account: Account,
    readonly cause: unknown,
  ) {
    super(`could not assume ${account.roleArn} for account ${account.name}`, { cause });
    this.name = "AssumeRoleError";
  }
}

/** Counts each STS call like any other AWS call (the admin cost page shows them). */
function stsCallCounter(region: string) {
  return {
    applyToStack(stack: ElastiCacheClient["middlewareStack"]) {
      stack.add(
        (next, context) => async (args) => {
          recordAwsCall({ service: "sts", region, operation: context.commandName?.replace(/Command$/, "") ?? "unknown" });
          markSharedReader(context);
          return next(args);
        },
        { step: "initialize", name: "cachedeckStsCallCounter" },
      );
    },
  };
}

/**
 * The credentials of an account from the accounts file: STS AssumeRole of its role (with its ExternalId) through the
 * SDK's own provider, signed with the credential chain's credentials. Each client caches them and refreshes them
 * before they expire (the SDK's memoization), so no signing or caching is done here. STS goes to the same endpoint
 * override as the other services (AWS_ENDPOINT_URL_STS, else AWS_ENDPOINT_URL: the emulator), with the same deadlines.
 * Whatever the provider throws is wrapped in AssumeRoleError, so a failing account is reported as such.
 */
function assumedRoleCredentials(account: Account & { roleArn: string }, region: string, options: ReturnType<typeof sdkOptions>) {
  const endpoint = process.env.AWS_ENDPOINT_URL_STS ?? process.env.AWS_ENDPOINT_URL;
  const provider = fromTemporaryCredentials({
    params: { RoleArn: account.roleArn, RoleSessionName: account.sessionName, ExternalId: account.externalId ?? undefined },
    clientConfig: { region, ...options, ...(endpoint ? { endpoint } : {}) },
    clientPlugins: [stsCallCounter(region)],
  });
  return async () => {
    try {
      return await provider();
    } catch (error) {
      throw new AssumeRoleError(account, error);
    }
  };
}

/** The client options for `place`: the chain's own credentials, or the account's assumed role. */
function placeOptions(place: Place, options: ReturnType<typeof sdkOptions>) {
  const account = findAccount(place.account);
  if (!account) throw new Error(`unknown account ${place.account}: only configured places reach lib/aws`);
  const roleArn = account.roleArn;
  return { region: place.region, ...options, ...(roleArn ? { credentials: assumedRoleCredentials({ ...account, roleArn }, place.region, options) } : {}) };
}

type ClientOptions = ReturnType<typeof placeOptions>;
type Client = ElastiCacheClient | CloudWatchClient | ResourceGroupsTaggingAPIClient | FisClient | PricingClient;
const clients = new Map<string, Client>();

function cachedClient<C extends Client>(service: AwsService, place: Place, create: (options: ClientOptions) => C): C {
  const key = `${service}:${placeKey(place)}`;
  const existing = clients.get(key);
  if (existing) return existing as C;
  const config = awsCallConfig();
  const client = create(placeOptions(place, sdkOptions(config)));
  (client.middlewareStack as ElastiCacheClient["middlewareStack"]).add(
    (next, context) => async (args) => {
      recordAwsCall({ service, region: place.region, operation: context.commandName?.replace(/Command$/, "") ?? "unknown" });
      markSharedReader(context);
      return next(args);
    },
    { step: "initialize", name: "cachedeckAwsCallCounter" },
  );
  sendWithinBudget(client, config.budgetMs);
  clients.set(key, client);
  return client;
}

/**
 * One client per service, account and region, kept for the life of the process, each call within the budget of
 * `awsCallConfig()`. The chain's own account uses the SDK's default credential chain; an account of the accounts file
 * its assumed role (above). Endpoints come from the SDK, which honours AWS_ENDPOINT_URL and
 * AWS_ENDPOINT_URL_ELASTICACHE / _CLOUDWATCH / _RESOURCE_GROUPS_TAGGING_API / _FIS. A client for another AWS service
 * belongs here too, built the same way.
 */
export function elastiCacheClient(place: Place): ElastiCacheClient {
  return cachedClient("elasticache", place, (options) => new ElastiCacheClient(options));
}

export function cloudWatchClient(place: Place): CloudWatchClient {
  return cachedClient("cloudwatch", place, (options) => {
    const client = new CloudWatchClient(options);
    // Inside the retry loop (finalizeRequest, below the SDK's retry middleware): CloudWatch bills every GetMetricData
    // request it receives, so a retried request (a timed-out attempt AWS may well have answered) is counted again.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === "GetMetricDataCommand") recordMetricsRequested((args.input as { MetricDataQueries?: unknown[] }).MetricDataQueries?.length ?? 0);
        return next(args);
      },
      { step: "finalizeRequest", priority: "low", name: "cachedeckMetricsBilled" },
    );
    return client;
  });
}

/** Tags of a whole region in one paged GetResources, instead of one ListTagsForResource per cache. */
export function taggingClient(place: Place): ResourceGroupsTaggingAPIClient {
  return cachedClient("tagging", place, (options) => new ResourceGroupsTaggingAPIClient(options));
}

/** AWS Fault Injection Service, which runs the AZ power interruption drills. */
export function fisClient(place: Place): FisClient {
  return cachedClient("fis", place, (options) => new FisClient(options));
}

/**
 * The AWS Price List API with the default account's credentials: its endpoints live in a few regions only
 * (us-east-1 answers for every region's prices), and prices do not differ by account.
 */
export function pricingClient(): PricingClient {
  return cachedClient("pricing", { account: accountsConfig().defaultAccount, region: "us-east-1" }, (options) => new PricingClient(options));
}

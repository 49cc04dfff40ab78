import "server-only";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { ElastiCacheClient } from "@aws-sdk/client-elasticache";
import { recordAwsCall, type AwsService } from "./call-counter";

// A page must not hang on an endpoint that swallows packets: give up on connecting quickly, on answers less so.
const clientOptions = { maxAttempts: 3, requestHandler: { connectionTimeout: 3_000, requestTimeout: 20_000 } };

type Client = ElastiCacheClient | CloudWatchClient;
const clients = new Map<string, Client>();

function cachedClient<C extends Client>(service: AwsService, region: string, create: () => C): C {
  const key = `${service}:${region}`;
  const existing = clients.get(key);
  if (existing) return existing as C;
  const client = create();
  (client.middlewareStack as ElastiCacheClient["middlewareStack"]).add(
    (next, context) => async (args) => {
      recordAwsCall({ service, region, operation: context.commandName?.replace(/Command$/, "") ?? "unknown" });
      return next(args);
    },
    { step: "initialize", name: "cachedeckAwsCallCounter" },
  );
  clients.set(key, client);
  return client;
}

/**
 * One client per service and region, kept for the life of the process. Credentials and endpoint come from the
 * SDK's default chain, which also honours AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_ELASTICACHE / _CLOUDWATCH.
 */
export function elastiCacheClient(region: string): ElastiCacheClient {
  return cachedClient("elasticache", region, () => new ElastiCacheClient({ region, ...clientOptions }));
}

export function cloudWatchClient(region: string): CloudWatchClient {
  return cachedClient("cloudwatch", region, () => new CloudWatchClient({ region, ...clientOptions }));
}

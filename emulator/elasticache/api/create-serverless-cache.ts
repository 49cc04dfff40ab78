import { z } from "zod";
import { parseInput, qInt, qList } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { serverlessVersion } from "../state/engines";
import { ENGINES, type ServerlessCacheRecord } from "../state/model";
import { MEMORY_SCALE } from "../state/node-types";
import { setTags } from "../state/tags";
import { launch, serverlessCacheLifecycle } from "../workflows/lifecycle";
import { fault, invalidCombination, invalidValue } from "./errors";
import { resourceId, tagList } from "./input-schemas";
import { mergeTags } from "./lookups";
import { renderServerlessCache } from "./render";
import { refuseUnsupported } from "./shared";

/** AWS's default quota of serverless caches per region. */
export const MAX_SERVERLESS_CACHES_PER_REGION = 40;

/** A serverless cache without a data storage limit is sized as if capped at 10 GB (before MEMORY_SCALE). */
export const DEFAULT_SERVERLESS_STORAGE_GB = 10;

const MAX_STORAGE_GB = 5000;

const limitsSchema = z.object({
  DataStorage: z
    .object({ Maximum: qInt.optional(), Minimum: qInt.optional(), Unit: z.literal("GB") })
    .refine((d) => (d.Maximum ?? 1) >= 1 && (d.Maximum ?? 1) <= MAX_STORAGE_GB, `DataStorage.Maximum must be between 1 and ${MAX_STORAGE_GB} GB`)
    .refine((d) => d.Minimum === undefined || d.Maximum === undefined || d.Minimum <= d.Maximum, "DataStorage.Minimum cannot exceed Maximum")
    .optional(),
  ECPUPerSecond: z
    .object({ Maximum: qInt.optional(), Minimum: qInt.optional() })
    .refine((e) => e.Minimum === undefined || e.Maximum === undefined || e.Minimum <= e.Maximum, "ECPUPerSecond.Minimum cannot exceed Maximum")
    .optional(),
});

const createSchema = z.object({
  ServerlessCacheName: resourceId("ServerlessCacheName", 40),
  Engine: z.string(),
  Description: z.string().optional(),
  MajorEngineVersion: z.string().optional(),
  CacheUsageLimits: limitsSchema.optional(),
  SecurityGroupIds: qList(z.string()).optional(),
  SubnetIds: qList(z.string()).optional(),
  Tags: tagList.optional(),
  SnapshotArnsToRestore: qList(z.string()).optional(),
});

export function createServerlessCache(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(createSchema, raw);
    refuseUnsupported(input, ["SnapshotArnsToRestore"]);
    const state = cp.regionState(ctx.region);
    const name = input.ServerlessCacheName;
    const engine = ENGINES.find((e) => e === input.Engine.toLowerCase());
    if (!engine) throw invalidValue(`Invalid Engine ${input.Engine}: use memcached, redis or valkey`);
    const version = serverlessVersion(engine, input.MajorEngineVersion);
    if (!version) throw invalidCombination(`Cannot find major version ${input.MajorEngineVersion} for ${engine}`);
    if (state.serverlessCaches[name]) throw fault("ServerlessCacheAlreadyExistsFault", `Serverless cache ${name} already exists.`);
    if (Object.keys(state.serverlessCaches).length >= MAX_SERVERLESS_CACHES_PER_REGION) {
      throw fault("ServerlessCacheQuotaForCustomerExceededFault", `A region can have at most ${MAX_SERVERLESS_CACHES_PER_REGION} serverless caches`);
    }
    const arn = cp.arn(ctx.region, "serverlesscache", name);
    const tags = mergeTags(arn, [], input.Tags ?? []);
    const storageGB = input.CacheUsageLimits?.DataStorage?.Maximum ?? DEFAULT_SERVERLESS_STORAGE_GB;
    const cache: ServerlessCacheRecord = {
      serverlessCacheName: name,
      description: input.Description,
      engine,
      majorEngineVersion: version.major,
      fullEngineVersion: version.full,
      status: "CREATING",
      createTime: ctx.receivedAt.toISOString(),
      cacheUsageLimits: input.CacheUsageLimits,
      maxmemoryBytes: Math.round((storageGB * 1024 ** 3) / MEMORY_SCALE),
      port: 0,
      securityGroupIds: input.SecurityGroupIds ?? [],
      subnetIds: input.SubnetIds ?? [],
    };
    state.serverlessCaches[name] = cache;
    setTags(state, arn, tags);
    cp.save();
    launch(cp, serverlessCacheLifecycle(cp, ctx.region, cache));
    return { ServerlessCache: renderServerlessCache(cp.accountId, ctx.region, cache) };
  };
}

import { z } from "zod";
import { parseInput, qInt, qList } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import { arnFor } from "../arns";
import type { ElastiCacheControlPlane } from "../control-plane";
import { serverlessVersion } from "../engines";
import { fault, invalidCombination, invalidValue } from "../errors";
import { resourceId, tagList } from "../input-schemas";
import { launch, retire, serverlessCacheLifecycle } from "../lifecycle";
import { mergeTags, requireServerlessCache, setTags } from "../lookups";
import { ENGINES, type ServerlessCacheRecord } from "../model";
import { MEMORY_SCALE } from "../node-types";
import { pageOf } from "../paging";
import { renderServerlessCache } from "../render";
import { byKey, refuseUnsupported } from "./shared";

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

const describeSchema = z.object({
  ServerlessCacheName: z.string().transform((s) => s.toLowerCase()).optional(),
  MaxResults: qInt.refine((n) => n >= 1 && n <= 100, "MaxResults must be between 1 and 100").optional(),
  NextToken: z.string().optional(),
});

const deleteSchema = z.object({ ServerlessCacheName: resourceId("ServerlessCacheName", 40), FinalSnapshotName: z.string().optional() });

export function serverlessCacheOperations(cp: ElastiCacheControlPlane): Record<string, Operation> {
  return {
    async CreateServerlessCache(raw, ctx) {
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
      const arn = arnFor(ctx.region, "serverlesscache", name);
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
      return { ServerlessCache: renderServerlessCache(ctx.region, cache) };
    },

    async DescribeServerlessCaches(raw, ctx) {
      const input = parseInput(describeSchema, raw);
      const state = cp.regionState(ctx.region);
      const caches = input.ServerlessCacheName
        ? [requireServerlessCache(state, input.ServerlessCacheName)]
        : Object.values(state.serverlessCaches).sort(byKey((c) => c.serverlessCacheName));
      const page = pageOf(caches, (c) => c.serverlessCacheName, input.MaxResults ?? 50, input.NextToken);
      return { NextToken: page.marker, ServerlessCaches: page.items.map((c) => renderServerlessCache(ctx.region, c)) };
    },

    async DeleteServerlessCache(raw, ctx) {
      const input = parseInput(deleteSchema, raw);
      refuseUnsupported(input, ["FinalSnapshotName"]);
      const cache = requireServerlessCache(cp.regionState(ctx.region), input.ServerlessCacheName);
      if (cache.status !== "AVAILABLE" && cache.status !== "CREATE-FAILED") {
        throw fault("InvalidServerlessCacheStateFault", `Serverless cache ${cache.serverlessCacheName} has status ${cache.status}; it can be deleted when it is available.`);
      }
      retire(cp, serverlessCacheLifecycle(cp, ctx.region, cache));
      return { ServerlessCache: renderServerlessCache(ctx.region, cache) };
    },
  };
}

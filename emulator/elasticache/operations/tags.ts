import { z } from "zod";
import { parseInput, qList } from "@/emulator/server/input";
import type { Operation, RequestContext } from "@/emulator/server/service";
import { ACCOUNT_ID, arnFor, parseArn } from "../arns";
import type { ElastiCacheControlPlane } from "../control-plane";
import { cacheClusterNotFound, fault, replicationGroupNotFound, serverlessCacheNotFound } from "../errors";
import { tagList } from "../input-schemas";
import { mergeTags, setTags } from "../lookups";

const resourceSchema = z.object({ ResourceName: z.string() });
const addSchema = resourceSchema.extend({ Tags: tagList });
const removeSchema = resourceSchema.extend({ TagKeys: qList(z.string()) });

/** The ARN of an existing replication group, cache cluster or serverless cache of the caller's region. */
function resolveResource(cp: ElastiCacheControlPlane, arn: string, ctx: RequestContext): string {
  const parsed = parseArn(arn);
  if (!parsed) throw fault("InvalidARNFault", `The parameter ResourceName is not a valid ElastiCache ARN: ${arn}`);
  const state = cp.regionState(ctx.region);
  const here = parsed.region === ctx.region && parsed.account === ACCOUNT_ID;
  switch (parsed.type) {
    case "replicationgroup":
      if (!here || !state.replicationGroups[parsed.id]) throw replicationGroupNotFound(parsed.id);
      return arn;
    case "cluster":
      if (!here || !state.cacheClusters[parsed.id]) throw cacheClusterNotFound(parsed.id);
      return arn;
    case "serverlesscache":
      if (!here || !state.serverlessCaches[parsed.id]) throw serverlessCacheNotFound(parsed.id);
      return arn;
    default:
      throw fault("InvalidARNFault", `The emulator tags replication groups, clusters and serverless caches only, not ${parsed.type}: ${arn}`);
  }
}

/** AWS replicates tag changes on a replication group to its member clusters; other resources are tagged alone. */
function membersOf(cp: ElastiCacheControlPlane, arn: string, ctx: RequestContext): string[] {
  const parsed = parseArn(arn);
  const group = parsed?.type === "replicationgroup" ? cp.regionState(ctx.region).replicationGroups[parsed.id] : undefined;
  return (group?.nodeGroups ?? []).flatMap((ng) => ng.memberClusterIds).map((id) => arnFor(ctx.region, "cluster", id));
}

export function tagOperations(cp: ElastiCacheControlPlane): Record<string, Operation> {
  return {
    async ListTagsForResource(raw, ctx) {
      const arn = resolveResource(cp, parseInput(resourceSchema, raw).ResourceName, ctx);
      return { TagList: cp.regionState(ctx.region).tags[arn] ?? [] };
    },

    async AddTagsToResource(raw, ctx) {
      const input = parseInput(addSchema, raw);
      const arn = resolveResource(cp, input.ResourceName, ctx);
      const state = cp.regionState(ctx.region);
      const merged = [arn, ...membersOf(cp, arn, ctx)].map((target) => [target, mergeTags(target, state.tags[target] ?? [], input.Tags)] as const);
      for (const [target, tags] of merged) setTags(state, target, tags);
      cp.save();
      return { TagList: merged[0][1] };
    },

    async RemoveTagsFromResource(raw, ctx) {
      const input = parseInput(removeSchema, raw);
      const arn = resolveResource(cp, input.ResourceName, ctx);
      const state = cp.regionState(ctx.region);
      const existing = state.tags[arn] ?? [];
      const missing = input.TagKeys.find((key) => !existing.some((t) => t.Key === key));
      if (missing) throw fault("TagNotFoundFault", `Tag ${missing} was not found on ${arn}`);
      for (const target of [arn, ...membersOf(cp, arn, ctx)]) {
        setTags(state, target, (state.tags[target] ?? []).filter((t) => !input.TagKeys.includes(t.Key)));
      }
      cp.save();
      return { TagList: state.tags[arn] ?? [] };
    },
  };
}

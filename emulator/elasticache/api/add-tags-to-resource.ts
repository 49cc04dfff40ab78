import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { setTags } from "../state/tags";
import { tagList } from "./input-schemas";
import { mergeTags } from "./lookups";
import { membersOf, resolveResource, resourceSchema } from "./tag-targets";

const addSchema = resourceSchema.extend({ Tags: tagList });

export function addTagsToResource(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(addSchema, raw);
    const arn = resolveResource(cp, input.ResourceName, ctx);
    const state = cp.regionState(ctx.region);
    const merged = [arn, ...membersOf(cp, arn, ctx)].map((target) => [target, mergeTags(target, state.tags[target] ?? [], input.Tags)] as const);
    for (const [target, tags] of merged) setTags(state, target, tags);
    cp.save();
    return { TagList: merged[0][1] };
  };
}

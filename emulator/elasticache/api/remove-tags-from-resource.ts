import { z } from "zod";
import { parseInput, qList } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { setTags } from "../state/tags";
import { fault } from "./errors";
import { membersOf, resolveResource, resourceSchema } from "./tag-targets";

const removeSchema = resourceSchema.extend({ TagKeys: qList(z.string()) });

export function removeTagsFromResource(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
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
  };
}

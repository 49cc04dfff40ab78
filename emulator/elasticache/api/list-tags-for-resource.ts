import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { resolveResource, resourceSchema } from "./tag-targets";

export function listTagsForResource(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const arn = resolveResource(cp, parseInput(resourceSchema, raw).ResourceName, ctx);
    return { TagList: cp.regionState(ctx.region).tags[arn] ?? [] };
  };
}

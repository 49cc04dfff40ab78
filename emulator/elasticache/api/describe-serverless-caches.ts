import { z } from "zod";
import { parseInput, qInt } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { requireServerlessCache } from "./lookups";
import { pageOf } from "./paging";
import { renderServerlessCache } from "./render";
import { byKey } from "./shared";

const describeSchema = z.object({
  ServerlessCacheName: z.string().transform((s) => s.toLowerCase()).optional(),
  MaxResults: qInt.refine((n) => n >= 1 && n <= 100, "MaxResults must be between 1 and 100").optional(),
  NextToken: z.string().optional(),
});

export function describeServerlessCaches(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(describeSchema, raw);
    const state = cp.regionState(ctx.region);
    const caches = input.ServerlessCacheName
      ? [requireServerlessCache(state, input.ServerlessCacheName)]
      : Object.values(state.serverlessCaches).sort(byKey((c) => c.serverlessCacheName));
    const page = pageOf(caches, (c) => c.serverlessCacheName, input.MaxResults ?? 50, input.NextToken);
    return { NextToken: page.marker, ServerlessCaches: page.items.map((c) => renderServerlessCache(cp.accountId, ctx.region, c)) };
  };
}

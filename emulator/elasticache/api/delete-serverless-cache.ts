import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { retire, serverlessCacheLifecycle } from "../workflows/lifecycle";
import { fault } from "./errors";
import { resourceId } from "./input-schemas";
import { requireServerlessCache } from "./lookups";
import { renderServerlessCache } from "./render";
import { refuseUnsupported } from "./shared";

const deleteSchema = z.object({ ServerlessCacheName: resourceId("ServerlessCacheName", 40), FinalSnapshotName: z.string().optional() });

export function deleteServerlessCache(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(deleteSchema, raw);
    refuseUnsupported(input, ["FinalSnapshotName"]);
    const cache = requireServerlessCache(cp.regionState(ctx.region), input.ServerlessCacheName);
    if (cache.status !== "AVAILABLE" && cache.status !== "CREATE-FAILED") {
      throw fault("InvalidServerlessCacheStateFault", `Serverless cache ${cache.serverlessCacheName} has status ${cache.status}; it can be deleted when it is available.`);
    }
    retire(cp, serverlessCacheLifecycle(cp, ctx.region, cache));
    return { ServerlessCache: renderServerlessCache(cp.accountId, ctx.region, cache) };
  };
}

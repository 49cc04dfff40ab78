import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { allowedModifications } from "../state/node-types";
import { invalidCombination } from "./errors";
import { idFilter } from "./input-schemas";
import { requireCacheCluster, requireReplicationGroup } from "./lookups";

const modificationsSchema = z.object({ CacheClusterId: idFilter, ReplicationGroupId: idFilter });

export function listAllowedNodeTypeModifications(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(modificationsSchema, raw);
    if (!input.CacheClusterId === !input.ReplicationGroupId) {
      throw invalidCombination("Specify exactly one of CacheClusterId and ReplicationGroupId");
    }
    const state = cp.regionState(ctx.region);
    const nodeType = input.ReplicationGroupId
      ? requireReplicationGroup(state, input.ReplicationGroupId).cacheNodeType
      : requireCacheCluster(state, input.CacheClusterId!).cacheNodeType;
    const allowed = allowedModifications(nodeType);
    return { ScaleUpModifications: allowed.scaleUp, ScaleDownModifications: allowed.scaleDown };
  };
}

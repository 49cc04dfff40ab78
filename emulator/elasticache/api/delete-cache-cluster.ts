import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { cacheClusterLifecycle, retire } from "../workflows/lifecycle";
import { fault, invalidCombination } from "./errors";
import { resourceId } from "./input-schemas";
import { requireCacheCluster } from "./lookups";
import { renderCacheCluster } from "./render";
import { refuseUnsupported } from "./shared";

const deleteSchema = z.object({ CacheClusterId: resourceId("CacheClusterId", 50), FinalSnapshotIdentifier: z.string().optional() });

export function deleteCacheCluster(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(deleteSchema, raw);
    refuseUnsupported(input, ["FinalSnapshotIdentifier"]);
    const state = cp.regionState(ctx.region);
    const cluster = requireCacheCluster(state, input.CacheClusterId);
    if (cluster.replicationGroupId) {
      throw invalidCombination(
        `Cache cluster ${cluster.cacheClusterId} is a member of replication group ${cluster.replicationGroupId}; delete the replication group or decrease its replica count instead`,
      );
    }
    if (cluster.status !== "available" && cluster.status !== "create-failed") {
      throw fault("InvalidCacheClusterStateFault", `Cache cluster ${cluster.cacheClusterId} is not in a valid state to be deleted (status ${cluster.status}).`);
    }
    retire(cp, cacheClusterLifecycle(cp, ctx.region, cluster));
    return { CacheCluster: renderCacheCluster(cp.accountId, ctx.region, cluster, false) };
  };
}

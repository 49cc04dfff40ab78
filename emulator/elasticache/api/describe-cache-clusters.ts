import { z } from "zod";
import { parseInput, qBool } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { idFilter, maxRecords } from "./input-schemas";
import { requireCacheCluster } from "./lookups";
import { pageOf } from "./paging";
import { renderCacheCluster } from "./render";
import { byKey } from "./shared";

const describeSchema = z.object({
  CacheClusterId: idFilter,
  MaxRecords: maxRecords,
  Marker: z.string().optional(),
  ShowCacheNodeInfo: qBool.optional(),
  ShowCacheClustersNotInReplicationGroups: qBool.optional(),
});

export function describeCacheClusters(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(describeSchema, raw);
    const state = cp.regionState(ctx.region);
    let clusters = input.CacheClusterId
      ? [requireCacheCluster(state, input.CacheClusterId)]
      : Object.values(state.cacheClusters).sort(byKey((c) => c.cacheClusterId));
    if (input.ShowCacheClustersNotInReplicationGroups) clusters = clusters.filter((c) => !c.replicationGroupId);
    const page = pageOf(clusters, (c) => c.cacheClusterId, input.MaxRecords, input.Marker);
    return {
      Marker: page.marker,
      CacheClusters: page.items.map((c) => renderCacheCluster(cp.accountId, ctx.region, c, input.ShowCacheNodeInfo ?? false)),
    };
  };
}

import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { allParameterGroups, findParameterGroup } from "../state/parameter-groups";
import { cacheParameterGroupNotFound } from "./errors";
import { idFilter, maxRecords } from "./input-schemas";
import { pageOf } from "./paging";
import { renderCacheParameterGroup } from "./render-parameter-group";

const describeSchema = z.object({ CacheParameterGroupName: idFilter, MaxRecords: maxRecords, Marker: z.string().optional() });

export function describeCacheParameterGroups(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(describeSchema, raw);
    const state = cp.regionState(ctx.region);
    const name = input.CacheParameterGroupName;
    let groups = allParameterGroups(state);
    if (name !== undefined) {
      const group = findParameterGroup(state, name);
      if (!group) throw cacheParameterGroupNotFound(name);
      groups = [group];
    }
    const page = pageOf(groups, (g) => g.cacheParameterGroupName, input.MaxRecords, input.Marker);
    return { Marker: page.marker, CacheParameterGroups: page.items.map((g) => renderCacheParameterGroup(cp.accountId, ctx.region, g)) };
  };
}

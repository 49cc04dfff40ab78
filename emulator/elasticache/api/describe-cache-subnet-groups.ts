import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { allSubnetGroups, findSubnetGroup } from "../state/subnet-groups";
import { cacheSubnetGroupNotFound } from "./errors";
import { idFilter, maxRecords } from "./input-schemas";
import { pageOf } from "./paging";
import { renderCacheSubnetGroup } from "./render-subnet-group";

const describeSchema = z.object({ CacheSubnetGroupName: idFilter, MaxRecords: maxRecords, Marker: z.string().optional() });

export function describeCacheSubnetGroups(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(describeSchema, raw);
    const state = cp.regionState(ctx.region);
    const name = input.CacheSubnetGroupName;
    const found = name === undefined ? allSubnetGroups(state, ctx.region) : [findSubnetGroup(state, ctx.region, name)];
    const groups = found.map((group) => group ?? throwNotFound(name ?? ""));
    const page = pageOf(groups, (g) => g.cacheSubnetGroupName, input.MaxRecords, input.Marker);
    return { Marker: page.marker, CacheSubnetGroups: page.items.map((g) => renderCacheSubnetGroup(cp.accountId, ctx.region, g)) };
  };
}

function throwNotFound(name: string): never {
  throw cacheSubnetGroupNotFound(name);
}

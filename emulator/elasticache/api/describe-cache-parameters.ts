import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { findParameterGroup, parametersOf } from "../state/parameter-groups";
import { cacheParameterGroupNotFound } from "./errors";
import { maxRecords } from "./input-schemas";
import { pageOf } from "./paging";

const describeSchema = z.object({
  CacheParameterGroupName: z.string().transform((s) => s.toLowerCase()),
  /** AWS's filter: "user" lists only the values set on the group, "system" only the defaults. */
  Source: z.enum(["user", "system", "engine-default"]).optional(),
  MaxRecords: maxRecords,
  Marker: z.string().optional(),
});

export function describeCacheParameters(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(describeSchema, raw);
    const group = findParameterGroup(cp.regionState(ctx.region), input.CacheParameterGroupName);
    if (!group) throw cacheParameterGroupNotFound(input.CacheParameterGroupName);
    const wanted = input.Source === "engine-default" ? "system" : input.Source;
    const parameters = parametersOf(group)
      .filter((p) => !wanted || p.source === wanted)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = pageOf(parameters, (p) => p.name, input.MaxRecords, input.Marker);
    return {
      Marker: page.marker,
      Parameters: page.items.map((p) => ({
        ParameterName: p.name,
        ParameterValue: p.value,
        Description: p.description,
        Source: p.source,
        DataType: p.dataType,
        AllowedValues: p.allowedValues || undefined,
        IsModifiable: p.modifiable,
        MinimumEngineVersion: "2.6.13",
        ChangeType: "immediate",
      })),
      CacheNodeTypeSpecificParameters: [],
    };
  };
}

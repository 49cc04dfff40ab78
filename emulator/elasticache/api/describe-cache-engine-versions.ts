import { z } from "zod";
import { parseInput, qBool } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import { ENGINE_DESCRIPTIONS, ENGINE_VERSIONS, findEngineVersion } from "../state/engines";
import { maxRecords } from "./input-schemas";
import { pageOf } from "./paging";

const engineVersionsSchema = z.object({
  Engine: z.string().optional(),
  EngineVersion: z.string().optional(),
  CacheParameterGroupFamily: z.string().optional(),
  DefaultOnly: qBool.optional(),
  MaxRecords: maxRecords,
  Marker: z.string().optional(),
});

export function describeCacheEngineVersions(): Operation {
  return async (raw) => {
    const input = parseInput(engineVersionsSchema, raw);
    const engine = input.Engine?.toLowerCase();
    const versions = ENGINE_VERSIONS.filter(
      (v) =>
        (!engine || v.engine === engine) &&
        (!input.EngineVersion || v.version === input.EngineVersion) &&
        (!input.CacheParameterGroupFamily || v.family === input.CacheParameterGroupFamily) &&
        (!input.DefaultOnly || findEngineVersion(v.engine, undefined) === v),
    );
    const page = pageOf(versions, (v) => `${v.engine}:${v.version}`, input.MaxRecords, input.Marker);
    return {
      Marker: page.marker,
      CacheEngineVersions: page.items.map((v) => ({
        Engine: v.engine,
        EngineVersion: v.version,
        CacheParameterGroupFamily: v.family,
        CacheEngineDescription: ENGINE_DESCRIPTIONS[v.engine],
        CacheEngineVersionDescription: v.description,
      })),
    };
  };
}

import { z } from "zod";
import { parseInput, qBool } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { ENGINE_DESCRIPTIONS, ENGINE_VERSIONS, findEngineVersion } from "../engines";
import { invalidCombination } from "../errors";
import { idFilter, maxRecords } from "../input-schemas";
import { requireCacheCluster, requireReplicationGroup } from "../lookups";
import { allowedModifications } from "../node-types";
import { pageOf } from "../paging";

const engineVersionsSchema = z.object({
  Engine: z.string().optional(),
  EngineVersion: z.string().optional(),
  CacheParameterGroupFamily: z.string().optional(),
  DefaultOnly: qBool.optional(),
  MaxRecords: maxRecords,
  Marker: z.string().optional(),
});

const modificationsSchema = z.object({ CacheClusterId: idFilter, ReplicationGroupId: idFilter });

/** What the emulator offers: engine versions, and the node types a cluster or group may move to. */
export function catalogOperations(cp: ElastiCacheControlPlane): Record<string, Operation> {
  return {
    async DescribeCacheEngineVersions(raw) {
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
    },

    async ListAllowedNodeTypeModifications(raw, ctx) {
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
    },
  };
}

import { z } from "zod";
import { parseInput } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { findParameterGroup, isDefaultParameterGroup, parameterGroupFamilies } from "../state/parameter-groups";
import { fault, invalidValue } from "./errors";
import { renderCacheParameterGroup } from "./render-parameter-group";
import { refuseUnsupported } from "./shared";

/** AWS's default quota of parameter groups per region. */
export const MAX_PARAMETER_GROUPS = 150;

const createSchema = z.object({
  CacheParameterGroupName: z
    .string()
    .transform((s) => s.toLowerCase())
    .refine(
      (s) => /^[a-z][a-z0-9-]{0,254}$/.test(s) && !s.endsWith("-") && !s.includes("--"),
      "CacheParameterGroupName must begin with a letter and contain only ASCII letters, digits and hyphens; it cannot end with a hyphen or contain two consecutive hyphens",
    ),
  CacheParameterGroupFamily: z.string(),
  Description: z.string(),
});

export function createCacheParameterGroup(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(createSchema, raw);
    refuseUnsupported(raw, ["Tags"]);
    const state = cp.regionState(ctx.region);
    const name = input.CacheParameterGroupName;
    const families = parameterGroupFamilies();
    if (!families.includes(input.CacheParameterGroupFamily)) {
      throw invalidValue(`The parameter CacheParameterGroupFamily must be one of ${families.join(", ")}`);
    }
    if (isDefaultParameterGroup(name) || findParameterGroup(state, name)) {
      throw fault("CacheParameterGroupAlreadyExistsFault", `Cache Parameter Group ${name} already exists.`);
    }
    if (Object.keys(state.cacheParameterGroups).length >= MAX_PARAMETER_GROUPS) {
      throw fault("CacheParameterGroupQuotaExceededFault", `The region already has ${MAX_PARAMETER_GROUPS} cache parameter groups`);
    }
    const group = { cacheParameterGroupName: name, family: input.CacheParameterGroupFamily, description: input.Description, values: {} };
    state.cacheParameterGroups[name] = group;
    cp.save();
    return { CacheParameterGroup: renderCacheParameterGroup(cp.accountId, ctx.region, group) };
  };
}

import { z } from "zod";
import { parseInput, qList } from "@/emulator/server/input";
import type { Operation } from "@/emulator/server/service";
import type { ElastiCacheControlPlane } from "../control-plane";
import { defaultVpcId, findSubnetGroup } from "../state/subnet-groups";
import { fault } from "./errors";
import { renderCacheSubnetGroup } from "./render-subnet-group";
import { refuseUnsupported } from "./shared";

/** AWS's default quotas: subnet groups per region, subnets per group. */
export const MAX_SUBNET_GROUPS = 50;
export const MAX_SUBNETS_PER_GROUP = 20;

export const subnetGroupName = z
  .string()
  .transform((s) => s.toLowerCase())
  .refine((s) => /^[a-z0-9-]{1,255}$/.test(s), "CacheSubnetGroupName must contain from 1 to 255 alphanumeric characters or hyphens");

const createSchema = z.object({
  CacheSubnetGroupName: subnetGroupName,
  CacheSubnetGroupDescription: z.string(),
  SubnetIds: qList(z.string()),
});

export function createCacheSubnetGroup(cp: ElastiCacheControlPlane): Operation {
  return async (raw, ctx) => {
    const input = parseInput(createSchema, raw);
    refuseUnsupported(raw, ["Tags"]);
    const state = cp.regionState(ctx.region);
    const name = input.CacheSubnetGroupName;
    if (findSubnetGroup(state, ctx.region, name)) throw fault("CacheSubnetGroupAlreadyExistsFault", `Cache subnet group ${name} already exists.`);
    const subnetIds = [...new Set(input.SubnetIds)];
    if (subnetIds.length === 0) throw fault("InvalidSubnet", "A cache subnet group needs at least one subnet in SubnetIds");
    const bad = subnetIds.find((id) => !/^subnet-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id));
    if (bad) throw fault("InvalidSubnet", `The subnet ID ${bad} is not valid: subnet IDs look like subnet-0123456789abcdef0`);
    if (subnetIds.length > MAX_SUBNETS_PER_GROUP) {
      throw fault("CacheSubnetQuotaExceededFault", `A cache subnet group can have at most ${MAX_SUBNETS_PER_GROUP} subnets; this request names ${subnetIds.length}`);
    }
    if (Object.keys(state.cacheSubnetGroups).length >= MAX_SUBNET_GROUPS) {
      throw fault("CacheSubnetGroupQuotaExceededFault", `The region already has ${MAX_SUBNET_GROUPS} cache subnet groups besides default`);
    }
    const group = { cacheSubnetGroupName: name, description: input.CacheSubnetGroupDescription, vpcId: defaultVpcId(ctx.region), subnetIds };
    state.cacheSubnetGroups[name] = group;
    cp.save();
    return { CacheSubnetGroup: renderCacheSubnetGroup(cp.accountId, ctx.region, group) };
  };
}
